// Marks every full page of a demo office "演示数据 / Demo data", so generated figures are never taken for real ones.
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import { demoOfficeIds } from '../../models/demo/office.ts'
import { getStation } from '../../models/offices.ts'
import { findEntranceCode } from '../../models/entrance-codes.ts'
import { readVisitPass } from '../visit-pass.ts'
import { pagePattern } from '../content/page.ts'

export const demoMarkId = 'demo-mark'

// station screens name their station in the path
const stationPath = /^\/(?:entrance|kiosk|display|s)\/([A-Za-z0-9_-]+)/

// the office a page is of: the signed-in account's, the station's in the path, or a visitor's (the entrance code
// being checked in with, or the visit pass on the phone)
async function pageOffice(c: Context<AppEnv>): Promise<string | null> {
  if (c.var.account) return c.var.account.officeId
  const station = stationPath.exec(c.req.path)?.[1]
  if (station) return (await getStation(c.var.deps.database.db, station))?.officeId ?? null
  const entrance = c.req.path === '/checkin' ? c.req.query('t') : undefined
  if (entrance) {
    const code = await findEntranceCode(c.var.deps.database.db, entrance)
    if (code) return code.officeId
  }
  return (await readVisitPass(c))?.officeId ?? null
}

export function demoMark(): MiddlewareHandler<AppEnv> {
  return async function demoMark(c, next) {
    await next()
    if (!c.res.headers.get('content-type')?.startsWith('text/html')) return
    // an uploaded web page is served as uploaded (the display around it carries the mark)
    if (pagePattern.test(c.req.path)) return
    const demo = await demoOfficeIds(c.var.deps.database.db)
    if (demo.all.length === 0) return
    // pages of no particular office (sign-in) are marked while every office is a demo one
    if (!demo.only && !demo.all.includes((await pageOffice(c)) ?? '')) return
    const html = await c.res.clone().text()
    const body = /<body[^>]*>/.exec(html)
    if (!body) return
    const mark =
      `<div id="${demoMarkId}" class="demo-mark" role="note">` +
      '<strong>演示数据 / Demo data</strong> <span>生成的示范案场，不是真实客户 · a generated demo office, not real visitors</span></div>'
    const at = body.index + body[0].length
    const headers = new Headers(c.res.headers)
    headers.delete('content-length')
    c.res = new Response(html.slice(0, at) + mark + html.slice(at), { status: c.res.status, headers })
  }
}
