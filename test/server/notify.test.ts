// Notifications to consultants: a receiver on loopback gets a signed message soon after the check-in, with no digit
// sequence of the phone; a receiver that is down delays nothing and gets the message once it is back.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { eq } from 'drizzle-orm'
import { makeTestApp, Client, type TestApp } from '../helpers/app.ts'
import { putOnDuty } from '../helpers/dashboard-fixtures.ts'
import { checkIn } from '../helpers/visitor.ts'
import { waitUntil } from '../helpers/runtime.ts'
import { addChannel, notifyOutbox, retryDelaysMs, deadLetters } from '../../models/notify.ts'
import { visits } from '../../models/visits.ts'
import { staff } from '../../models/staff.ts'
import { startNotifyWorker } from '../../server/notify/worker.ts'
import { verifyStandardWebhook } from '../../server/notify/sign.ts'

const phone = '13957086421'
const secret = 'whsec_' + Buffer.from('a shared secret of 32 bytes long').toString('base64')
type Received = { headers: Record<string, string>; body: string; url: string; at: number }

// a loopback receiver that records every request; `reply` decides the answer
async function receiver(reply: (r: Received) => { status: number; body: string }, port = 0) {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r = {
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
        url: req.url ?? '',
        at: Date.now(),
      }
      received.push(r)
      const { status, body } = reply(r)
      res.writeHead(status, { 'content-type': 'application/json' }).end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address()
  const bound = typeof address === 'object' && address ? address.port : 0
  return {
    received,
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

const ok = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' })

async function office(
  t: TestApp,
  channel: { kind: 'wecom' | 'dingtalk' | 'webhook'; url: string; secret?: string; mention?: string },
) {
  await t.database.write((tx) =>
    addChannel(tx, {
      dataKey: t.keys.phone.dataKey,
      officeId: t.seeded.officeId,
      input: { secret: '', consultantId: '', mention: '', ...channel },
      now: t.clock.now(),
    }),
  )
  const worker = startNotifyWorker(t.deps, { origin: 'http://127.0.0.1:8787' })
  t.deps.notifier = worker
  return worker
}

// day 1: the client checks in with a phone number and is served by Zhang (the rotation's first); day 5 they return
async function servedOnDayOne(t: TestApp) {
  await putOnDuty(t.database, ['sales', 'sales2'])
  await checkIn(t, { phone })
  const staffClient = new Client(t.app)
  await staffClient.login('sales', t.passwordOf('sales'))
  const [visit] = await t.database.db.select().from(visits)
  const next = await staffClient.post('/dashboard/queue/next', { visitId: visit!.id, revision: '0' })
  assert.equal(next.status, 303)
  await staffClient.post(`/visits/${visit!.id}/checkout`, {})
  t.clock.advance(4 * 86_400_000)
}

// every run of four or more digits of the phone number, and the mask's visible digits
function phoneDigitRuns(number: string): string[] {
  const runs = [number.slice(0, 3), number.slice(-4)]
  for (let i = 0; i + 4 <= number.length; i++) runs.push(number.slice(i, i + 4))
  return runs
}

test('a returning client’s owner gets a Standard Webhooks message within 2 s, signed, with no digits of the phone', async (ctx) => {
  const t = await makeTestApp()
  const hook = await receiver(ok)
  const worker = await office(t, { kind: 'webhook', url: hook.url, secret })
  try {
    await servedOnDayOne(t)
    const before = hook.received.length
    const started = Date.now()
    await checkIn(t, { phone })
    const message = await waitUntil(
      async () => hook.received.slice(before).find((r) => JSON.parse(r.body).type === 'client.returned'),
      { timeoutMs: 5000, what: 'the returning-client message' },
    )
    assert.ok(message.at - started < 2000, `arrived ${message.at - started} ms after the check-in`)
    ctx.diagnostic(`delivered ${message.at - started} ms after the check-in request began`)
    assert.ok(
      await verifyStandardWebhook(
        secret,
        {
          id: message.headers['webhook-id']!,
          timestamp: message.headers['webhook-timestamp']!,
          signature: message.headers['webhook-signature']!,
        },
        message.body,
      ),
      'the signature verifies with the shared secret',
    )
    assert.match(message.headers['webhook-signature']!, /^v1,[A-Za-z0-9+/]+=*$/)
    assert.ok(
      !(await verifyStandardWebhook(
        'whsec_' + Buffer.from('another secret, also 32 bytes!!').toString('base64'),
        {
          id: message.headers['webhook-id']!,
          timestamp: message.headers['webhook-timestamp']!,
          signature: message.headers['webhook-signature']!,
        },
        message.body,
      )),
    )
    const body = JSON.parse(message.body)
    assert.equal(body.data.link, 'http://127.0.0.1:8787/dashboard/mine')
    assert.match(body.data.text, /A returning client of yours arrived at \d\d:\d\d/)
    for (const run of phoneDigitRuns(phone)) assert.ok(!message.body.includes(run), `body holds ${run}`)
    assert.doesNotMatch(message.body, /\*\*\*\*/)
    const assigned = hook.received.find((r) => JSON.parse(r.body).type === 'visit.assigned')
    assert.ok(assigned, 'the assignment on day 1 was announced too')
  } finally {
    await worker.stop()
    await hook.close()
  }
})

test('receiver down: the check-in is not held up, and the message arrives after the receiver is back', async (ctx) => {
  const t = await makeTestApp()
  const probe = await receiver(ok)
  const port = probe.port
  await probe.close()
  const worker = await office(t, { kind: 'webhook', url: `http://127.0.0.1:${port}/hook`, secret })
  try {
    await servedOnDayOne(t)
    const started = Date.now()
    await checkIn(t, { phone })
    assert.ok(Date.now() - started < 2000, 'the check-in answered in normal time')
    ctx.diagnostic(`check-in with the receiver down: ${Date.now() - started} ms`)
    // the first attempt failed and waits for its retry
    const failed = await waitUntil(
      async () =>
        (await t.database.db.select().from(notifyOutbox)).find(
          (m) => m.event === 'client.returned' && m.attempts > 0,
        ),
      { what: 'a failed first attempt' },
    )
    assert.equal(failed.deliveredAt, null)
    assert.ok(failed.lastError)
    const hook = await receiver(ok, port)
    try {
      t.clock.advance(retryDelaysMs[0]!)
      worker.wake()
      const message = await waitUntil(
        async () => hook.received.find((r) => JSON.parse(r.body).type === 'client.returned'),
        { timeoutMs: 5000, what: 'the retried message' },
      )
      assert.equal(message.headers['webhook-id'], failed.id, 'a retry keeps its webhook-id')
    } finally {
      await hook.close()
    }
  } finally {
    await worker.stop()
  }
})

test('WeCom and DingTalk robots get their own formats; DingTalk 加签 in the query; errcode ≠ 0 is retried', async () => {
  const t = await makeTestApp()
  let dingFails = 1
  const wecom = await receiver(ok)
  const ding = await receiver(() =>
    dingFails-- > 0 ? { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' } : ok(),
  )
  const worker = await office(t, { kind: 'wecom', url: `${wecom.url}?key=abc`, mention: 'zhangsan' })
  await t.database.write((tx) =>
    addChannel(tx, {
      dataKey: t.keys.phone.dataKey,
      officeId: t.seeded.officeId,
      input: {
        kind: 'dingtalk',
        url: `${ding.url}?access_token=xyz`,
        secret: 'SECdingsecret',
        consultantId: '',
        mention: 'user123',
      },
      now: t.clock.now(),
    }),
  )
  try {
    await servedOnDayOne(t)
    await waitUntil(async () => wecom.received.length >= 1 && ding.received.length >= 1, {
      what: 'both robots',
    })
    const w = JSON.parse(wecom.received[0]!.body)
    assert.equal(w.msgtype, 'text')
    assert.deepEqual(w.text.mentioned_list, ['zhangsan'])
    assert.match(w.text.content, /分配给您接待/)
    const d = ding.received[0]!
    const query = new URL(d.url, 'http://x').searchParams
    assert.equal(query.get('access_token'), 'xyz')
    const timestamp = query.get('timestamp')!
    const { createHmac } = await import('node:crypto')
    const expected = createHmac('sha256', 'SECdingsecret')
      .update(`${timestamp}\nSECdingsecret`)
      .digest('base64')
    assert.equal(query.get('sign'), expected)
    assert.deepEqual(JSON.parse(d.body).at, { atUserIds: ['user123'], isAtAll: false })
    // the robot refused the first: it is retried after the first delay
    const [refused] = (await t.database.db.select().from(notifyOutbox)).filter(
      (m) => m.lastError === 'errcode 310000',
    )
    assert.ok(refused)
    t.clock.advance(retryDelaysMs[0]!)
    worker.wake()
    await waitUntil(async () => ding.received.length >= 2, { what: 'the DingTalk retry' })
    await worker.settled()
    const [row] = await t.database.db.select().from(notifyOutbox).where(eq(notifyOutbox.id, refused.id))
    assert.ok(row!.deliveredAt)
  } finally {
    await worker.stop()
    await wecom.close()
    await ding.close()
  }
})

test('after the last retry a message goes to the dead-letter list', async () => {
  const t = await makeTestApp()
  const down = await receiver(() => ({ status: 503, body: '' }))
  const worker = await office(t, { kind: 'webhook', url: down.url, secret })
  try {
    await servedOnDayOne(t)
    for (const delay of retryDelaysMs) {
      await worker.settled()
      t.clock.advance(delay)
      worker.wake()
    }
    await worker.settled()
    const dead = await deadLetters(t.database.db, t.seeded.officeId)
    assert.equal(dead.length, 1)
    assert.equal(dead[0]!.attempts, retryDelaysMs.length + 1)
    assert.equal(dead[0]!.lastError, 'HTTP 503')
  } finally {
    await worker.stop()
    await down.close()
  }
})

test('the returning client’s message is in the outbox when the check-in commits: a stop before any listener runs loses nothing', async () => {
  const t = await makeTestApp()
  // a channel, no sender running: only what the check-in's own transaction wrote counts
  await t.database.write((tx) =>
    addChannel(tx, {
      dataKey: t.keys.phone.dataKey,
      officeId: t.seeded.officeId,
      input: { secret, consultantId: '', mention: '', kind: 'webhook', url: 'http://127.0.0.1:9/hook' },
      now: t.clock.now(),
    }),
  )
  await servedOnDayOne(t)
  // the process dies right after the commit: no domain event reaches a listener
  const events = t.deps.events!
  const emit = events.emit
  events.emit = () => {}
  try {
    await checkIn(t, { phone })
  } finally {
    events.emit = emit
  }
  const [owner] = await t.database.db.select().from(staff).where(eq(staff.username, 'sales'))
  const returned = await t.database.db
    .select()
    .from(notifyOutbox)
    .where(eq(notifyOutbox.event, 'client.returned'))
  assert.equal(returned.length, 1, 'one message, written with the check-in')
  assert.equal(returned[0]!.consultantId, owner!.id)
})
