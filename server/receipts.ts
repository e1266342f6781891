// Consent receipts: a signed token (typ receipt) the visitor keeps; its link shows the receipt and withdraws in one step.
import type { AppDeps } from './context.ts'
import { signToken, verifyToken } from './tokens.ts'

// how long a receipt stays verifiable: as long as the consent record is kept
export const receiptYears = 3

export async function issueReceipt(
  deps: AppDeps,
  consent: { id: string; noticeSha256: string; grantedAt: number; scope?: string },
): Promise<string> {
  const { token } = await signToken(
    deps.keys,
    'receipt',
    {
      consent: consent.id,
      scope: consent.scope ?? 'camera',
      notice: consent.noticeSha256,
      granted: consent.grantedAt,
    },
    { now: deps.clock.now(), expiresAt: consent.grantedAt + receiptYears * 365 * 86400_000 },
  )
  return token
}

export async function readReceipt(deps: AppDeps, token: string) {
  const result = await verifyToken(deps.keys, 'receipt', token, deps.clock.now())
  if (!result.ok) return result
  const consentId = result.claims.consent
  if (typeof consentId !== 'string') return { ok: false as const, failure: 'malformed' as const }
  return { ok: true as const, consentId, claims: result.claims }
}
