// Marks every full page of a demo office "演示数据 / Demo data", so generated figures are never taken for real ones.
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../context.ts'
import { demoOfficeIds } from '../../models/demo/office.ts'
import { getStation } from '../../models/offices.ts'

export const demoMarkId = 'demo-mark'

// station screens name their station in the path; a visitor's other pages name no office
const stationPath = /^\/(?:entrance|kiosk|display|s)\/([A-Za-z0-9_-]+)/

export function demoMark(): MiddlewareHandler<AppEnv> {
  return async function demoMark(c, next) {
    await next()
    if (!c.res.headers.get('content-type')?.startsWith('text/html')) return
    const { database } = c.var.deps
    const demo = await demoOfficeIds(database.db)
    if (demo.all.length === 0) return
    const station = stationPath.exec(c.req.path)?.[1]
    const officeId =
      c.var.account?.officeId ?? (station ? (await getStation(database.db, station))?.officeId : null)
    // pages of no particular office (sign-in, a visitor's phone) are marked while every office is a demo one
    const marked = officeId ? demo.all.includes(officeId) : demo.only
    if (!marked) return
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
