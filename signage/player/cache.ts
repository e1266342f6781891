// The display's offline copy: the last good playlist and every file it plays, in the Cache API.
import type { Manifest } from './manifest.ts'

const manifestUrl = '/__signage/manifest.json'

export type MediaCache = {
  loadManifest(): Promise<Manifest | null>
  saveManifest(manifest: Manifest): Promise<void>
  // a playable URL (blob:) for a media file: from the cache, else fetched once and cached; null when neither
  objectUrl(url: string): Promise<string | null>
  // a page (loaded by its own URL in a frame: the service worker answers it from here while offline): in the
  // cache, else fetched once and cached; false when neither
  keep(url: string): Promise<boolean>
  // fetches what is missing and forgets files no entry uses any more
  sync(manifest: Manifest): Promise<void>
}

// the Cache API exists only in secure contexts (https, localhost) — as the camera does; elsewhere the player
// still plays from the network and keeps the playlist in memory
export function mediaCache(stationId: string): MediaCache {
  const name = `showroom-signage-${stationId}`
  const open = () => (globalThis.caches ? caches.open(name) : Promise.resolve(null))
  const fetchOk = async (url: string) => {
    const response = await fetch(url, { credentials: 'same-origin' }).catch(() => null)
    return response?.ok && response.status === 200 ? response : null
  }
  const cachedOrFetched = async (url: string) => {
    const cache = await open()
    let response = (await cache?.match(url)) ?? null
    if (!response) {
      response = await fetchOk(url)
      if (response && cache) await cache.put(url, response.clone()).catch(() => undefined)
    }
    return response
  }
  return {
    async loadManifest() {
      const cache = await open()
      const hit = await cache?.match(manifestUrl)
      try {
        return hit ? ((await hit.json()) as Manifest) : null
      } catch {
        return null
      }
    },
    async saveManifest(manifest) {
      const cache = await open()
      await cache?.put(
        manifestUrl,
        new Response(JSON.stringify(manifest), { headers: { 'Content-Type': 'application/json' } }),
      )
    },
    async objectUrl(url) {
      const response = await cachedOrFetched(url)
      return response ? URL.createObjectURL(await response.blob()) : null
    },
    async keep(url) {
      const response = await cachedOrFetched(url)
      await response?.body?.cancel()
      return !!response
    },
    async sync(manifest) {
      const cache = await open()
      if (!cache) return
      const wanted = new Set(manifest.entries.map((e) => new URL(e.url, location.href).href))
      for (const url of wanted) {
        if (await cache.match(url)) continue
        const response = await fetchOk(url)
        if (response) await cache.put(url, response).catch(() => undefined)
      }
      for (const request of await cache.keys()) {
        if (!request.url.endsWith(manifestUrl) && !wanted.has(request.url)) await cache.delete(request)
      }
    },
  }
}
