// TLS probes for tests: what certificate a server presents to a handshake, and HTTPS requests trusting a given root.
import { connect, type PeerCertificate } from 'node:tls'
import { request } from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'

// the leaf a handshake gets (with or without a server name), and whether it chains to `ca`
export function presentedCertificate({
  port,
  servername,
  ca,
}: {
  port: number
  servername?: string
  ca?: string
}): Promise<{ cert: PeerCertificate; authorized: boolean; error?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: '127.0.0.1',
      port,
      ...(servername ? { servername } : {}),
      ca,
      rejectUnauthorized: false,
    })
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate()
      const result = { cert, authorized: socket.authorized, error: socket.authorizationError?.toString() }
      socket.end()
      resolve(result)
    })
    socket.once('error', reject)
  })
}

// GET over HTTPS to loopback, presenting `host` as the server name (SNI and Host header), verifying against `ca`
export function httpsGet({
  port,
  host,
  path,
  ca,
}: {
  port: number
  host: string
  path: string
  ca: string
}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: host,
        headers: { host: `${host}:${port}` },
        ca,
        agent: false,
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => (body += chunk))
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }))
      },
    )
    req.once('error', reject)
    req.end()
  })
}
