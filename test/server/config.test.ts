// The demo settings read from the environment: the demo's generated content follows the demo office itself.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { configFromEnv } from '../../server/config.ts'

test('a libsql server without SHOWROOM_DEMO gets no demo office and no demo content for its real office', () => {
  const config = configFromEnv({
    DATA_DIR: '/tmp/showroom-config-test',
    DATABASE_URL: 'http://127.0.0.1:8080',
  })
  assert.equal(config.demo, false)
  assert.equal(config.demoContent, false)
})

test('the demo content is made for a local demo office unless switched off, and never without the demo', () => {
  const local = { DATA_DIR: '/tmp/showroom-config-test' }
  assert.equal(configFromEnv(local).demoContent, true)
  assert.equal(configFromEnv({ ...local, SHOWROOM_DEMO_CONTENT: '0' }).demoContent, false)
  assert.equal(configFromEnv({ ...local, SHOWROOM_DEMO: '0' }).demoContent, false)
  const shared = { ...local, DATABASE_URL: 'http://127.0.0.1:8080', SHOWROOM_DEMO: '1' }
  assert.equal(configFromEnv(shared).demoContent, true)
})
