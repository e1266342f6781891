// What kiosk and display pages share: read the page's data, run the camera loop and the link, show status.
import { StationCamera, type StationCameraStatus } from './station-camera.ts'
import { StationLink, type LinkState, type ServerPush } from './station-link.ts'
import type { ModelVariant } from './detector.ts'
import { stationReport, stationReportEveryMs, FrameRate } from './station-report.ts'

// camera states in which no camera analysis can run at all: the page says why and offers no consent
export const cameraProblems = ['insecure', 'missing', 'denied'] as const
export const cameraCannotRun = (camera: string) => (cameraProblems as readonly string[]).includes(camera)

export type StationPage = {
  root: HTMLElement
  camera: StationCamera
  link: StationLink
  say: (key: string) => void
}

// status text comes from the server-rendered page (data-text-*), so the bundle carries no interface text
export function textOf(root: HTMLElement, key: string): string {
  return root.getAttribute(`data-text-${key.toLowerCase()}`) ?? ''
}

export function startStationPage(
  onPush: (message: ServerPush, page: StationPage) => void,
): StationPage | null {
  const root = document.getElementById('station')
  const canvas = document.getElementById('station-canvas') as HTMLCanvasElement | null
  if (!root || !canvas) return null
  const stationId = root.dataset.station!
  const variant: ModelVariant = root.dataset.model === 'short' ? 'short' : 'full'
  const status = document.getElementById('station-status')
  const analyticsState = document.getElementById('analytics-state')
  const say = (key: string) => {
    if (status) status.textContent = key ? textOf(root, key) : ''
  }
  const page = {} as StationPage
  const link = new StationLink(
    stationId,
    (message) => {
      // withdrawal and session control are handled here for every station kind
      if (message.type === 'session.begin') camera.beginSession(message.consent)
      if (message.type === 'session.stop') camera.endSession('withdrawn', message.consent)
      onPush(message, page)
    },
    (state: LinkState) => {
      root.dataset.link = state
      if (state === 'unpaired') say('unpaired')
      else if (state === 'offline') say('offline')
      else if (state === 'online' && status?.textContent === textOf(root, 'offline')) say('')
      if (state === 'online') report()
    },
    (count) => (root.dataset.pending = String(count)),
  )
  const camera = new StationCamera(
    canvas,
    variant,
    (event) => link.send(event),
    (s: StationCameraStatus) => {
      // the page's state as data attributes: what the screen shows and why (tests and staff read them)
      root.dataset.analytics = s.analytics
      root.dataset.camera = s.camera
      root.dataset.mode = s.mode
      root.dataset.reason = s.reason ?? ''
      root.dataset.session = s.session ? 'active' : ''
      if (analyticsState) analyticsState.hidden = s.analytics !== 'unavailable'
      if (s.camera === 'denied') say('cameraDenied')
      showProblem(cameraCannotRun(s.camera) ? s.camera : null)
      if (s.camera !== lastReportedCamera) report()
      document.dispatchEvent(new CustomEvent('station-status', { detail: s }))
    },
  )
  Object.assign(page, { root, camera, link, say })
  // the screen's own state to the server: on connect, when the camera changes, and every few seconds
  const frameRate = new FrameRate()
  let lastReportedCamera = ''
  function report() {
    if (!page.camera) return
    lastReportedCamera = page.camera.status.camera
    const fps = frameRate.sample(page.camera.frameNo, performance.now())
    link.request(stationReport(page.camera.status, fps))
  }
  setInterval(report, stationReportEveryMs)
  // a hidden tab blurs everything (the loop also checks every frame); a session does not survive it
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') {
      camera.compositor.clear()
      camera.endSession('station')
    }
  })
  link.start()
  void camera.start()
  return page
}

// the bilingual explanation of a camera that cannot run (rendered by the server, hidden until needed)
function showProblem(problem: string | null) {
  const box = document.getElementById('station-problem')
  if (!box) return
  box.hidden = !problem
  for (const part of box.querySelectorAll<HTMLElement>('[data-problem]'))
    part.hidden = part.dataset.problem !== problem
  document.getElementById('station')?.setAttribute('data-problem', problem ?? '')
}
