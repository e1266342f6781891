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

export async function verifyToken(
  keys: Keys,
  typ: TokenType,
  token: string,
  now: number,
): Promise<TokenResult> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096)
    return { ok: false, failure: 'malformed' }
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      algorithms: ['ES256'],
      issuer,
      typ: `${typ}+jwt`,
      currentDate: new Date(now),
      requiredClaims: ['jti', 'exp', 'iat'],
    })
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
