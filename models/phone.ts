// Phone numbers: normalised, then kept only as a keyed hash (to compare), a mask (to show) and AES-GCM ciphertext.
export type PhoneKeys = { hashKey: CryptoKey; dataKey: CryptoKey }
export type ProtectedPhone = { phoneHash: string; phoneMasked: string; phoneEncrypted: string }

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

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
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    keys.dataKey,
    new TextEncoder().encode(normalised),
  )
  return {
    phoneHash: await phoneHash(keys, normalised),
    phoneMasked: maskPhone(normalised),
    phoneEncrypted: `${b64(iv)}.${b64(new Uint8Array(sealed))}`,
  }
}

export async function revealPhone(keys: PhoneKeys, phoneEncrypted: string): Promise<string> {
  const [iv, sealed] = phoneEncrypted.split('.')
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: unb64(iv ?? '') },
    keys.dataKey,
    unb64(sealed ?? ''),
  )
  return new TextDecoder().decode(plain)
}
