// Service worker of the display screens: the display page and its scripts come from the network, or from this
// cache while the server is down, so a screen restarted during an outage plays on (media and uploaded pages:
// the player's cache, answered from here for a page's frame, with the page's own sandboxing headers).
type FetchEvent = Event & { request: Request; respondWith(response: Promise<Response>): void }
type LifecycleEvent = Event & { waitUntil(done: Promise<unknown>): void }
const worker = self as unknown as {
  addEventListener(type: 'install' | 'activate', listener: (e: LifecycleEvent) => void): void
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
  location: Location
}

const shell = 'showroom-display-shell'

worker.addEventListener('install', (e) => e.waitUntil(worker.skipWaiting()))
worker.addEventListener('activate', (e) => e.waitUntil(worker.clients.claim()))
worker.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== worker.location.origin) return
  const page = request.mode === 'navigate' && url.pathname.startsWith('/display/')
  const asset = /^\/(assets|vendor|models)\//.test(url.pathname)
  if (!page && !asset) return
  // an uploaded web page in a display's frame: the player's cache holds it (and forgets it when unused)
  const uploadedPage = url.pathname.startsWith('/display/page/')
  event.respondWith(
    fetch(request)
      .then(async (response) => {
        if (response.ok && response.status === 200 && !uploadedPage) {
          const cache = await caches.open(shell)
          await cache.put(request, response.clone()).catch(() => undefined)
        }
        return response
      })
      .catch(
        async () =>
          (await caches.match(request, { ignoreSearch: page, ignoreVary: true })) ?? Response.error(),
      ),
  )
})
