// Random event and session ids made on the device (idempotency keys): URL-safe, unguessable, meaningless.
export function newEventId(bytes = 12): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes))
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}
