// HTTPS for the Node adapter: picks the certificate source (local CA, the office's files, ACME), keeps it renewed
// while the server runs, and serves the plain HTTP_PORT. server/main.ts only passes serveOptions() to serve().
import { mkdir, readFile, writeFile, chmod } from 'node:fs/promises'
import { createServer as createHttpsServer } from 'node:https'
import { networkInterfaces } from 'node:os'
import path from 'node:path'
import type { Server as HttpServer } from 'node:http'
import { serve } from '@hono/node-server'
import type { Config } from '../config.ts'
import { log } from '../log.ts'
import { originOf } from '../listen-urls.ts'
import {
  loadOrCreateRootCa,
  issueServerCertificate,
  sha256Fingerprint,
  rootKeyFile,
  type TextFileStore,
} from './local-ca.ts'
import { certificateNames, type Interfaces } from './names.ts'
import { LiveCertificate, validity, type CertificatePems } from './live-certificate.ts'
import { startRenewal, renewalDueAt, type Renewal } from './renewal.ts'
import { loadCertificateFiles } from './cert-files.ts'
import { obtainCertificate, createAccountKey, type Challenges } from './acme.ts'
import { httpPortApp } from './http-port.ts'

export function nodeFileStore(dir: string): TextFileStore {
  return {
    load: (name) => readFile(path.join(dir, name), 'utf8').catch(() => null),
    save: async (name, text) => {
      await mkdir(dir, { recursive: true, mode: 0o700 })
      const file = path.join(dir, name)
      await writeFile(file, text, { mode: 0o600 })
      // an existing file keeps its mode on write: make sure a key is private whatever was there
      await chmod(file, 0o600)
    },
  }
}

export type NodeTls = {
  live: LiveCertificate
  caCertPem?: string
  caFingerprint?: string
  // renews (or reloads) if due at `now`; true when the presented certificate changed
  check: (now?: number) => Promise<boolean>
  // spread into @hono/node-server's serve() options
  serveOptions: () => { createServer: typeof createHttpsServer; serverOptions: object }
  // after serve(): the server whose default certificate follows renewals, and its real port for redirects
  attach: (server: unknown, httpsPort: number) => void
  httpPort?: number
  stop: () => Promise<void>
}

export async function startNodeTls(
  config: Config,
  // read again at each renewal: a screen may reach the server by an address DHCP gave it since the start
  { interfaces = () => networkInterfaces() as Interfaces }: { interfaces?: () => Interfaces } = {},
): Promise<NodeTls | null> {
  const tls = config.tls
  if (tls.mode === 'off') return null
  const store = nodeFileStore(path.join(config.dataDir, 'tls'))
  const challenges: Challenges = new Map()
  let caCertPem: string | undefined
  let httpsPort = config.port

  // the plain port first: ACME validates through it before HTTPS can start
  let httpServer: HttpServer | undefined
  let httpPort: number | undefined
  if (tls.httpPort !== undefined) {
    const app = httpPortApp({
      challenges,
      caCertPem: () => caCertPem,
      httpsOrigin: (url) => tls.publicOrigin ?? originOf('https', url.hostname, httpsPort),
    })
    httpServer = await new Promise<HttpServer>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.host, port: tls.httpPort! }, () =>
        resolve(s as HttpServer),
      ) as HttpServer
      s.once('error', reject)
    })
    const address = httpServer.address()
    httpPort = typeof address === 'object' && address ? address.port : tls.httpPort
  }

  let live: LiveCertificate
  let renewal: Renewal | { check: () => Promise<boolean>; stop: () => void }
  let caFingerprint: string | undefined
  if (tls.mode === 'local') {
    const ca = await loadOrCreateRootCa(store)
    caCertPem = ca.certPem
    caFingerprint = await sha256Fingerprint(ca.certPem)
    if (ca.created) log({ msg: 'tls.ca-created', file: path.join(config.dataDir, 'tls', rootKeyFile) })
    const names = () =>
      certificateNames({
        publicHost: tls.publicHost,
        extraHostnames: tls.extraHostnames,
        interfaces: interfaces(),
      })
    live = new LiveCertificate(await issueServerCertificate(ca, names()))
    renewal = startRenewal({
      what: 'local CA server certificate',
      dueAt: () => renewalDueAt(live),
      renew: async () => live.replace(await issueServerCertificate(ca, names())),
    })
  } else if (tls.mode === 'files') {
    const files = await loadCertificateFiles({ certFile: tls.certFile!, keyFile: tls.keyFile! })
    live = files.live
    renewal = files
  } else {
    const host = tls.publicHost!
    const accountKeyPem = (await store.load('acme-account.pem')) ?? (await createAccountKey())
    await store.save('acme-account.pem', accountKeyPem)
    const obtain = async (): Promise<CertificatePems> => {
      const started = Date.now()
      const pems = await obtainCertificate({
        directoryUrl: tls.acmeDirectoryUrl,
        email: tls.acmeEmail!,
        host,
        accountKeyPem,
        challenges,
      })
      await store.save(
        'acme-certificate.json',
        JSON.stringify({ directoryUrl: tls.acmeDirectoryUrl, host, ...pems }),
      )
      log({ msg: 'tls.acme-issued', host, ms: Date.now() - started })
      return pems
    }
    // a restart reuses the certificate it has (CAs rate-limit new orders) while it is for this host and not yet due
    const stored = JSON.parse((await store.load('acme-certificate.json')) ?? 'null') as
      (CertificatePems & { directoryUrl: string; host: string }) | null
    const reusable =
      stored?.host === host &&
      stored.directoryUrl === tls.acmeDirectoryUrl &&
      Date.now() < renewalDueAt(validity(stored.certPem))
    let first: CertificatePems
    try {
      first = reusable ? stored : await obtain()
    } catch (error) {
      httpServer?.close()
      throw new Error(
        `TLS=acme: no certificate for ${host} from ${tls.acmeDirectoryUrl}: ${error}. ` +
          `The CA must reach http://${host}:${tls.httpPort === 80 ? '' : tls.httpPort} (HTTP_PORT) from the internet.`,
      )
    }
    live = new LiveCertificate(first)
    renewal = startRenewal({
      what: `ACME certificate for ${host}`,
      dueAt: () => renewalDueAt(live),
      renew: async () => live.replace(await obtain()),
    })
  }

  return {
    live,
    caCertPem,
    caFingerprint,
    check: (now) => renewal.check(now),
    serveOptions: () => ({ createServer: createHttpsServer, serverOptions: live.serverOptions() }),
    attach: (server, port) => {
      live.attach(server as { setSecureContext: (o: { cert: string; key: string }) => void })
      httpsPort = port
    },
    httpPort,
    stop: async () => {
      renewal.stop()
      if (httpServer) {
        const closing = new Promise<void>((resolve) => httpServer!.close(() => resolve()))
        httpServer.closeAllConnections?.()
        await closing
      }
    },
  }
}
