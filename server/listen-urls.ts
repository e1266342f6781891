// The URLs a person can open for a server listening on HOST: its own address, or with 0.0.0.0 / :: one URL per
// non-loopback interface address ("Network:" as dev servers print it), never the wildcard itself.
import { interfaceAddresses, type Interfaces } from './tls/names.ts'

const wildcards = new Set(['0.0.0.0', '::', '[::]', ''])
const isIpv6 = (family: string | number) => family === 'IPv6' || family === 6

export function originOf(scheme: 'http' | 'https', host: string, port: number): string {
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host
  const defaultPort = scheme === 'https' ? 443 : 80
  return `${scheme}://${shown}${port === defaultPort ? '' : `:${port}`}`
}

export function listenUrls({
  scheme,
  host,
  port,
  interfaces,
}: {
  scheme: 'http' | 'https'
  host: string
  port: number
  interfaces: Interfaces
}): string[] {
  if (!wildcards.has(host)) return [originOf(scheme, host, port)]
  // 0.0.0.0 accepts IPv4 only; :: accepts both on a dual-stack system
  const ipv4Only = host === '0.0.0.0'
  return interfaceAddresses(interfaces, { internal: false })
    .filter((a) => !(ipv4Only && isIpv6(a.family)))
    .map((a) => originOf(scheme, a.address, port))
}
