// Demo office content, made at first start with ffmpeg (nothing binary is in the repository): a rendered floor
// plan and a short project film on the office default playlist. Without ffmpeg the demo simply has no content.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { AppDeps } from '../context.ts'
import { checkContent } from './check.ts'
import { addContentItem, addPlaylistEntry, allWeekdays } from '../../models/content.ts'
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
      ...['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-preset', 'veryfast'],
    ],
  },
] as const

export type RenderedDemo = { dir: string; files: { name: string; file: string; durationS: number }[] }

// renders the demo files with ffmpeg (its own process: first start runs it beside the history replay);
// null without ffmpeg, and the demo simply has no content
export async function renderDemoContent(): Promise<RenderedDemo | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'showroom-demo-'))
  try {
    const files = []
    for (const demo of demoItems) {
      const file = path.join(dir, demo.file)
      await run('ffmpeg', ['-loglevel', 'error', '-y', ...demo.args, file])
      files.push({ name: demo.name, file, durationS: demo.durationS })
    }
    return { dir, files }
  } catch (error) {
    log({ msg: 'demo content skipped', error: String(error) }, 'warn')
    await rm(dir, { recursive: true, force: true })
    return null
  }
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
      const writer = await deps.content.stage()
      await writer.write(new Uint8Array(await readFile(file)))
      const staged = await writer.finish()
      const checked = await checkContent(staged)
      if (!checked.ok) {
        await staged.discard()
        continue
      }
      await staged.commit()
      const now = deps.clock.now()
      await deps.database.write(async (tx) => {
        const item = await addContentItem({
          tx,
          input: {
            officeId,
            name,
            kind: checked.kind,
            mediaType: checked.mediaType,
            sha256: staged.sha256,
            bytes: staged.bytes,
            durationMs: durationS * 1000,
          },
          now,
        })
        await addPlaylistEntry({
          tx,
          input: {
            officeId,
            stationId: null,
            itemId: item.id,
            durationS: null,
            fromDay: null,
            toDay: null,
            weekdays: allWeekdays,
            fromMinute: 0,
            toMinute: 1440,
          },
          now,
        })
      })
    }
  } catch (error) {
    log({ msg: 'demo content skipped', error: String(error) }, 'warn')
  } finally {
    await rm(demo.dir, { recursive: true, force: true })
  }
}
