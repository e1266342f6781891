// Request signatures: Standard Webhooks (`webhook-*` headers, HMAC-SHA256 of id.timestamp.body) and DingTalk 加签.
const encoder = new TextEncoder()
const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)))

async function hmacSha256(key: Uint8Array<ArrayBuffer>, data: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return b64(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data)))
}

// the secret is `whsec_` + base64 of the key bytes
export function webhookKey(secret: string): Uint8Array<ArrayBuffer> {
  const raw = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret
  return Uint8Array.from(atob(raw), (c) => c.charCodeAt(0))
}

export async function standardWebhookHeaders(
  secret: string,
  id: string,
  timestampS: number,
  body: string,
): Promise<Record<string, string>> {
  const signature = await hmacSha256(webhookKey(secret), `${id}.${timestampS}.${body}`)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': `v1,${signature}`,
  }
}

// a receiver's check (used by the tests; an integrator does the same): any v1 signature in the header matches
export async function verifyStandardWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
): Promise<boolean> {
  const expected = await hmacSha256(webhookKey(secret), `${headers.id}.${headers.timestamp}.${body}`)
  return headers.signature.split(' ').some((part) => part === `v1,${expected}`)
}

// DingTalk 加签: timestamp (ms) and sign = base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)) in the query
export async function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): Promise<string> {
  const sign = await hmacSha256(encoder.encode(secret), `${timestampMs}\n${secret}`)
  const signed = new URL(url)
  signed.searchParams.set('timestamp', String(timestampMs))
  signed.searchParams.set('sign', sign)
  return signed.toString()
}
