// Keys and database belong together: a process refuses a database whose key set it does not hold, instead of making
// new keys (its sessions, QR codes and phone hashes would silently disagree with every other process's).
import { loadOrCreateKeys, type Keys, type KeyStore } from './keys.ts'
import type { Database } from '../models/db.ts'
import { hasAccounts, recordKeyFingerprint, storedKeyFingerprint } from '../models/deployment.ts'

export class KeysRefused extends Error {}

const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)))

// the signing key's thumbprint and a MAC of a fixed text under the phone-hash key: equal exactly when both keys are
export async function keyFingerprint(keys: Keys): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    keys.phone.hashKey,
    new TextEncoder().encode('showroom key check'),
  )
  return `${keys.kid}.${b64(mac).slice(0, 22)}`
}

const copyHint =
  'copy keys.json from the DATA_DIR of the process that first started on this database into this DATA_DIR ' +
  '(mode 0600), then start again (docs/deployment.md, "One keys.json for every process")'

export async function keysForDatabase({
  database,
  store,
  keysFile,
  now,
}: {
  database: Database
  store: KeyStore
  keysFile: string
  now: number
}): Promise<Keys> {
  // never a token that a URL may carry in its query
  const where = database.url.split('?')[0]
  const recorded = await storedKeyFingerprint(database.db)
  if ((await store.load()) === null && (recorded || (await hasAccounts(database.db)))) {
    throw new KeysRefused(
      `refusing to start: ${where} already holds data made with a key set, and ${keysFile} does not exist; ${copyHint}`,
    )
  }
  const { keys } = await loadOrCreateKeys(store)
  const mine = await keyFingerprint(keys)
  if (recorded && recorded !== mine) {
    throw new KeysRefused(`refusing to start: ${keysFile} is not the key set of ${where}; ${copyHint}`)
  }
  if (!recorded) await database.write((tx) => recordKeyFingerprint(tx, mine, now))
  return keys
}
