// Short codes for links a phone scans: `<id>.<mac>`, the record's random id and a truncated HMAC under the server's
// MAC key, so the QR stays small (version ≤ 5) while a guessed or altered id is refused like a forged token.
import type { Keys } from './keys.ts'
import { base64url } from '../models/ids.ts'

export type ShortLinkPurpose = 'referral' | 'receipt'
// 16 base64url characters of HMAC-SHA256: 96 bits
const macChars = 16
const idPattern = /^[A-Za-z0-9_-]{8,32}$/

const encoder = new TextEncoder()

async function mac(keys: Keys, purpose: ShortLinkPurpose, id: string) {
  const signature = await crypto.subtle.sign(
    'HMAC',
    keys.macKey,
    encoder.encode(`short-link:${purpose}:${id}`),
  )
  return base64url(new Uint8Array(signature)).slice(0, macChars)
}

export async function shortLinkCode(keys: Keys, purpose: ShortLinkPurpose, id: string): Promise<string> {
  return `${id}.${await mac(keys, purpose, id)}`
}

// the id a short code stands for, or null when it is not one of ours (for this purpose)
export async function shortLinkId(
  keys: Keys,
  purpose: ShortLinkPurpose,
  code: string,
): Promise<string | null> {
  if (typeof code !== 'string' || code.length > 64) return null
  const dot = code.indexOf('.')
  if (dot < 0 || code.indexOf('.', dot + 1) >= 0) return null
  const id = code.slice(0, dot)
  const given = code.slice(dot + 1)
  if (!idPattern.test(id) || given.length !== macChars) return null
  const expected = await mac(keys, purpose, id)
  // compare without an early exit, so timing says nothing about how much of a guess was right
  let difference = 0
  for (let i = 0; i < macChars; i++) difference |= expected.charCodeAt(i) ^ given.charCodeAt(i)
  return difference === 0 ? id : null
}

// a JWT has two dots; a short code has one
export const isShortCode = (token: string) => token.split('.').length === 2
