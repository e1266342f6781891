// Every token we sign (jose, ES256): one typ per purpose, checked on every verify so no token stands in for another.
import { SignJWT, jwtVerify, errors } from 'jose'
import { newId } from '../models/ids.ts'
import type { Keys } from './keys.ts'

export const tokenTypes = ['entrance', 'referral', 'visit', 'station', 'staff', 'receipt', 'pairing'] as const
export type TokenType = (typeof tokenTypes)[number]
export const issuer = 'showroom'

export type TokenClaims = Record<string, unknown> & { jti: string; iat: number; exp: number }
export type TokenFailure = 'expired' | 'forged' | 'wrong-type' | 'malformed'
export type TokenResult = { ok: true; claims: TokenClaims } | { ok: false; failure: TokenFailure }

export async function signToken(
  keys: Keys,
  typ: TokenType,
  claims: Record<string, unknown>,
  { now, expiresAt }: { now: number; expiresAt: number },
): Promise<{ token: string; jti: string }> {
  const jti = newId()
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: `${typ}+jwt` })
    .setIssuer(issuer)
    .setJti(jti)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(keys.privateKey)
  return { token, jti }
}

// Tokens already verified, by key set: the same string carries the same signature, so only its expiry can change.
// One entrance QR is scanned by every phone in its minute and a staff session cookie comes with every request;
// an ES256 verification costs ~150 µs (bench/checkin.ts), a look-up here next to nothing.
export const verifiedCacheSize = 1024
const verified = new WeakMap<Keys, Map<string, TokenClaims>>()

function remembered(keys: Keys, key: string, now: number): TokenResult | null {
  const claims = verified.get(keys)?.get(key)
  if (!claims) return null
  // jose's rule: expired once exp ≤ the current second
  if (claims.exp <= Math.floor(now / 1000)) return { ok: false, failure: 'expired' }
  return { ok: true, claims: { ...claims } }
}

function remember(keys: Keys, key: string, claims: TokenClaims) {
  let cache = verified.get(keys)
  if (!cache) verified.set(keys, (cache = new Map()))
  cache.set(key, claims)
  if (cache.size > verifiedCacheSize) cache.delete(cache.keys().next().value!)
}

export async function verifyToken(
  keys: Keys,
  typ: TokenType,
  token: string,
  now: number,
): Promise<TokenResult> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096)
    return { ok: false, failure: 'malformed' }
  const key = `${typ} ${token}`
  const known = remembered(keys, key, now)
  if (known) return known
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: ['ES256'],
      issuer,
      typ: `${typ}+jwt`,
      currentDate: new Date(now),
      requiredClaims: ['jti', 'exp', 'iat'],
    })
    remember(keys, key, { ...(payload as TokenClaims) })
    return { ok: true, claims: payload as TokenClaims }
  } catch (error) {
    return { ok: false, failure: classify(error) }
  }
}

function classify(error: unknown): TokenFailure {
  if (error instanceof errors.JWTExpired) return 'expired'
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'typ') return 'wrong-type'
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'forged'
  if (error instanceof errors.JOSEAlgNotAllowed) return 'forged'
  return 'malformed'
}
