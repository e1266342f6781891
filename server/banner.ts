// The start banner, shared by the Node and Deno adapters: human text on a terminal; under a service manager one JSON
// log line, with the first start's passwords and pairing links in DATA_DIR/first-start.txt instead of the journal.
import type { SeedResult } from '../models/seed.ts'
import { log } from './log.ts'

export const firstStartFileName = 'first-start.txt'

export type BannerInput = {
  base: string
  seeded: SeedResult | null
  // station id → pairing link (demo screens)
  pairing: Map<string, string>
  // lines after the first one: the network addresses, the local CA to install, the HTTP redirect (no secrets)
  extra?: string[]
  // SHOWROOM_ADMIN_PASSWORD was set on a database that already has accounts: say so instead of silently ignoring it
  adminPasswordIgnored?: boolean
}

// the human banner: addresses, screens with their pairing links, first logins (secrets included)
export function bannerText({ base, seeded, pairing, extra = [] }: BannerInput): string {
  const lines = [
    `Showroom is running at ${base}`,
    ...extra,
    `  Dashboard: ${base}/dashboard   Sign in: ${base}/login`,
  ]
  if (seeded) {
    for (const station of seeded.stations) {
      lines.push(`  ${station.name}: ${base}/${station.kind}/${station.id}`)
      lines.push(`    pair this browser as that screen (link valid 24 h): ${pairing.get(station.id)}`)
    }
    if (seeded.admin.password) {
      lines.push(
        `  First admin login: admin / ${seeded.admin.password}   (shown once; change it after signing in)`,
      )
    } else {
      lines.push('  First admin login: admin / (the password in SHOWROOM_ADMIN_PASSWORD)')
    }
    for (const account of seeded.demoAccounts) {
      lines.push(`  Demo ${account.role} login: ${account.username} / ${account.password}`)
    }
  }
  return lines.join('\n')
}

// true when this start made something that must not reach a log: a password or a pairing link
export function hasFirstStartSecrets({ seeded, pairing }: BannerInput): boolean {
  return !!seeded && (!!seeded.admin.password || seeded.demoAccounts.length > 0 || pairing.size > 0)
}

// prints the banner; `saveSecrets` writes the file (mode 0600) and returns its path
export async function announce(
  input: BannerInput,
  {
    interactive,
    saveSecrets,
    print = (text) => console.log(text),
  }: {
    interactive: boolean
    saveSecrets: (text: string) => Promise<string>
    print?: (text: string) => void
  },
): Promise<void> {
  if (input.adminPasswordIgnored) {
    log(
      {
        msg: 'SHOWROOM_ADMIN_PASSWORD is used only at the first start and was ignored; to recover an admin account run npm run admin:reset',
      },
      'warn',
    )
  }
  if (interactive) return print(bannerText(input))
  const { base, seeded } = input
  const firstStartFile = hasFirstStartSecrets(input) ? await saveSecrets(bannerText(input) + '\n') : undefined
  log({
    msg: 'started',
    url: base,
    dashboard: `${base}/dashboard`,
    login: `${base}/login`,
    firstStart: !!seeded,
    notes: input.extra?.length ? input.extra.map((line) => line.trim()) : undefined,
    // names and addresses of the demo screens; their pairing links are secrets and stay in the file
    screens: seeded?.stations.map((s) => ({ name: s.name, url: `${base}/${s.kind}/${s.id}` })),
    ...(firstStartFile
      ? {
          firstStartFile,
          note: 'first admin password and pairing links are in this file (mode 0600): read, then delete it',
        }
      : {}),
  })
}
