// Node file reader for the browser assets: a fixed map from URL prefixes to folders; nothing outside them.
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import type { AssetReader } from './context.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

// URL path prefix → folder on disk (first match wins)
export const assetFolders: [string, string][] = [
  ['vendor/htmx.min.js', 'node_modules/htmx.org/dist/htmx.min.js'],
  ['vendor/htmx-ext-ws.js', 'node_modules/htmx-ext-ws/dist/ws.js'],
  ['vendor/mediapipe/wasm/', 'node_modules/@mediapipe/tasks-vision/wasm/'],
  ['assets/signage/', 'dist/signage/'],
  ['assets/', 'views/assets/'],
  ['models/', 'dist/models/'],
]

export function nodeAssetReader(base = root): AssetReader {
  return async (urlPath) => {
    for (const [prefix, folder] of assetFolders) {
      if (urlPath === prefix || (prefix.endsWith('/') && urlPath.startsWith(prefix))) {
        const target = path.resolve(base, folder, urlPath.slice(prefix.length))
        if (!target.startsWith(path.resolve(base, folder))) return null
        try {
          return new Uint8Array(await readFile(target))
        } catch {
          return null
        }
      }
    }
    return null
  }
}
