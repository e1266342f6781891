// Removing the demo office: the link on the admin page, and the confirmation page that says what will go.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import { Layout } from './layout.tsx'
import { pick } from './i18n.ts'

export const demoRemovalIds = { link: 'demo-removal-link', form: 'demo-removal-form' } as const
// what the admin types to confirm: the removal cannot be undone
export const demoConfirmWord = 'DEMO'

const text = {
  'zh-CN': {
    link: '删除演示数据…',
    title: '删除演示数据',
    intro:
      '将删除演示开发商、演示案场及其全部账号、屏幕和数据（到访、报备、同意记录、摄像头会话、报表汇总、审计记录）。其他案场的任何数据都不受影响。此操作不可撤销，并会写入审计日志。',
    moved:
      '你的管理员账号属于演示案场：删除后它将归入第一个真实案场；若没有，会新建一个空白的「我的售楼处」。',
    offices: '演示案场',
    staff: '员工账号',
    brokers: '渠道账号',
    visits: '到访记录',
    confirm: `输入 ${demoConfirmWord} 以确认`,
    submit: '永久删除演示数据',
    cancel: '取消',
  },
  en: {
    link: 'Remove the demo data…',
    title: 'Remove the demo data',
    intro:
      'This deletes the demo developer, the demo office and all its accounts, screens and data (visits, referrals, consents, camera sessions, report roll-ups, audit rows). Nothing of any other office is touched. It cannot be undone and is written to the audit log.',
    moved:
      'Your admin account belongs to the demo office: afterwards it moves to the first real office, or to a new, empty “My sales office” if there is none.',
    offices: 'Demo offices',
    staff: 'Staff accounts',
    brokers: 'Broker accounts',
    visits: 'Visits',
    confirm: `Type ${demoConfirmWord} to confirm`,
    submit: 'Remove the demo data for good',
    cancel: 'Cancel',
  },
}

export function DemoRemovalLink({ lang }: { lang: Language }) {
  return (
    <p>
      <a id={demoRemovalIds.link} href="/admin/demo">
        {pick(text, lang).link}
      </a>
    </p>
  )
}

export type DemoSummary = {
  offices: string[]
  staff: number
  brokers: number
  visits: number
  adminMoves: boolean
}

export function DemoRemovalPage({
  lang,
  csrfToken,
  account,
  summary,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  summary: DemoSummary
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account} bodyClass="console">
      <h1>{t.title}</h1>
      <section class="card">
        <p>{t.intro}</p>
        <dl class="summary">
          <dt>{t.offices}</dt>
          <dd>{summary.offices.join('、')}</dd>
          <dt>{t.staff}</dt>
          <dd>{summary.staff}</dd>
          <dt>{t.brokers}</dt>
          <dd>{summary.brokers}</dd>
          <dt>{t.visits}</dt>
          <dd>{summary.visits}</dd>
        </dl>
        {summary.adminMoves ? <p class="note">{t.moved}</p> : null}
        <form id={demoRemovalIds.form} method="post" action="/admin/demo/remove" class="stack">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label>
            {t.confirm} <input name="confirm" required autocomplete="off" pattern={demoConfirmWord} />
          </label>
          <p class="actions">
            <button type="submit" class="danger">
              {t.submit}
            </button>{' '}
            <a href="/admin">{t.cancel}</a>
          </p>
        </form>
      </section>
    </Layout>
  )
}
