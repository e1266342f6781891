// Build step for the browser side: bundles signage/ with esbuild into dist/ (extended by the signage issue).
import { mkdir } from 'node:fs/promises'

await mkdir('dist/signage', { recursive: true })
await mkdir('dist/models', { recursive: true })
