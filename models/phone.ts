// Phone numbers: normalised, then kept only as a keyed hash (to compare), a mask (to show) and AES-GCM ciphertext.
import { seal, unseal } from './seal.ts'

export type PhoneKeys = { hashKey: CryptoKey; dataKey: CryptoKey }
export type ProtectedPhone = { phoneHash: string; phoneMasked: string; phoneEncrypted: string }

// mainland mobile numbers (11 digits, 1[3-9]…) and international numbers in E.164 form
export function normalisePhone(input: string): string | null {
  const compact = input.replace(/[\s\-()]/g, '')
  const cn = compact.replace(/^(\+?86)/, '')
  if (/^1[3-9]\d{9}$/.test(cn)) return cn
  if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact
  return null
}

// at most the last 4 digits, and never half of a short number: 138****5678 for a mainland mobile (its
// 3-digit network prefix names a carrier, not a person), +****6789 for anything else; fixed width, so the
// mask does not tell the length either
export function maskPhone(normalised: string): string {
  if (/^1[3-9]\d{9}$/.test(normalised)) return normalised.slice(0, 3) + '****' + normalised.slice(-4)
  const digits = normalised.replace(/\D/g, '')
  const shown = Math.min(4, Math.floor(digits.length / 2))
  return (normalised.startsWith('+') ? '+' : '') + '****' + (shown ? digits.slice(-shown) : '')
}

export async function phoneHash(keys: PhoneKeys, normalised: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', keys.hashKey, new TextEncoder().encode(normalised))
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, '0')).join('')
}

export async function protectPhone(keys: PhoneKeys, normalised: string): Promise<ProtectedPhone> {
  return {
    phoneHash: await phoneHash(keys, normalised),
    phoneMasked: maskPhone(normalised),
    phoneEncrypted: await seal(keys.dataKey, normalised),
  }
}

export function revealPhone(keys: PhoneKeys, phoneEncrypted: string): Promise<string> {
  return unseal(keys.dataKey, phoneEncrypted)
}
