// Signing and data keys: generated on first start, kept as one JSON document by a store the adapter provides.
import { generateKeyPair, exportJWK, importJWK, calculateJwkThumbprint, type JWK } from 'jose'
import type { PhoneKeys } from '../models/phone.ts'

export type Keys = {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  publicJwk: JWK
  phone: PhoneKeys
  // HMAC key for CSRF tokens and other server-only MACs
  macKey: CryptoKey
}

export type KeyStore = { load: () => Promise<string | null>; save: (text: string) => Promise<void> }

type StoredKeys = {
  kid: string
  privateJwk: JWK
  publicJwk: JWK
  phoneHashKey: string
  dataKey: string
  macKey: string
}

const rawKey = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
const hmac = (raw: string) =>
  crypto.subtle.importKey('raw', unb64(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])

async function generate(): Promise<StoredKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  return {
    kid,
    privateJwk: await exportJWK(privateKey),
    publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
    phoneHashKey: rawKey(),
    dataKey: rawKey(),
    macKey: rawKey(),
  }
}

async function importKeys(stored: StoredKeys): Promise<Keys> {
  return {
    kid: stored.kid,
    privateKey: (await importJWK(stored.privateJwk, 'ES256')) as CryptoKey,
    publicKey: (await importJWK(stored.publicJwk, 'ES256')) as CryptoKey,
    publicJwk: stored.publicJwk,
    phone: {
      hashKey: await hmac(stored.phoneHashKey),
      dataKey: await crypto.subtle.importKey('raw', unb64(stored.dataKey), 'AES-GCM', false, [
        'encrypt',
        'decrypt',
      ]),
    },
    macKey: await hmac(stored.macKey),
  }
}

export async function loadOrCreateKeys(store: KeyStore): Promise<{ keys: Keys; created: boolean }> {
  const existing = await store.load()
  if (existing) return { keys: await importKeys(JSON.parse(existing) as StoredKeys), created: false }
  const stored = await generate()
  await store.save(JSON.stringify(stored))
  return { keys: await importKeys(stored), created: true }
}

// keys that live only in memory (tests, benchmarks)
export async function ephemeralKeys(): Promise<Keys> {
  return importKeys(await generate())
}
