// Zone display: content, a small blurred camera preview and the station QR; a session starts when a visitor scans it.
import { startStationPage } from '../station-page.ts'
import { watchQrs } from '../qr-fit.ts'

let hadSession = false
const page = startStationPage(() => undefined)
document.addEventListener('station-status', (e) => {
  const { session } = (e as CustomEvent).detail as { session: string | null }
  if (session) page?.say('sessionActive')
  else if (hadSession) page?.say('sessionEnded')
  hadSession = !!session
})

watchQrs()
