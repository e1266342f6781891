// The repository is self-contained: every file README.md and docs/ name (docs/…, test/…, server/…, deploy/…)
// exists in it, and nothing points outside it (../shared/DESIGN.md did).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, readdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')
const cited =
  /`((?:\.\.\/)*(?:docs|test|server|models|views|scripts|deploy|signage|bench|shared)\/[\w./-]+\.(?:md|ts|tsx|mjs|service))`/g

test('README.md and docs/ cite only files that are in the repository', async () => {
  const documents = ['README.md', ...(await readdir(path.join(root, 'docs'))).map((f) => `docs/${f}`)]
  assert.ok(documents.includes('docs/design.md'), 'the design and the privacy invariants live in docs/')
  const missing: string[] = []
  for (const document of documents.filter((d) => d.endsWith('.md'))) {
    const text = await readFile(path.join(root, document), 'utf8')
    for (const [, reference] of text.matchAll(cited)) {
      if (reference!.startsWith('..') || !existsSync(path.join(root, reference!))) {
        missing.push(`${document}: ${reference}`)
      }
    }
  }
  assert.deepEqual(missing, [])
  const readme = await readFile(path.join(root, 'README.md'), 'utf8')
  assert.match(readme, /`docs\/design\.md`/)
})
