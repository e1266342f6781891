// Puts the content player on a display station page: its stage, the playlist from the socket, plays into the
// station's outbox, and the item on screen for the camera's attention per item.
import type { StationPage } from '../station-page.ts'
import type { ServerPush } from '../station-link.ts'
import { mediaCache } from './cache.ts'
import { Player } from './player.ts'

export function attachPlayer(page: StationPage): { player: Player; onPush: (m: ServerPush) => void } {
  const stage = document.createElement('div')
  stage.id = 'player-stage'
  stage.className = 'player-stage'
  page.root.prepend(stage)
  const player = new Player(
    stage,
    mediaCache(page.root.dataset.station!),
    (event) => page.link.send(event),
    (entry) => {
      // the page's state for staff and tests: which item is on screen, how many plays were made here
      page.root.dataset.playing = entry ? 'yes' : ''
      stage.dataset.item = entry?.item ?? ''
      stage.dataset.plays = String(player.plays)
    },
  )
  page.camera.onScreen = () => player.onScreen()
  // the page itself outlives an outage too (a screen restarted while the server is down); secure contexts only
  void navigator.serviceWorker?.register('/display-sw.js', { scope: '/display/' }).catch(() => undefined)
  void keepShell()
  // the last part of an item cut by a reload or power-off is still a play (the outbox is written at once)
  addEventListener('pagehide', () => player.stop())
  void player.start()
  return {
    player,
    onPush: (message) => {
      if (message.type === 'playlist') {
        void player.update(message.manifest).then(() => {
          page.root.dataset.playlist = message.manifest.revision
        })
      }
    },
  }
}

// this page and what it loads, in the service worker's cache now (the first load happens before it controls it)
async function keepShell() {
  if (!globalThis.caches) return
  const urls = [
    location.pathname,
    ...Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'), (e) => e.src),
    ...Array.from(document.querySelectorAll<HTMLLinkElement>('link[href]'), (e) => e.href),
  ]
  const cache = await caches.open('showroom-display-shell')
  for (const url of urls) await cache.add(url).catch(() => undefined)
}
