// The QR codes a phone scans: short URLs, version ≤ 5 at level M, a 4-module quiet zone, one SVG unit per module.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { qrCode, maxScannedChars, maxScannedVersion, quietZoneModules } from '../../server/qr.ts'
import { newId } from '../../models/ids.ts'

const origin = 'https://showroom.example.cn:8443'

test('entrance, receipt, referral, pass and display-start URLs fit version 5 at level M within 80 characters', () => {
  const urls = {
    entrance: `${origin}/checkin?t=${newId()}`,
    receipt: `${origin}/receipt/${newId()}.${newId()}`,
    referral: `${origin}/r/${newId()}.${newId()}`,
    pass: `${origin}/visits/${newId()}`,
    displayStart: `${origin}/s/${newId()}`,
  }
  for (const [name, url] of Object.entries(urls)) {
    assert.ok(url.length <= maxScannedChars, `${name}: ${url.length} characters`)
    const qr = qrCode(url)
    assert.ok(qr.version <= maxScannedVersion, `${name}: version ${qr.version}`)
    // 4 × version + 17 modules, plus the quiet zone on both sides
    assert.equal(qr.modules, 4 * qr.version + 17 + 2 * quietZoneModules)
    assert.match(qr.svg, new RegExp(`viewBox="0 0 ${qr.modules} ${qr.modules}"`))
    assert.match(qr.svg, /shape-rendering="crispEdges"/)
    assert.ok(qr.svg.includes(`data-qr="${url}"`))
  }
})

test('an over-long text is still drawn (a page never fails for it), and attribute text is escaped', () => {
  const long = `${origin}/${'x'.repeat(120)}`
  assert.ok(qrCode(long).version > maxScannedVersion)
  assert.match(
    qrCode('https://a.example/?a=1&b="2"').svg,
    /data-qr="https:\/\/a\.example\/\?a=1&amp;b=&quot;2&quot;"/,
  )
})
