// TLS=acme: a certificate for PUBLIC_URL's host from an ACME CA (Let's Encrypt by default) by HTTP-01, answered on
// HTTP_PORT from the challenge map; the account key and the last certificate are kept in the data directory.
import acme from 'acme-client'
import type { CertificatePems } from './live-certificate.ts'

export type Challenges = Map<string, string>

export async function createAccountKey(): Promise<string> {
  return (await acme.crypto.createPrivateEcdsaKey('P-256')).toString()
}

export async function obtainCertificate({
  directoryUrl,
  email,
  host,
  accountKeyPem,
  challenges,
}: {
  directoryUrl: string
  email: string
  host: string
  accountKeyPem: string
  challenges: Challenges
}): Promise<CertificatePems> {
  const client = new acme.Client({ directoryUrl, accountKey: accountKeyPem })
  const [key, csr] = await acme.crypto.createCsr(
    { commonName: host, altNames: [host] },
    await acme.crypto.createPrivateEcdsaKey('P-256'),
  )
  const certPem = await client.auto({
    csr,
    email,
    // setting TLS=acme is the operator's agreement to the CA's terms (docs/deployment.md says so)
    termsOfServiceAgreed: true,
    challengePriority: ['http-01'],
    // the CA checks from outside; fetching our own name from inside fails behind NAT without hairpinning
    skipChallengeVerification: true,
    challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
      challenges.set(challenge.token, keyAuthorization)
    },
    challengeRemoveFn: async (_authz, challenge) => {
      challenges.delete(challenge.token)
    },
  })
  return { certPem, keyPem: key.toString() }
}
