// QR codes as inline SVG drawn on whole modules (no image files, no client library): entrance, referral, pass, receipt.
// Anything a phone scans is short (≤ 80 characters, version ≤ 5 at level M) so it reads from a step away.
import QRCode from 'qrcode'
import { log } from './log.ts'

export const maxScannedChars = 80
export const maxScannedVersion = 5
export const quietZoneModules = 4

const warned = new Set<number>()

const escapeAttribute = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export type Qr = { svg: string; version: number; modules: number }

// the QR of `text` with its 4-module quiet zone; one SVG unit per module, so a whole-pixel scale stays sharp.
// `scanned: false` is for codes no phone has to read from afar (a pairing link opened on the screen itself)
export function qrCode(text: string, { scanned = true }: { scanned?: boolean } = {}): Qr {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
  // too long for reading from afar (a very long PUBLIC_URL): still drawn, never a failed page, but said once
  if (
    scanned &&
    (text.length > maxScannedChars || qr.version > maxScannedVersion) &&
    !warned.has(text.length)
  ) {
    warned.add(text.length)
    log({ msg: 'qr too dense', chars: text.length, version: qr.version, hint: 'shorten PUBLIC_URL' }, 'warn')
  }
  const size = qr.modules.size
  const total = size + 2 * quietZoneModules
  let path = ''
  for (let y = 0; y < size; y++) {
    let x = 0
    while (x < size) {
      if (!qr.modules.get(y, x)) {
        x++
        continue
      }
      const start = x
      while (x < size && qr.modules.get(y, x)) x++
      path += `M${start + quietZoneModules} ${y + quietZoneModules}h${x - start}v1h${start - x}z`
    }
  }
  // data-modules lets views/assets/qr-fit.js size it to a whole number of device pixels per module;
  // data-qr names what it encodes, for tests and for the screen's own status (never shown as text)
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} ${total}" width="${total * 4}" ` +
    `height="${total * 4}" shape-rendering="crispEdges" data-modules="${total}" data-qr="${escapeAttribute(text)}">` +
    `<rect width="${total}" height="${total}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`
  return { svg, version: qr.version, modules: total }
}

export async function qrSvg(text: string, options?: { scanned?: boolean }): Promise<string> {
  return qrCode(text, options).svg
}
