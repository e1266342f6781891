// Privacy officer routes (permission privacy:manage): overview and notices here; records and audit in sibling files.
import { Hono } from 'hono'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { invalidInput } from '../respond.tsx'
import {
  currentNotice,
  languages,
  noticeBodyInput,
  noticeHash,
  publishNotice,
} from '../../models/consents.ts'
import { noticeElements, type NoticeBody } from '../../models/notice-defaults.ts'
import { listDataRequests } from '../../models/data-requests.ts'
import { listPurgeRuns } from '../../models/retention.ts'
import { listNoticeVersions } from '../../models/privacy-reports.ts'
import { PrivacyOverviewPage } from '../../views/privacy.tsx'
import { NoticesPage, NoticePreview } from '../../views/privacy-notices.tsx'
import { auditChange, formFields, officer } from './console.ts'
import { privacyRecordRoutes } from './privacy-records.tsx'
import { privacyAuditRoutes } from './privacy-audit.tsx'

const noticeFields = ['short', ...noticeElements] as const
const noticeLang = z.enum(languages).catch('zh-CN')

export function privacyRoutes() {
  const app = new Hono<AppEnv>()
  const manage = requirePermission({ permission: 'privacy:manage' })

  app.get('/privacy', manage, async (c) => {
    const { database } = c.var.deps
    const account = officer(c)
    const requests = await listDataRequests(database.db, account.officeId)
    const [lastRun] = await listPurgeRuns(database.db, { officeId: account.officeId, limit: 1 })
    const notices = []
    for (const lang of languages) {
      const notice = await currentNotice(database.db, account.officeId, lang)
      if (notice) notices.push(notice)
    }
    return c.html(
      <PrivacyOverviewPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        openRequests={requests.filter((r) => r.status === 'open').length}
        lastPurgeAt={lastRun?.startedAt ?? null}
        notices={notices}
      />,
    )
  })

  app.get('/privacy/notices', manage, async (c) => {
    const { database } = c.var.deps
    const account = officer(c)
    const lang = noticeLang.parse(c.req.query('notice'))
    const current = await currentNotice(database.db, account.officeId, lang)
    const versions = await listNoticeVersions(database.db, account.officeId, lang)
    return c.html(
      <NoticesPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        noticeLang={lang}
        current={current}
        versions={versions}
        draft={current?.body ?? {}}
        preview={current}
      />,
    )
  })

  // the draft in the form, as a visitor would see it, with the hash it would get (nothing stored)
  app.get('/privacy/notices/preview', manage, async (c) => {
    const lang = noticeLang.parse(c.req.query('noticeLang'))
    const body = Object.fromEntries(
      noticeFields.map((k) => [k, (c.req.query(k) ?? '').slice(0, 4000)]),
    ) as NoticeBody
    const versions = await listNoticeVersions(c.var.deps.database.db, officer(c).officeId, lang)
    const draft = { version: (versions[0]?.version ?? 0) + 1, sha256: await noticeHash(body), body }
    return c.html(<NoticePreview noticeLang={lang} notice={draft} />)
  })

  app.post('/privacy/notices', manage, async (c) => {
    const fields = await formFields(c)
    const lang = z.enum(languages).safeParse(fields.noticeLang)
    const body = noticeBodyInput.safeParse(Object.fromEntries(noticeFields.map((k) => [k, fields[k] ?? ''])))
    if (!lang.success) return invalidInput(c, lang.error)
    // a notice missing a required element (PIPL art. 17) is refused whole
    if (!body.success) return invalidInput(c, body.error)
    const { database, clock, events } = c.var.deps
    const account = officer(c)
    await database.write(async (tx) => {
      const result = await publishNotice({
        tx,
        input: {
          officeId: account.officeId,
          lang: lang.data,
          body: body.data as NoticeBody,
          publishedBy: account.id,
        },
        now: clock.now(),
      })
      await auditChange(tx, c, 'notice.published', result.id, {
        lang: lang.data,
        version: result.version,
        sha256: result.sha256,
      })
      return result
    })
    // kiosk, entrance and check-in pages switch to the new version at once
    events?.emit({ type: 'notice.published', officeId: account.officeId, lang: lang.data })
    return c.redirect(`/privacy/notices?notice=${lang.data}`, 303)
  })

  app.route('/', privacyRecordRoutes())
  app.route('/', privacyAuditRoutes())
  return app
}
