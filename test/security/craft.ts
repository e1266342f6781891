// Hostile tokens made with jose: forged, expired, alg:none, HS256 keyed with our public key, wrong typ, and more.
import { SignJWT, generateKeyPair, exportSPKI, base64url } from 'jose'
import type { Keys } from '../../server/keys.ts'
import { issuer, type TokenType } from '../../server/tokens.ts'

const text = new TextEncoder()
const segment = (value: unknown) => base64url.encode(text.encode(JSON.stringify(value)))

export async function hostileTokens(
  keys: Keys,
  typ: TokenType,
  claims: Record<string, unknown>,
  now: number,
): Promise<Record<string, string>> {
  const iat = Math.floor(now / 1000)
  const base = { ...claims, iss: issuer, jti: 'hostile-jti-0001', iat, exp: iat + 3600 }
  const header = { alg: 'ES256', kid: keys.kid, typ: `${typ}+jwt` }
  const otherKeys = await generateKeyPair('ES256')
  const publicPem = await exportSPKI(keys.publicKey)
  const sign = (
    payload: Record<string, unknown>,
    protectedHeader: Record<string, unknown>,
    key: CryptoKey | Uint8Array,
  ) => new SignJWT(payload).setProtectedHeader(protectedHeader as never).sign(key)
  const valid = await sign(base, header, keys.privateKey)
  const [h, p, s] = valid.split('.')
  const otherTyp = typ === 'receipt' ? 'staff' : 'receipt'
  return {
    'forged (other key, same kid)': await sign(base, header, otherKeys.privateKey),
    expired: await sign({ ...base, iat: iat - 7200, exp: iat - 3600 }, header, keys.privateKey),
    'alg none': `${segment({ alg: 'none', typ: `${typ}+jwt` })}.${p}.`,
    'alg none, signature kept': `${segment({ alg: 'none', typ: `${typ}+jwt` })}.${p}.${s}`,
    'HS256 keyed with our public key (PEM)': await sign(
      base,
      { ...header, alg: 'HS256' },
      text.encode(publicPem),
    ),
    'HS256 keyed with our public JWK': await sign(
      base,
      { ...header, alg: 'HS256' },
      text.encode(JSON.stringify(keys.publicJwk)),
    ),
    [`wrong typ (${otherTyp})`]: await sign(base, { ...header, typ: `${otherTyp}+jwt` }, keys.privateKey),
    'no typ': await sign(base, { alg: 'ES256', kid: keys.kid }, keys.privateKey),
    'wrong issuer': await sign({ ...base, iss: 'someone-else' }, header, keys.privateKey),
    'no expiry': await sign({ ...claims, iss: issuer, jti: 'x', iat }, header, keys.privateKey),
    'payload swapped under a valid signature': `${h}.${segment({ ...base, role: 'admin', station: 'other' })}.${s}`,
    'not before in the future': await sign({ ...base, nbf: iat + 3000 }, header, keys.privateKey),
    garbage: 'eyJhbGciOiJFUzI1NiJ9.not-base64!!.x',
    empty: '',
    huge: `${h}.${'A'.repeat(6000)}.${s}`,
  }
}
