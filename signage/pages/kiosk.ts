// Consent kiosk: blurred mirror, Agree / No camera with equal weight, receipt QR, session while the person stays.
import { startStationPage, cameraCannotRun, type StationPage } from '../station-page.ts'
import { newEventId } from '../ids.ts'
import { watchQrs } from '../qr-fit.ts'

const agree = document.getElementById('consent-agree') as HTMLButtonElement | null
const decline = document.getElementById('consent-decline') as HTMLButtonElement | null
const stop = document.getElementById('session-stop') as HTMLButtonElement | null
const receipt = document.getElementById('kiosk-receipt')
// how long the receipt and the "no camera" answer stay on screen after a session or a decline
const lingerMs = 20_000
let pending: string | null = null
// a newer notice was published: nobody may agree to the one on screen; the page reloads when it is free
let noticeOutdated = false
let resetTimer: ReturnType<typeof setTimeout> | undefined

const page = startStationPage((message, p) => {
  if (message.type === 'consent.granted' && message.request === pending) {
    pending = null
    showReceipt(message.receiptUrl, message.receiptSvg)
  }
  if (
    message.type === 'notice' &&
    message.lang === p.root.dataset.lang &&
    message.sha256 !== p.root.dataset.notice
  ) {
    noticeOutdated = true
    setChoices(false)
    if (!p.camera.session && !pending) location.reload()
  }
  if (message.type === 'consent.refused' && message.request === pending) {
    pending = null
    setChoices(true)
    p.say('refused')
  }
})

function setChoices(enabled: boolean) {
  const status = page?.camera.status
  // a camera that cannot run is never offered: no Agree button, the reason shown beside the choices
  const noCamera = !!status && cameraCannotRun(status.camera)
  if (agree) {
    agree.hidden = noCamera
    agree.disabled = !enabled || noticeOutdated || noCamera || status?.analytics === 'unavailable'
  }
  if (decline) decline.disabled = !enabled
}

function showReceipt(url: string, svg: string) {
  if (!receipt) return
  receipt.querySelector('.receipt-qr')!.innerHTML = svg
  const a = receipt.querySelector<HTMLAnchorElement>('.receipt-link')!
  // the link stays for a tap on the kiosk itself; no URL is printed on the screen, the QR carries it
  a.href = url
  receipt.hidden = false
  // the notice text steps aside while the receipt shows, so its QR fits the screen at a readable size
  receipt.closest('.kiosk-panel')?.classList.add('showing-receipt')
}

function backToStart(p: StationPage) {
  clearTimeout(resetTimer)
  resetTimer = setTimeout(() => {
    if (p.camera.session) return
    if (receipt) receipt.hidden = true
    receipt?.closest('.kiosk-panel')?.classList.remove('showing-receipt')
    p.say('')
    setChoices(true)
  }, lingerMs)
}

if (page) {
  const root = page.root
  agree?.addEventListener('click', () => {
    pending = newEventId()
    const sent = page.link.request({
      type: 'consent.grant',
      request: pending,
      notice: root.dataset.notice,
      lang: root.dataset.lang,
    })
    if (!sent) {
      pending = null
      return page.say('offline')
    }
    setChoices(false)
    page.say('agreeing')
  })
  decline?.addEventListener('click', () => {
    // nothing is sent and nothing is recorded: the camera stays blurred
    page.camera.endSession('station')
    page.say('declined')
    backToStart(page)
  })
  stop?.addEventListener('click', () => page.camera.endSession('station'))
  document.addEventListener('station-status', (e) => {
    const s = (e as CustomEvent).detail as {
      analytics: string
      camera: string
      session: string | null
      reason: string | null
    }
    if (s.analytics === 'unavailable' || cameraCannotRun(s.camera)) setChoices(!pending)
    if (stop) stop.hidden = !s.session
    if (s.session) {
      clearTimeout(resetTimer)
      setChoices(false)
      page.say(s.reason === 'no-face' ? 'seeking' : 'sessionActive')
    } else if (root.dataset.hadSession === 'yes') {
      root.dataset.hadSession = ''
      if (noticeOutdated) return location.reload()
      page.say('sessionEnded')
      backToStart(page)
    }
    if (s.session) root.dataset.hadSession = 'yes'
  })
  // the camera may already have said it cannot run (no secure context) before this listener existed
  setChoices(!pending)
}

watchQrs()
