// Consent receipts: a short link the visitor keeps (its QR reads from afar) and, one click away on that page, the
// signed receipt — a Kantara Consent Receipt v1.1 record as a JWT (typ receipt) verifiable against our JWKS.
import type { AppDeps } from './context.ts'
import { signToken, verifyToken, type TokenFailure } from './tokens.ts'
import { isShortCode, shortLinkCode, shortLinkId } from './short-links.ts'
import type { NoticeBody } from '../models/notice-defaults.ts'

// how long a receipt stays verifiable: as long as the consent record is kept
export const receiptYears = 3
export const kantaraVersion = 'KI-CR-v1.1.0'

// the code in /receipt/<code>: the consent's id and a MAC; it is the visitor's key to see and withdraw
export async function issueReceipt(deps: AppDeps, consent: { id: string }): Promise<string> {
  return shortLinkCode(deps.keys, 'receipt', consent.id)
}

export type ReceiptRead = { ok: true; consentId: string } | { ok: false; failure: TokenFailure }

// a short code, or the signed JWT that receipt links carried before (still honoured until it expires)
export async function readReceipt(deps: AppDeps, token: string): Promise<ReceiptRead> {
  if (isShortCode(token)) {
    const consentId = await shortLinkId(deps.keys, 'receipt', token)
    return consentId ? { ok: true, consentId } : { ok: false, failure: 'forged' }
  }
  const result = await verifyToken(deps.keys, 'receipt', token, deps.clock.now())
  if (!result.ok) return result
  const consentId = result.claims.consent
  if (typeof consentId !== 'string') return { ok: false, failure: 'malformed' }
  return { ok: true, consentId }
}

export type ReceiptFacts = {
  consent: {
    id: string
    visitId: string | null
    scope: string
    noticeSha256: string
    givenAt: string
    grantedAt: number
  }
  notice: { lang: string; version: number; body: NoticeBody }
  office: { id: string; name: string; processorName: string; privacyContact: string }
  // links under the public origin
  policyUrl: string
  withdrawUrl: string
}

// the Kantara Consent Receipt v1.1 fields (docs/privacy.md maps them to ISO/IEC TS 27560's consent record)
export function kantaraReceipt({ consent, notice, office, policyUrl, withdrawUrl }: ReceiptFacts) {
  const email = /@/.test(office.privacyContact) ? office.privacyContact : ''
  return {
    version: kantaraVersion,
    jurisdiction: 'CN',
    consentTimestamp: Math.floor(consent.grantedAt / 1000),
    collectionMethod:
      consent.givenAt === 'phone' ? 'visitor phone, consent page' : 'kiosk screen, Agree button',
    consentReceiptID: consent.id,
    language: notice.lang,
    // pseudonymous: the random id of the consent (or of the visit it belongs to), never a phone number or a name
    piiPrincipalId: consent.visitId
      ? `urn:showroom:visit:${consent.visitId}`
      : `urn:showroom:consent:${consent.id}`,
    piiControllers: [
      {
        piiController: office.processorName,
        contact: office.privacyContact,
        address: office.name,
        email,
        phone: '',
        onBehalf: false,
      },
    ],
    policyUrl,
    // beyond Kantara: the exact notice agreed to, so the record stands even if the page changes
    noticeSha256: consent.noticeSha256,
    noticeVersion: notice.version,
    services: [
      {
        service: `${office.name}: camera analytics at the sales office screens`,
        purposes: [
          {
            purpose: notice.body.purpose,
            purposeCategory: ['Improve Performance'],
            consentType: 'EXPLICIT',
            piiCategory: ['Behavioral'],
            primaryPurpose: true,
            termination: withdrawUrl,
            thirdPartyDisclosure: false,
          },
        ],
      },
    ],
    // face detection on the screen's camera image is sensitive processing (PIPL art. 28, GDPR art. 9)
    sensitive: true,
    spiCat: ['Biometric'],
  }
}

// the downloadable signed receipt: the Kantara record plus the claims older receipts carried
export async function signedReceipt(deps: AppDeps, facts: ReceiptFacts): Promise<string> {
  const { consent } = facts
  const { token } = await signToken(
    deps.keys,
    'receipt',
    {
      ...kantaraReceipt(facts),
      consent: consent.id,
      scope: consent.scope,
      notice: consent.noticeSha256,
      granted: consent.grantedAt,
    },
    { now: deps.clock.now(), expiresAt: consent.grantedAt + receiptYears * 365 * 86400_000 },
  )
  return token
}
