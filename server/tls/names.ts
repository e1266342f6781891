// Which names and addresses the local CA's server certificate covers: the public host, localhost, loopback, every
// interface address and TLS_HOSTNAMES, so a screen reaches the server by whichever of them it was given.
import { isIpAddress } from './config.ts'
import type { ServerNames } from './local-ca.ts'

// the shape of os.networkInterfaces() (Deno.networkInterfaces() maps to it), passed in so tests can fake it
export type InterfaceAddress = { address: string; family: string | number; internal: boolean }
export type Interfaces = Record<string, InterfaceAddress[] | undefined>

const isIpv6 = (a: InterfaceAddress) => a.family === 'IPv6' || a.family === 6
// fe80::/10 needs a zone id (%eth0) to be used, which neither URLs nor certificates carry
export const isLinkLocal = (address: string) => /^fe[89ab][0-9a-f]:/i.test(address)

export function interfaceAddresses(interfaces: Interfaces, { internal = true } = {}): InterfaceAddress[] {
  return Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((a) => (internal || !a.internal) && !(isIpv6(a) && isLinkLocal(a.address)))
}

export function certificateNames({
  publicHost,
  extraHostnames = [],
  interfaces = {},
}: {
  publicHost?: string
  extraHostnames?: string[]
  interfaces?: Interfaces
}): ServerNames {
  const wanted = [
    ...(publicHost ? [publicHost] : []),
    'localhost',
    '127.0.0.1',
    '::1',
    ...interfaceAddresses(interfaces).map((a) => a.address),
    ...extraHostnames,
  ]
  const unique = [...new Set(wanted.map((name) => name.toLowerCase()))]
  return { dns: unique.filter((n) => !isIpAddress(n)), ip: unique.filter(isIpAddress) }
}
