// Signage test media made at test time with ffmpeg (nothing binary is committed): real files and disguised ones.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

import type { Frame, Page } from 'playwright-core'
import type { AppDeps } from '../../server/context.ts'
import { addFileToPlaylist } from '../../server/content/demo-node.ts'

import { waitUntil } from './runtime.ts'

const run = promisify(execFile)
const ffmpeg = (args: string[]) => run('ffmpeg', ['-loglevel', 'error', '-y', ...args])

export type TestMedia = Awaited<ReturnType<typeof makeTestMedia>>

// a saved page of the office's site: inline styles, a data: image, and script that must never run on a display
// (it would ask for /__page-script-ran… with what it could read; the image probe's onerror and a meta refresh
// likewise)
export const pageProbe = '/__page-script-ran'
export const pageText = '价格政策 Price policy'
const officePage = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1;url=/__page-script-ran-refresh"><title>价格政策</title>
<style>body{margin:0;background:#f4efe6;color:#34495e;font:48px sans-serif}h1{margin:1em}</style></head>
<body><h1 id="policy">${pageText}</h1><p>首付 20% · 95 折</p>
<img alt="" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==">
<img alt="" src="/__page-image-probe" onerror="fetch('${pageProbe}-onerror')">
<script>document.body.dataset.ran = 'yes'
fetch('${pageProbe}?cookie=' + encodeURIComponent(document.cookie) + '&storage=' + localStorage.length)</script>
</body></html>
`

// a PNG floor plan, a 2 s H.264 MP4, an MPEG-4 part 2 MP4 (not H.264), HTML named .png, an MP4 header on
// garbage, and a blank file
export async function makeTestMedia({ videoSeconds = 2, color = 'teal' } = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-media-'))
  const file = (name: string) => path.join(dir, name)
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `color=c=${color}:s=320x180`, '-frames:v', '1'],
    ...['-vf', 'drawbox=x=20:y=20:w=120:h=80:color=white:t=4,drawgrid=w=40:h=40:color=white@0.4'],
    file('plan.png'),
  ])
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'color=c=darkorange:s=320x180', '-frames:v', '1'],
    ...['-vf', 'drawbox=x=160:y=40:w=100:h=100:color=white:t=fill'],
    file('price.png'),
  ])
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `testsrc=size=320x180:rate=25:duration=${videoSeconds}`],
    ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-profile:v', 'baseline', '-movflags', '+faststart'],
    file('clip.mp4'),
  ])
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc=size=160x90:rate=10:duration=1'],
    ...['-c:v', 'mpeg4', file('part2.mp4')],
  ])
  await writeFile(file('page.png'), '<!doctype html><html><body><script>alert(1)</script></body></html>\n')
  await writeFile(file('price.html'), officePage)
  const mp4 = await readFile(file('clip.mp4'))
  const garbage = new Uint8Array(200_000)
  for (let i = 0; i < garbage.length; i += 65536) crypto.getRandomValues(garbage.subarray(i, i + 65536))
  // the real ftyp box, then noise
  const ftypSize = mp4.readUInt32BE(0)
  await writeFile(file('fake.mp4'), Buffer.concat([mp4.subarray(0, ftypSize), garbage]))
  await writeFile(file('empty.png'), '')
  return {
    dir,
    png: file('plan.png'),
    png2: file('price.png'),
    mp4: file('clip.mp4'),
    part2: file('part2.mp4'),
    html: file('page.png'),
    page: file('price.html'),
    fakeMp4: file('fake.mp4'),
    empty: file('empty.png'),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  }
}

// puts a file in a running server's library and on a playlist, as the content page would (no browser)
export async function addToPlaylist(
  deps: AppDeps,
  a: { file: string; name: string; durationS: number; officeId: string; stationId: string | null },
) {
  const { refused, item } = await addFileToPlaylist(deps, a)
  if (!item) throw new Error(`test media refused: ${refused}`)
  return item
}

// the content page, signed in as the demo office's marketing account
export async function openContentAsMarketing(
  page: Page,
  server: {
    base: string
    seeded: { demoAccounts: { role: string; username: string; password: string }[] } | null
  },
) {
  const marketing = server.seeded!.demoAccounts.find((a) => a.role === 'marketing')!
  await page.goto(`${server.base}/content?lang=en`)
  await page.fill('input[name=username]', marketing.username)
  await page.fill('input[name=password]', marketing.password)
  await Promise.all([page.waitForURL(/\/content/), page.click('button[type=submit]')])
}

// uploads a file through the content page's form; what the page then says
export async function uploadThroughPage(
  page: Page,
  base: string,
  file: string,
  fields: { name?: string; durationS?: string } = {},
) {
  await page.goto(`${base}/content?lang=en`)
  if (fields.name) await page.fill('#content-upload input[name=name]', fields.name)
  if (fields.durationS) await page.fill('#content-upload input[name=durationS]', fields.durationS)
  await page.setInputFiles('#content-upload input[type=file]', file)
  await Promise.all([page.waitForNavigation(), page.click('#content-upload button[type=submit]')])
  return (await page.textContent('#content-message'))?.trim() ?? ''
}

// the frame on a display that shows the uploaded office page, once its text is in
export async function officePageFrame(screen: Page, what = 'the page in its frame'): Promise<Frame> {
  return waitUntil(
    async () => {
      for (const frame of screen.frames()) {
        if (!frame.url().includes('/display/page/')) continue
        const text = await frame.textContent('#policy', { timeout: 1000 }).catch(() => null)
        if (text?.includes(pageText)) return frame
      }
      return null
    },
    { timeoutMs: 60_000, what },
  )
}
