// Web pages as content: what makes a file a page (UTF-8 HTML text from its first bytes on), its title, the
// names a page may carry, and the headers it is served with (sandboxed: an opaque origin, no script runs).
import type { RandomRead } from './check.ts'

// the names a page goes by (and no other file may)
export const pageNameExtensions = new Set(['html', 'htm'])

// where displays and the library load a page: inside /display/ so the display service worker may answer the
// frame's navigation from its cache while the server is down
export const pagePath = (sha256: string) => `/display/page/${sha256}`
export const pagePattern = /^\/display\/page\/[^/]+$/

// the response policy of an uploaded page, for that response only (the site-wide one is server/app.ts's).
// `sandbox` without allow-scripts / allow-same-origin: no script runs, the page has an opaque origin (no
// cookies, no storage of ours, no forms); it may show only its own inline styles, data: images and our files.
export const pageContentSecurityPolicy = [
  'sandbox',
  "default-src 'none'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "media-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

const decoder = () => new TextDecoder('utf-8', { fatal: false })

// the first bytes open an HTML document: an optional BOM, whitespace and comments, then a doctype or the
// html / head / body element (case-insensitive). Nothing binary (NUL) in them.
export function looksLikeHtml(head: Uint8Array) {
  if (head.includes(0)) return false
  let text = decoder()
    .decode(head)
    .replace(/^\uFEFF/, '')
  for (;;) {
    text = text.trimStart()
    if (!text.startsWith('<!--')) break
    const end = text.indexOf('-->')
    if (end < 0) return false
    text = text.slice(end + 3)
  }
  return /^<(!doctype\s+html|html|head|body)[\s>/]/i.test(text)
}

// things a page shows by URL rather than holding them: an image, a frame, a video or a stylesheet from a web
// address or a path (data: and in-page #fragments are inside the page). Links to follow, and scripts (which never
// run), are not counted.
const loadedByUrl = [
  /<(?:img|iframe|frame|embed|video|audio|source|track|input)\b[^>]*?\ssrc\s*=\s*["']?(?!data:|#)[^\s"'>]/gi,
  /\s(?:srcset|poster|background)\s*=\s*["']?(?!data:|#)[^\s"'>]/gi,
  /url\(\s*["']?(?!data:|#)[^\s"')]/gi,
  /@import\s+["']/gi,
  /<link\b[^>]*\brel\s*=\s*["']?stylesheet\b[^>]*>/gi,
]

// the whole file is UTF-8 text without NUL bytes (read in pieces: never the whole file at once); and how many
// things it loads by URL — the screens will not show them (the page's CSP, and its opaque origin for our files)
export async function readPageText(file: RandomRead): Promise<{ outsideReferences: number } | null> {
  const strict = new TextDecoder('utf-8', { fatal: true })
  const piece = 64 * 1024
  let outsideReferences = 0
  // text up to the last '>' is scanned; the rest waits for the next piece (a tag is never cut in two)
  let pending = ''
  const scan = (text: string) => {
    for (const pattern of loadedByUrl) outsideReferences += text.match(pattern)?.length ?? 0
  }
  try {
    for (let at = 0; at < file.bytes; at += piece) {
      const bytes = await file.read(at, piece)
      if (bytes.includes(0)) return null
      pending += strict.decode(bytes, { stream: at + piece < file.bytes })
      const cut = pending.lastIndexOf('>') + 1
      scan(pending.slice(0, cut))
      pending = pending.slice(cut)
    }
    scan(pending + strict.decode())
    return { outsideReferences }
  } catch {
    return null
  }
}

// the page's <title>, when its first bytes have one (the default name of the item)
export function pageTitle(head: Uint8Array) {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(decoder().decode(head))
  const title = m?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
  return title || null
}

// a name says page (.html/.htm) exactly when the bytes are one: HTML renamed .png, or a PNG renamed .html,
// are refused (whatever a browser or a colleague would make of the name, it is not what the file is)
export function nameAgrees(filename: string, kind: string) {
  const ext = /\.([^.]*)$/.exec(filename)?.[1]?.toLowerCase() ?? ''
  return pageNameExtensions.has(ext) === (kind === 'page')
}
