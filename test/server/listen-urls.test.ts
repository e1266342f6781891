// The banner's URLs with HOST=0.0.0.0 or ::: one per non-loopback interface address, never the wildcard.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { listenUrls } from '../../server/listen-urls.ts'
import type { Interfaces } from '../../server/tls/names.ts'

// a made-up machine: nothing is sent to these addresses, they are only formatted
const interfaces: Interfaces = {
  lo: [
    { address: '127.0.0.1', family: 'IPv4', internal: true },
    { address: '::1', family: 'IPv6', internal: true },
  ],
  eth0: [
    { address: '192.168.1.20', family: 'IPv4', internal: false },
    { address: 'fe80::a00:27ff:fe4e:66a1', family: 'IPv6', internal: false },
    { address: '2001:db8::20', family: 'IPv6', internal: false },
  ],
  wlan0: [{ address: '10.0.0.7', family: 4, internal: false }],
}

test('HOST=0.0.0.0: one URL per non-loopback IPv4 address', () => {
  const urls = listenUrls({ scheme: 'http', host: '0.0.0.0', port: 8787, interfaces })
  assert.deepEqual(urls, ['http://192.168.1.20:8787', 'http://10.0.0.7:8787'])
  assert.ok(!urls.some((u) => u.includes('0.0.0.0')))
})

test('HOST=:: adds global IPv6 addresses in brackets, never link-local or loopback', () => {
  const urls = listenUrls({ scheme: 'https', host: '::', port: 443, interfaces })
  assert.deepEqual(urls, ['https://192.168.1.20', 'https://[2001:db8::20]', 'https://10.0.0.7'])
})

test('a named host is printed as it is', () => {
  assert.deepEqual(listenUrls({ scheme: 'http', host: '127.0.0.1', port: 8787, interfaces }), [
    'http://127.0.0.1:8787',
  ])
  assert.deepEqual(listenUrls({ scheme: 'https', host: '::1', port: 8443, interfaces }), [
    'https://[::1]:8443',
  ])
})
