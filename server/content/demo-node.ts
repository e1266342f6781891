// Demo office content, made at first start (nothing binary is in the repository): a floor plan and a short
// project film rendered with ffmpeg, and a price-policy page written here, on the office default playlist.
// Without ffmpeg the demo has the page only.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { AppDeps } from '../context.ts'
import { checkContent } from './check.ts'
import { addContentItem, addPlaylistEntry, alwaysValid } from '../../models/content.ts'
import { log } from '../log.ts'

const run = promisify(execFile)

const demoItems = [
  {
    name: '户型图 Floor plan',
    file: 'plan.png',
    durationS: 8,
    args: [
      ...['-f', 'lavfi', '-i', 'color=c=0xf4efe6:s=1280x720', '-frames:v', '1', '-vf'],
      [
        'drawbox=x=160:y=120:w=960:h=480:color=0x34495e:t=8',
        'drawbox=x=160:y=120:w=420:h=260:color=0x34495e:t=4',
        'drawbox=x=580:y=120:w=300:h=260:color=0x34495e:t=4',
        'drawbox=x=160:y=380:w=720:h=220:color=0x34495e:t=4',
        'drawbox=x=880:y=120:w=240:h=480:color=0x8fb9a8@0.6:t=fill',
      ].join(','),
    ],
  },
  {
    name: '项目宣传片 Project film',
    file: 'film.mp4',
    durationS: 6,
    args: [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=6'],
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-preset', 'ultrafast'],
    ],
  },
  { name: '价格政策 Price policy', file: 'price-policy.html', durationS: 12, html: pricePolicyPage() },
] as const

export type RenderedDemo = { dir: string; files: { name: string; file: string; durationS: number }[] }

// renders the demo files — the plan and the film with ffmpeg (its own process: first start runs it beside the
// history replay), the page written here; an item whose maker fails (no ffmpeg) is left out
export async function renderDemoContent(): Promise<RenderedDemo | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-demo-'))
  try {
    const files = []
    for (const demo of demoItems) {
      const file = path.join(dir, demo.file)
      try {
        if ('html' in demo) await writeFile(file, demo.html)
        // one encoder thread: the other core is the history replay's (x264 would take every core)
        else await run('ffmpeg', ['-loglevel', 'error', '-y', ...demo.args, '-threads', '1', file])
      } catch (error) {
        // no ffmpeg: the demo goes without that item
        log({ msg: 'demo content item skipped', item: demo.file, error: String(error) }, 'warn')
        continue
      }
      files.push({ name: demo.name, file, durationS: demo.durationS })
    }
    return { dir, files }
  } catch (error) {
    log({ msg: 'demo content skipped', error: String(error) }, 'warn')
    await rm(dir, { recursive: true, force: true })
    return null
  }
}

// a file into the library, checked like an upload, and on a playlist (the office default: stationId null),
// valid always; no item when the check refuses it (the reason is the check's)
export async function addFileToPlaylist(
  deps: Pick<AppDeps, 'content' | 'clock' | 'database'>,
  a: { file: string; name: string; durationS: number; officeId: string; stationId: string | null },
) {
  const writer = await deps.content!.stage()
  await writer.write(new Uint8Array(await readFile(a.file)))
  const staged = await writer.finish()
  const checked = await checkContent(staged)
  if (!checked.ok) {
    await staged.discard()
    return { refused: checked.reason, item: null }
  }
  await staged.commit()
  const now = deps.clock.now()
  const item = await deps.database.write(async (tx) => {
    const item = await addContentItem({
      tx,
      input: {
        officeId: a.officeId,
        name: a.name,
        kind: checked.kind,
        mediaType: checked.mediaType,
        sha256: staged.sha256,
        bytes: staged.bytes,
        durationMs: a.durationS * 1000,
      },
      now,
    })
    await addPlaylistEntry({
      tx,
      input: { officeId: a.officeId, stationId: a.stationId, itemId: item.id, ...alwaysValid },
      now,
    })
    return item
  })
  return { refused: null, item }
}

// the rendered files into the library, checked like an upload, on the office default playlist
export async function seedDemoContent(
  deps: AppDeps,
  officeId: string,
  rendered: Promise<RenderedDemo | null> = renderDemoContent(),
) {
  const demo = await rendered
  if (!demo) return
  try {
    if (!deps.content) return
    for (const { name, file, durationS } of demo.files) {
      await addFileToPlaylist(deps, { file, name, durationS, officeId, stationId: null })
    }
  } catch (error) {
    log({ msg: 'demo content skipped', error: String(error) }, 'warn')
  } finally {
    await rm(demo.dir, { recursive: true, force: true })
  }
}

// a saved page of the demo developer's site: inline styles only, no script (a display would not run it anyway);
// the right quarter left free for the display's corner (notice line, QR)
function pricePolicyPage() {
  const rows = [
    ['一次性付款 Full payment', '总价 95 折 · 5% off'],
    ['按揭付款 Mortgage', '首付 30% 起 · from 30% down'],
    ['老带新 Referral', '双方各享物业费 1 年 · one year of fees for both'],
  ]
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>价格政策 Price policy</title>
<style>
body{margin:0;min-height:100vh;background:#f4efe6;color:#34495e;font-family:sans-serif;display:flex;flex-direction:column;justify-content:center;padding:0 24vw 0 8vw;box-sizing:border-box}
h1{font-size:6vw;margin:0 0 .2em}p{font-size:2.2vw;margin:0 0 1.5em;color:#5d6d7e}
table{border-collapse:collapse;font-size:2.6vw;width:100%}td{padding:.5em 0;border-bottom:2px solid #8fb9a8}
td+td{text-align:right;font-weight:bold}small{font-size:1.4vw;color:#7f8c8d;margin-top:2em}
</style></head>
<body><h1>价格政策 Price policy</h1><p>本月认购优惠 · This month's offers</p>
<table>${rows.map(([a, b]) => `<tr><td>${a}</td><td>${b}</td></tr>`).join('')}</table>
<small>演示数据 · demo data — 以销售现场公示为准 · the notice in the sales office prevails</small>
</body></html>
`
}
