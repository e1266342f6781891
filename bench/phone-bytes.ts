// Bytes a phone downloads for a first check-in: scan the entrance code, load the check-in page and what it links,
// send the form, load the visit pass and what it adds. Compressed bytes on the wire (bodies and headers), cold cache.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { request } from 'node:http'
import { createClient } from '@libsql/client'
import { startNodeServer } from '../test/helpers/runtime.ts'
import { entranceStationOf, insertEntranceCodes } from '../test/helpers/entrance-codes.ts'
import { report } from './_lib.ts'

export const targetBytes = 40 * 1024
// one round trip for the HTML: it fits the first flight of a new TCP connection (10 segments × 1460 bytes)
export const firstFlightBytes = 14_600

type Fetched = {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  wire: number
}

// a phone's request: Chrome's Accept-Encoding, its cookies; the raw (still compressed) bytes are counted
function get(
  base: string,
  pathname: string,
  cookie: string,
  method = 'GET',
  form?: string,
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const url = new URL(pathname, base)
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: {
          'accept-encoding': 'gzip, deflate, br',
          'user-agent': 'Mozilla/5.0 (Linux; Android 14) Mobile',
          cookie,
          ...(form
            ? {
                'content-type': 'application/x-www-form-urlencoded',
                'content-length': Buffer.byteLength(form),
              }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          const headerBytes = res.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0) + 20
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            wire: body.length + headerBytes,
          })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(form)
  })
}

const decode = async (f: Fetched) => {
  const { brotliDecompressSync, gunzipSync, inflateSync } = await import('node:zlib')
  const encoding = f.headers['content-encoding']
  if (encoding === 'br') return brotliDecompressSync(f.body).toString()
  if (encoding === 'gzip') return gunzipSync(f.body).toString()
  if (encoding === 'deflate') return inflateSync(f.body).toString()
  return f.body.toString()
}

// what an HTML page makes the browser fetch: stylesheets, scripts, icons
const linked = (html: string) =>
  [...html.matchAll(/<(?:link[^>]+href|script[^>]+src)="(\/[^"]+)"/g)].map((m) => m[1]!)

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'showroom-bench-'))
  const server = await startNodeServer({ DATA_DIR: dataDir, SHOWROOM_ADMIN_PASSWORD: 'bench-admin-password' })
  try {
    const db = createClient({ url: `file:${dataDir}/showroom.db` })
    const [code] = await insertEntranceCodes(db, await entranceStationOf(db))
    db.close()
    const cookies = new Map<string, string>()
    const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const keep = (f: Fetched) => {
      for (const line of ([] as string[]).concat(f.headers['set-cookie'] ?? [])) {
        const [pair] = line.split(';')
        const eq = pair!.indexOf('=')
        cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1))
      }
    }
    const rows: { what: string; bytes: number; encoding: string }[] = []
    const cached = new Set<string>()
    const page = async (what: string, pathname: string, method = 'GET', form?: string) => {
      const f = await get(server.base, pathname, cookieHeader(), method, form)
      keep(f)
      rows.push({ what, bytes: f.wire, encoding: String(f.headers['content-encoding'] ?? 'identity') })
      return f
    }
    const assetsOf = async (html: string) => {
      for (const url of linked(html)) {
        if (cached.has(url)) continue
        cached.add(url)
        await page(url, url)
      }
    }
    const checkinPage = await page('GET /checkin?t=… (HTML)', `/checkin?t=${code}`)
    const checkinHtml = await decode(checkinPage)
    await assetsOf(checkinHtml)
    const csrf = cookies.get('sr_csrf') ?? ''
    const sent = await page(
      'POST /checkin',
      '/checkin',
      'POST',
      new URLSearchParams({ _csrf: csrf, t: code!, phone: '' }).toString(),
    )
    if (sent.status !== 303) throw new Error(`check-in answered ${sent.status}`)
    const pass = await page('GET /pass (HTML)', '/pass')
    await assetsOf(await decode(pass))

    for (const row of rows)
      console.log(`  ${row.bytes.toString().padStart(7)} B  ${row.encoding.padEnd(8)} ${row.what}`)
    const total = rows.reduce((n, r) => n + r.bytes, 0)
    report('phone-bytes', {
      metric: 'bytes a phone downloads for a first check-in (compressed, headers included, cold cache)',
      value: total,
      unit: 'B',
      target: `≤ ${targetBytes}`,
      ok: total <= targetBytes,
      data: `${rows.length} responses: check-in page and its assets, the form's redirect, the visit pass and its assets`,
    })
    report('phone-bytes', {
      metric: 'check-in page HTML (compressed, headers included)',
      value: checkinPage.wire,
      unit: 'B',
      target: `≤ ${firstFlightBytes} (one round trip)`,
      ok: checkinPage.wire <= firstFlightBytes,
    })
  } finally {
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}

await main()
