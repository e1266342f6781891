// Reads QR codes off screenshots the way a phone a step away sees them: scaled down and slightly blurred (in a
// browser canvas), then decoded by two independent decoders, jsQR and ZBar's zbarimg.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import jsQR from 'jsqr'
import type { Browser } from 'playwright-core'

const run = promisify(execFile)

export type Decoded = { jsqr: string | null; zbar: string | null; width: number; height: number }

export async function decodeScreenshot(
  browser: Browser,
  screenshot: Buffer,
  { scale = 1, blurPx = 0 }: { scale?: number; blurPx?: number } = {},
): Promise<Decoded> {
  const page = await browser.newPage()
  try {
    const degraded = await page.evaluate(
      async ({ b64, scale, blurPx }) => {
        const image = new Image()
        image.src = `data:image/png;base64,${b64}`
        await image.decode()
        const width = Math.round(image.width * scale)
        const height = Math.round(image.height * scale)
        const scaled = new OffscreenCanvas(width, height)
        const s = scaled.getContext('2d')!
        s.imageSmoothingQuality = 'high'
        s.drawImage(image, 0, 0, width, height)
        const out = document.createElement('canvas')
        out.width = width
        out.height = height
        const o = out.getContext('2d')!
        o.fillStyle = '#fff'
        o.fillRect(0, 0, width, height)
        if (blurPx) o.filter = `blur(${blurPx}px)`
        o.drawImage(scaled, 0, 0)
        const rgba = o.getImageData(0, 0, width, height).data
        let binary = ''
        for (let i = 0; i < rgba.length; i += 0x8000)
          binary += String.fromCharCode(...rgba.subarray(i, i + 0x8000))
        return { width, height, rgba: btoa(binary), png: out.toDataURL('image/png').split(',')[1]! }
      },
      { b64: screenshot.toString('base64'), scale, blurPx },
    )
    const rgba = new Uint8ClampedArray(Buffer.from(degraded.rgba, 'base64'))
    const jsqr = jsQR(rgba, degraded.width, degraded.height)?.data ?? null
    const dir = await mkdtemp(path.join(tmpdir(), 'showroom-qr-'))
    let zbar: string | null = null
    try {
      const file = path.join(dir, 'shot.png')
      await writeFile(file, Buffer.from(degraded.png, 'base64'))
      const { stdout } = await run('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', file]).catch(
        () => ({ stdout: '' }),
      )
      zbar = stdout.trim() || null
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    return { jsqr, zbar, width: degraded.width, height: degraded.height }
  } finally {
    await page.close()
  }
}
