// Random identifiers: unguessable, URL-safe, no meaning (never derived from a person).
export function newId(bytes = 12): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

// bytes as unpadded base64url (RFC 4648 §5): ids, MACs in links and CSRF tokens
export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}
