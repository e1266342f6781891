// QR codes as inline SVG (no image files, no client library): for entrance, referral, pass and receipt codes.
import QRCode from 'qrcode'

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
}
