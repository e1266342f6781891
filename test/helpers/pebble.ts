// Debian's pebble (a test ACME CA) and pebble-challtestsrv (its DNS, answering 127.0.0.1 for every name) on loopback
// ports, with a config and an HTTPS certificate made here (the package ships neither).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Agent, request } from 'node:https'
import { freePort, startChild, waitUntil, type Child } from './runtime.ts'
import { createRootCa, loadOrCreateRootCa, issueServerCertificate } from '../../server/tls/local-ca.ts'

export const pebbleBinary = process.env.PEBBLE_PATH ?? '/usr/bin/pebble'
export const challtestsrvBinary = process.env.PEBBLE_CHALLTESTSRV_PATH ?? '/usr/bin/pebble-challtestsrv'

function getText(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode!, body }))
    })
    req.once('error', reject)
    req.end()
  })
}

// httpPort: where pebble's validator connects for HTTP-01 (the server's HTTP_PORT)
export async function startPebble({ httpPort }: { httpPort: number }) {
  for (const binary of [pebbleBinary, challtestsrvBinary]) {
    if (!existsSync(binary))
      throw new Error(`${binary} missing: apt-get install pebble (.ci/run installs it)`)
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-pebble-'))
  // pebble's own HTTPS listener needs a certificate: made by a throwaway CA the test then trusts
  const made = await createRootCa()
  const files = new Map([
    ['ca.crt', made.certPem],
    ['ca-key.pem', made.keyPem],
  ])
  const listenerCa = await loadOrCreateRootCa({
    load: async (n) => files.get(n) ?? null,
    save: async () => undefined,
  })
  const listener = await issueServerCertificate(listenerCa, { dns: ['localhost'], ip: ['127.0.0.1'] })
  await writeFile(path.join(dir, 'cert.pem'), listener.certPem)
  await writeFile(path.join(dir, 'key.pem'), listener.keyPem)
  const [acmePort, managementPort, dnsPort, dnsManagementPort, tlsPort] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  )
  await writeFile(
    path.join(dir, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: path.join(dir, 'cert.pem'),
        privateKey: path.join(dir, 'key.pem'),
        httpPort,
        tlsPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  )
  const children: Child[] = []
  const dns = startChild(
    challtestsrvBinary,
    [
      ...['-defaultIPv4', '127.0.0.1', '-defaultIPv6', ''],
      ...['-dns01', `127.0.0.1:${dnsPort}`, '-management', `127.0.0.1:${dnsManagementPort}`],
      ...['-http01', '', '-https01', '', '-tlsalpn01', ''],
    ],
    { PATH: process.env.PATH },
  )
  children.push(dns)
  await dns.waitFor(/Starting management server/)
  const pebble = startChild(
    pebbleBinary,
    ['-config', path.join(dir, 'pebble.json'), '-dnsserver', `127.0.0.1:${dnsPort}`],
    {
      PATH: process.env.PATH,
      // validate at once, and never reject a nonce at random (the client would retry, but the test stays plain)
      PEBBLE_VA_NOSLEEP: '1',
      PEBBLE_WFE_NONCEREJECT: '0',
      // every order proves control again, renewals included
      PEBBLE_AUTHZREUSE: '0',
    },
  )
  children.push(pebble)
  const directoryUrl = `https://127.0.0.1:${acmePort}/dir`
  const listenerRoot = listenerCa.certPem
  await waitUntil(
    () =>
      getText(directoryUrl, listenerRoot)
        .then((r) => r.status === 200)
        .catch(() => false),
    {
      what: 'pebble to serve its directory',
      timeoutMs: 30_000,
    },
  )
  // the root pebble signs certificates with (made afresh at each start)
  const issuingRoot = await waitUntil(
    () =>
      getText(`https://127.0.0.1:${managementPort}/roots/0`, listenerRoot)
        .then((r) => (r.status === 200 ? r.body : null))
        .catch(() => null),
    { what: 'pebble’s root', timeoutMs: 30_000 },
  )
  return {
    directoryUrl,
    // for the ACME client to trust pebble's own HTTPS listener
    httpsAgent: new Agent({ ca: listenerRoot }),
    issuingRoot,
    output: () => [...dns.output, ...pebble.output].join('\n'),
    async stop() {
      for (const child of children) await child.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
