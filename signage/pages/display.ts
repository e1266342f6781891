// Zone display: content, a small blurred camera preview and the station QR; a session starts when a visitor scans it.
import { startStationPage } from '../station-page.ts'

const page = startStationPage((message, p) => {
  if (message.type === 'session.begin') p.say('sessionActive')
})
document.addEventListener('station-status', (e) => {
  const s = (e as CustomEvent).detail as { session: string | null }
  if (!s.session && page?.root.dataset.hadSession === 'yes') page.say('sessionEnded')
  if (page)
    page.root.dataset.hadSession = s.session ? 'yes' : page.root.dataset.hadSession === 'yes' ? 'yes' : ''
})
