// Fingerprinted asset URLs: /assets/app.css is linked as /assets/app.<hash>.css, served with immutable caching, so a
// phone on mobile data fetches each file once per version. Pages render the plain URL until the hashes are known.
import type { AssetReader } from './context.ts'

// every file a page links by URL (views/layout.tsx and the pages' scripts); modules they load by URL stay plain
export const fingerprintedAssets = [
  '/assets/app.css',
  '/assets/favicon.svg',
  '/assets/entrance.js',
  '/assets/dashboard.js',
  '/assets/pair.js',
  '/assets/reports.js',
  '/assets/signage/qr-fit.mjs',
  '/assets/signage/kiosk.mjs',
  '/assets/signage/display.mjs',
  '/vendor/htmx.min.js',
  '/vendor/htmx-ext-ws.js',
]

const hashPattern = /\.([0-9a-f]{10})(\.[a-z0-9]+)$/
// logical path → fingerprinted path; one table per process (the files are the same for every app in it)
const fingerprinted = new Map<string, string>()
const logicalOf = new Map<string, string>()

async function sha256Hex(bytes: Uint8Array) {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

// reads each asset once and records its content hash; a missing file (no build yet) keeps its plain URL
export async function prepareAssetUrls(assets: AssetReader) {
  for (const path of fingerprintedAssets) {
    const body = await assets(path.slice(1))
    if (!body) continue
    const hashed = path.replace(/(\.[a-z0-9]+)$/, `.${(await sha256Hex(body)).slice(0, 10)}$1`)
    const previous = fingerprinted.get(path)
    if (previous) logicalOf.delete(previous)
    fingerprinted.set(path, hashed)
    logicalOf.set(hashed, path)
  }
}

// the URL a page links: fingerprinted when known
export const assetUrl = (path: string) => fingerprinted.get(path) ?? path

// a requested path that carries a hash: the file it names, and whether that hash is the current one
export function resolveAssetPath(path: string): { file: string; immutable: boolean } {
  const logical = logicalOf.get(path)
  if (logical) return { file: logical, immutable: true }
  // an old or unknown hash: serve today's file under its plain name, not cached for long
  if (hashPattern.test(path)) return { file: path.replace(hashPattern, '$2'), immutable: false }
  return { file: path, immutable: false }
}
