// What `npm run screen` starts: Chromium's arguments for a full-screen station and the managed policy that lets that
// one origin use the camera. Pure, so tests check it without starting a browser.
export type ScreenPlan = {
  // what the first start opens, and what a restart opens (a pairing link works once: restarts open the station)
  url: string
  restartUrl: string
  origin: string
  profileDir: string
  policy: Record<string, unknown>
  args: (url: string) => string[]
}

// where Debian's Chromium reads managed policies (Google Chrome: /etc/opt/chrome/policies/managed)
export const defaultPolicyDir = '/etc/chromium/policies/managed'
export const policyFileName = 'showroom-screen.json'

export class ScreenTargetError extends Error {}

const stationPath = /^\/(kiosk|display|entrance)\/([A-Za-z0-9_-]{4,32})$/
const pairingPath = /^\/pair\/([A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+)$/

// the station named inside a pairing token; only to pick the restart page (the server verifies the token itself)
function stationOfPairingToken(payload: string): string | null {
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { station?: unknown }
    return typeof claims.station === 'string' && /^[A-Za-z0-9_-]{4,32}$/.test(claims.station)
      ? claims.station
      : null
  } catch {
    return null
  }
}

export function screenPlan({ target, profileRoot }: { target: string; profileRoot: string }): ScreenPlan {
  let url: URL
  try {
    url = new URL(target)
  } catch {
    throw new ScreenTargetError(
      `not a URL: "${target}" (give the pairing link or the station URL the server printed)`,
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ScreenTargetError(`not a web address: ${target}`)
  let restartUrl: string
  const pairing = pairingPath.exec(url.pathname)
  if (stationPath.test(url.pathname)) {
    restartUrl = url.href
  } else if (pairing) {
    const station = stationOfPairingToken(pairing[2]!)
    if (!station)
      throw new ScreenTargetError('this pairing link names no station; ask the admin for a new one')
    restartUrl = `${url.origin}/station/${station}`
  } else {
    throw new ScreenTargetError(
      `${url.pathname} is neither a pairing link (/pair/…) nor a station page (/kiosk/…, /display/…, /entrance/…)`,
    )
  }
  // one profile per server: the station's device token and its outbox live in that profile's storage
  const profileDir = `${profileRoot}/${url.host.replace(/[^A-Za-z0-9.-]/g, '_')}`
  return {
    url: url.href,
    restartUrl,
    origin: url.origin,
    profileDir,
    policy: {
      // the camera without a prompt for this origin only; everything else keeps asking (and nobody is there to say yes)
      VideoCaptureAllowedUrls: [url.origin],
      AudioCaptureAllowed: false,
      AutoplayAllowed: true,
      DefaultNotificationsSetting: 2,
      DefaultGeolocationSetting: 2,
      TranslateEnabled: false,
      PasswordManagerEnabled: false,
    },
    args: (open) => [
      '--kiosk',
      `--app=${open}`,
      `--user-data-dir=${profileDir}`,
      '--autoplay-policy=no-user-gesture-required',
      '--no-first-run',
      '--no-default-browser-check',
      // after a crash or a power cut: no "restore pages?" bubble over the screen
      '--disable-session-crashed-bubble',
      '--hide-crash-restore-bubble',
      '--noerrdialogs',
      '--disable-infobars',
      '--disable-features=Translate',
      '--overscroll-history-navigation=0',
      '--password-store=basic',
    ],
  }
}
