// TLS settings from the environment: which of the three ways (own CA, the office's files, ACME) and for which names.
export type TlsMode = 'off' | 'local' | 'files' | 'acme'

export type TlsConfig = {
  mode: TlsMode
  // PUBLIC_URL's origin and host name, when set
  publicOrigin?: string
  publicHost?: string
  // TLS_HOSTNAMES: more names (or addresses) the local CA puts on the server certificate
  extraHostnames: string[]
  certFile?: string
  keyFile?: string
  acmeEmail?: string
  acmeDirectoryUrl: string
  // plain-HTTP port beside the HTTPS one: redirects, the ACME challenge, /ca.crt (unset: none, except 80 for acme)
  httpPort?: number
}

export const letsEncryptProduction = 'https://acme-v02.api.letsencrypt.org/directory'

// a setting the server cannot start with; the message says what to change
export class TlsConfigError extends Error {}

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/
export const isIpAddress = (host: string) => ipv4.test(host) || host.includes(':')
export const isLocalName = (host: string) => host === 'localhost' || host.endsWith('.localhost')

// [::1] as a URL's hostname → ::1
const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1')

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new TlsConfigError(`${name} must be a port number; got "${value}"`)
  return n
}

export function tlsConfigFromEnv(env: Record<string, string | undefined>): TlsConfig {
  let publicOrigin: string | undefined
  let publicHost: string | undefined
  if (env.PUBLIC_URL) {
    let url: URL
    try {
      url = new URL(env.PUBLIC_URL)
    } catch {
      throw new TlsConfigError(
        `PUBLIC_URL must be a URL such as https://showroom.example.cn; got "${env.PUBLIC_URL}"`,
      )
    }
    publicOrigin = url.origin
    publicHost = bareHost(url.hostname)
  }
  const wanted = (env.TLS ?? '').trim().toLowerCase()
  if (!['', 'off', 'local', 'acme'].includes(wanted)) {
    throw new TlsConfigError(
      `TLS must be "local" or "acme" (or unset, with TLS_CERT_FILE for your own files); got "${env.TLS}"`,
    )
  }
  const certFile = env.TLS_CERT_FILE || undefined
  const keyFile = env.TLS_KEY_FILE || undefined
  if (!!certFile !== !!keyFile)
    throw new TlsConfigError('TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither')
  if (certFile && (wanted === 'local' || wanted === 'acme')) {
    throw new TlsConfigError(
      `TLS=${wanted} makes its own certificate: unset TLS_CERT_FILE/TLS_KEY_FILE, or unset TLS to use those files`,
    )
  }
  const mode: TlsMode = certFile ? 'files' : wanted === 'local' || wanted === 'acme' ? wanted : 'off'
  if (mode !== 'off' && publicOrigin?.startsWith('http:')) {
    throw new TlsConfigError(`with TLS on, PUBLIC_URL must start with https:// (got ${publicOrigin})`)
  }
  if (mode === 'acme') {
    if (!publicHost)
      throw new TlsConfigError(
        'TLS=acme needs PUBLIC_URL (https://<your domain>): the certificate is for its host',
      )
    if (isIpAddress(publicHost) || isLocalName(publicHost)) {
      throw new TlsConfigError(
        `TLS=acme cannot get a certificate for ${publicHost}: a public CA only certifies a DNS name that the internet ` +
          'reaches. Use a domain name in PUBLIC_URL, or TLS=local for a server known by an address or on a LAN.',
      )
    }
    if (!env.ACME_EMAIL)
      throw new TlsConfigError('TLS=acme needs ACME_EMAIL (the CA writes there about expiring certificates)')
  }
  return {
    mode,
    publicOrigin,
    publicHost,
    extraHostnames: (env.TLS_HOSTNAMES ?? '')
      .split(',')
      .map((name) => bareHost(name.trim()))
      .filter(Boolean),
    certFile,
    keyFile,
    acmeEmail: env.ACME_EMAIL || undefined,
    acmeDirectoryUrl: env.ACME_DIRECTORY_URL || letsEncryptProduction,
    httpPort: port(env.HTTP_PORT, 'HTTP_PORT') ?? (mode === 'acme' ? 80 : undefined),
  }
}
