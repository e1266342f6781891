// Password hashing with scrypt (node:crypto, also provided by Deno and Bun): salted, constant-time compare.
import { scrypt, randomBytes, timingSafeEqual } from 'node:crypto'

const params = { N: 16384, r: 8, p: 1, keyLength: 32 }

function derive(password: string, salt: Buffer, N: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, params.keyLength, { N, r: params.r, p: params.p }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  )
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, params.N)
  return `scrypt$${params.N}$${salt.toString('base64')}$${key.toString('base64')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(n))
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

// a hash of a random password: lets unknown usernames cost the same time as known ones
export const decoyHash = hashPassword(randomBytes(12).toString('base64'))

export function generatePassword(): string {
  return randomBytes(12).toString('base64url')
}
