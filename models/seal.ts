// Text sealed under the install's data key (AES-256-GCM, a fresh IV each time): phone numbers, notification
// credentials. A copy of the database without keys.json reads none of it.
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

export async function seal(key: CryptoKey, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text))
  return `${b64(iv)}.${b64(new Uint8Array(sealed))}`
}

export async function unseal(key: CryptoKey, sealed: string): Promise<string> {
  const [iv, data] = sealed.split('.')
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv ?? '') }, key, unb64(data ?? ''))
  return new TextDecoder().decode(plain)
}
