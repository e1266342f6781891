// Zone display: content, a small blurred camera preview and the station QR; a session starts when a visitor scans it.
import { startStationPage } from '../station-page.ts'
import { watchQrs } from '../qr-fit.ts'
import { attachPlayer } from '../player/display-player.ts'

let hadSession = false
let onPlaylist: ((message: Parameters<Parameters<typeof startStationPage>[0]>[0]) => void) | null = null
const page = startStationPage((message) => onPlaylist?.(message))
if (page) onPlaylist = attachPlayer(page).onPush
document.addEventListener('station-status', (e) => {
  const { session } = (e as CustomEvent).detail as { session: string | null }
  if (session) page?.say('sessionActive')
  else if (hadSession) page?.say('sessionEnded')
  hadSession = !!session
})

watchQrs()
