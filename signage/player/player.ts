// The display's content player: plays the playlist full screen, item after item, from the offline cache;
// a new playlist applies at the next item, a deleted item goes at once; every play goes out as proof of play.
import { nextEntry, type Manifest, type ManifestEntry } from './manifest.ts'
import type { MediaCache } from './cache.ts'
import type { StationEvent } from '../outbox.ts'
import { newEventId } from '../ids.ts'

// nothing may play (empty playlist, outside every window, files unreachable): look again this much later
export const idleRetryMs = 5000
// a video that never starts (decoder refused it), or a page that never loads, is skipped after this long
export const videoStartTimeoutMs = 8000

type Showing = { entry: ManifestEntry; startedAt: number; element: HTMLElement; objectUrl: string }

export class Player {
  manifest: Manifest | null = null
  showing: Showing | null = null
  plays = 0
  #timer: ReturnType<typeof setTimeout> | undefined
  #generation = 0
  #stopped = false

  constructor(
    readonly stage: HTMLElement,
    readonly cache: MediaCache,
    readonly emit: (event: StationEvent) => void,
    readonly onChange: (showing: ManifestEntry | null) => void = () => undefined,
    readonly wallClock: () => number = () => Date.now(),
  ) {}

  // the last good playlist from the cache first: a screen that starts while the server is down still plays
  async start() {
    const cached = await this.cache.loadManifest().catch(() => null)
    if (cached && !this.manifest) this.manifest = cached
    if (!this.showing) void this.advance()
  }

  // what the camera attributes attention to
  onScreen() {
    const s = this.showing
    return s ? { item: s.entry.item, version: s.entry.version } : null
  }

  async update(manifest: Manifest) {
    const before = this.manifest
    this.manifest = manifest
    await this.cache.saveManifest(manifest).catch(() => undefined)
    const current = this.showing?.entry
    // a deleted or replaced item leaves the screen now; anything else changes at the next item
    const stillThere =
      current && manifest.entries.some((e) => e.item === current.item && e.version === current.version)
    if (current && !stillThere) void this.advance({ cut: true })
    else if (!this.showing) void this.advance()
    void this.cache.sync(manifest).catch(() => undefined)
    return before?.revision !== manifest.revision
  }

  stop() {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#finish()
  }

  // shows the next item that may play now, then ends the one before (a play if it was on screen at all); the
  // old one stays until the new one is ready (no blank screen, no frame without an item), unless it is `cut`
  async advance({ cut = false } = {}): Promise<void> {
    clearTimeout(this.#timer)
    const generation = ++this.#generation
    const previous = this.showing?.entry.entry ?? null
    if (cut) this.#finish()
    if (this.#stopped || !this.manifest) return this.#finish()
    const tried = new Set<string>()
    for (let entry = nextEntry(this.manifest, previous, this.wallClock()); entry;) {
      if (tried.has(entry.entry)) break
      tried.add(entry.entry)
      const shown = await this.#show(entry)
      if (generation !== this.#generation) {
        if (shown) {
          shown.element.remove()
          URL.revokeObjectURL(shown.objectUrl)
        }
        return
      }
      if (shown) {
        // back to back: the last item ends when the next one starts
        this.#finish(shown.startedAt)
        this.showing = shown
        this.onChange(entry)
        this.#timer = setTimeout(() => void this.advance(), entry.durationMs)
        return
      }
      entry = this.manifest ? nextEntry(this.manifest, entry.entry, this.wallClock()) : null
    }
    this.#finish()
    this.onChange(null)
    this.#timer = setTimeout(() => void this.advance(), idleRetryMs)
  }

  #finish(at = this.wallClock()) {
    const s = this.showing
    if (!s) return
    this.showing = null
    const endedAt = Math.max(s.startedAt, Math.round(at))
    this.emit({
      type: 'event',
      id: newEventId(),
      kind: 'play',
      item: s.entry.item,
      version: s.entry.version,
      startedAt: s.startedAt,
      endedAt,
      at: endedAt,
    })
    this.plays++
    s.element.remove()
    URL.revokeObjectURL(s.objectUrl)
  }

  async #show(entry: ManifestEntry): Promise<Showing | null> {
    if (entry.kind === 'page') return this.#showPage(entry)
    const objectUrl = await this.cache.objectUrl(entry.url).catch(() => null)
    if (!objectUrl) return null
    const element = entry.kind === 'image' ? document.createElement('img') : document.createElement('video')
    element.className = 'player-media'
    element.dataset.item = entry.item
    const ready =
      element instanceof HTMLImageElement
        ? new Promise<boolean>((resolve) => {
            element.onload = () => resolve(true)
            element.onerror = () => resolve(false)
          })
        : new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), videoStartTimeoutMs)
            element.addEventListener('playing', () => (clearTimeout(timer), resolve(true)), { once: true })
            element.addEventListener('error', () => (clearTimeout(timer), resolve(false)), { once: true })
          })
    if (element instanceof HTMLVideoElement) {
      // muted and inline: allowed to start by itself; no sound in a sales office unless someone asks for it
      element.muted = true
      element.autoplay = true
      element.playsInline = true
    }
    element.setAttribute('src', objectUrl)
    this.stage.append(element)
    // autoplay alone may wait for the page to be "played" once; an explicit play() of a muted video may not
    if (element instanceof HTMLVideoElement) void element.play().catch(() => undefined)
    if (!(await ready)) {
      element.remove()
      URL.revokeObjectURL(objectUrl)
      return null
    }
    return { entry, startedAt: Math.round(this.wallClock()), element, objectUrl }
  }

  // a page is loaded by its own URL (never as a blob of ours: that would give it this page's origin); its
  // response's CSP sandboxes it — no script, an opaque origin — and the frame's sandbox attribute adds what it can
  async #showPage(entry: ManifestEntry): Promise<Showing | null> {
    if (!(await this.cache.keep(entry.url).catch(() => false))) return null
    const frame = document.createElement('iframe')
    frame.className = 'player-media player-page'
    frame.dataset.item = entry.item
    // scripts, forms, pop-ups and navigating the display are off by this attribute whatever headers arrive;
    // the opaque origin comes from the response's own CSP `sandbox`. (allow-same-origin here only because Chromium
    // lets no service worker answer a frame sandboxed into an opaque origin by its attribute, and offline the
    // display's worker must; without script the page's origin gives it nothing to read with.)
    frame.setAttribute('sandbox', 'allow-same-origin')
    frame.setAttribute('referrerpolicy', 'no-referrer')
    frame.tabIndex = -1
    frame.title = entry.item
    const ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), videoStartTimeoutMs)
      frame.addEventListener('load', () => (clearTimeout(timer), resolve(true)), { once: true })
    })
    frame.src = entry.url
    this.stage.append(frame)
    if (!(await ready)) {
      frame.remove()
      return null
    }
    return { entry, startedAt: Math.round(this.wallClock()), element: frame, objectUrl: '' }
  }
}
