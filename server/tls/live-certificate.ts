// The certificate an HTTPS server presents, replaceable while it runs: every handshake with a server name gets the
// current context (SNICallback), handshakes without one (a screen opened by address) get the server's default,
// which replace() updates through setSecureContext.
import { createSecureContext, type SecureContext } from 'node:tls'
import { X509Certificate } from 'node:crypto'

export type CertificatePems = { certPem: string; keyPem: string }

type SecureServer = { setSecureContext: (options: { cert: string; key: string }) => void }

export class LiveCertificate {
  private context: SecureContext
  private servers: SecureServer[] = []
  current: CertificatePems
  notBefore: number
  notAfter: number

  // beforeHandshake: a cheap check that may replace the certificate first (the office's files changed)
  constructor(
    initial: CertificatePems,
    private beforeHandshake?: () => Promise<void>,
  ) {
    this.context = createSecureContext({ cert: initial.certPem, key: initial.keyPem })
    this.current = initial
    ;({ notBefore: this.notBefore, notAfter: this.notAfter } = validity(initial.certPem))
  }

  // throws (and keeps the old one) when the key does not match the certificate or either does not parse
  replace(next: CertificatePems) {
    const context = createSecureContext({ cert: next.certPem, key: next.keyPem })
    const dates = validity(next.certPem)
    this.context = context
    this.current = next
    this.notBefore = dates.notBefore
    this.notAfter = dates.notAfter
    for (const server of this.servers) server.setSecureContext({ cert: next.certPem, key: next.keyPem })
  }

  attach(server: SecureServer) {
    this.servers.push(server)
  }

  // options for https.createServer
  serverOptions() {
    return {
      cert: this.current.certPem,
      key: this.current.keyPem,
      SNICallback: (_servername: string, done: (error: Error | null, context?: SecureContext) => void) => {
        const ready = this.beforeHandshake ? this.beforeHandshake() : Promise.resolve()
        ready.then(
          () => done(null, this.context),
          () => done(null, this.context),
        )
      },
    }
  }
}

export function validity(certPem: string) {
  const cert = new X509Certificate(certPem)
  return {
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
    serial: cert.serialNumber,
  }
}
