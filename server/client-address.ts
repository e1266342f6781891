// The client's address for rate limits and sign-in backoff: the socket peer, or the hop TRUST_PROXY says to believe.
import type { Context } from 'hono'
import type { AppEnv } from './context.ts'

// an IPv4 or IPv6 address as a proxy writes it; anything else in the header is not an address
const addressLike = /^[0-9A-Fa-f:.]{2,45}$/

// X-Forwarded-For is "client, proxy1, proxy2": each proxy appends the address it received the request from.
// Only the entries our own proxies appended can be believed; whatever is left of them the client may have written.
export function forwardedClient(socketAddress: string, forwardedFor: string | undefined, trustProxy: number) {
  if (trustProxy <= 0) return socketAddress
  const chain = (forwardedFor ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
  chain.push(socketAddress)
  const believed = chain[Math.max(0, chain.length - 1 - trustProxy)]!
  return addressLike.test(believed) ? believed : socketAddress
}

// a keyed hash of the client's address: lets failed sign-ins be counted per address without keeping the address
export async function addressTag(c: Context<AppEnv>): Promise<string> {
  const data = new TextEncoder().encode(`sign-in-address:${clientAddress(c)}`)
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', c.var.deps.keys.macKey, data))
  return btoa(String.fromCharCode(...mac.subarray(0, 12)))
}

export function clientAddress(c: Context<AppEnv>): string {
  const { deps } = c.var
  const socketAddress = deps.clientAddress?.(c) ?? 'local'
  return forwardedClient(socketAddress, c.req.header('x-forwarded-for'), deps.config.trustProxy)
}
