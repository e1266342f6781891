// Notification credentials (a robot URL's access token, a DingTalk 加签 secret, a webhook's whsec_ secret) are kept
// sealed under the data key like phone numbers: a copy of the database alone does not hand them out. The admin
// page never shows them, and delivery still signs and reaches the right URL.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createHmac } from 'node:crypto'
import { makeTestApp, Client } from '../helpers/app.ts'
import { waitUntil } from '../helpers/runtime.ts'
import { enqueueNotification, notifyChannels, sealChannelCredentials } from '../../models/notify.ts'
import { staff } from '../../models/staff.ts'
import { eq } from 'drizzle-orm'
import { startNotifyWorker } from '../../server/notify/worker.ts'
import { verifyStandardWebhook } from '../../server/notify/sign.ts'

const accessToken = 'a1b2c3d4e5f6robottoken'
const dingSecret = 'SEC0123456789abcdef0123456789abcdef'
const whsec = 'whsec_' + Buffer.from('thirty-two bytes of shared secret').toString('base64')

async function receiver() {
  const received: { url: string; headers: Record<string, string>; body: string }[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({
        url: req.url ?? '',
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    received,
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

test('a robot token and the secrets are sealed in the database, hidden on the page, and delivery still works', async () => {
  const t = await makeTestApp()
  const hook = await receiver()
  const admin = new Client(t.app)
  await admin.login('admin', t.passwordOf('admin'))
  try {
    for (const fields of [
      { kind: 'dingtalk', url: `${hook.base}/robot/send?access_token=${accessToken}`, secret: dingSecret },
      { kind: 'webhook', url: `${hook.base}/hook`, secret: whsec },
    ]) {
      const added = await admin.post('/admin/notifications/channels', fields)
      assert.equal(added.status, 303, await added.text())
    }
    const rows = await t.database.db.select().from(notifyChannels)
    assert.equal(rows.length, 2)
    const stored = JSON.stringify(rows)
    for (const credential of [accessToken, dingSecret, whsec, whsec.slice(6)])
      assert.ok(!stored.includes(credential), `${credential.slice(0, 8)}… is not in the database`)
    assert.ok(!stored.includes(hook.base), 'the receiver URL is sealed as a whole')

    const page = await (await admin.get('/admin/notifications?lang=en')).text()
    assert.ok(!page.includes(accessToken) && !page.includes(dingSecret) && !page.includes(whsec))
    assert.match(page, /\/robot\/send\?…/, 'the page shows where the robot is, without its token')

    // both channels receive a message, each signed with its own secret
    const [sales] = await t.database.db.select().from(staff).where(eq(staff.username, 'sales'))
    const worker = startNotifyWorker(t.deps, { origin: 'http://127.0.0.1:8787' })
    try {
      await t.database.write((tx) =>
        enqueueNotification(tx, {
          officeId: t.seeded.officeId,
          consultantId: sales!.id,
          event: 'visit.assigned',
          at: t.clock.now(),
        }),
      )
      worker.wake()
      await waitUntil(async () => hook.received.length === 2 || undefined, {
        timeoutMs: 10_000,
        what: 'two deliveries',
      })
    } finally {
      await worker.stop()
    }
    const ding = hook.received.find((r) => r.url.startsWith('/robot/send'))!
    const query = new URL(ding.url, hook.base).searchParams
    assert.equal(query.get('access_token'), accessToken)
    const expected = createHmac('sha256', dingSecret)
      .update(`${query.get('timestamp')}\n${dingSecret}`)
      .digest('base64')
    assert.equal(query.get('sign'), expected, 'DingTalk 加签 made with the unsealed secret')
    const webhook = hook.received.find((r) => r.url === '/hook')!
    assert.ok(
      await verifyStandardWebhook(
        whsec,
        {
          id: webhook.headers['webhook-id']!,
          timestamp: webhook.headers['webhook-timestamp']!,
          signature: webhook.headers['webhook-signature']!,
        },
        webhook.body,
      ),
    )
  } finally {
    await hook.close()
  }
})

test('channels saved in the clear before sealing are sealed at start, and still deliver', async () => {
  const t = await makeTestApp()
  await t.database.db.insert(notifyChannels).values({
    id: 'legacy-channel',
    officeId: t.seeded.officeId,
    kind: 'wecom',
    url: `http://127.0.0.1:9/cgi-bin/webhook/send?key=${accessToken}`,
    createdAt: t.clock.now(),
  })
  assert.equal(await sealChannelCredentials(t.database, t.deps.keys.phone.dataKey), 1)
  const [row] = await t.database.db.select().from(notifyChannels)
  assert.ok(!JSON.stringify(row).includes(accessToken))
  // a second start finds nothing left in the clear
  assert.equal(await sealChannelCredentials(t.database, t.deps.keys.phone.dataKey), 0)
})
