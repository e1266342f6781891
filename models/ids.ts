// Random identifiers: unguessable, URL-safe, no meaning (never derived from a person).
export function newId(bytes = 12): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes))
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}
