// The consent ledger: counts by notice version and by day and scope, withdrawals, and one receipt looked up.
import type { Language } from '../models/consents.ts'
import type { consentLedger, findReceipt } from '../models/privacy-reports.ts'
import type { SignedIn } from '../server/context.ts'
import { PrivacyShell, formatTime } from './privacy.tsx'
import { pick, type Texts } from './i18n.ts'

type Ledger = Awaited<ReturnType<typeof consentLedger>>
type Receipt = NonNullable<Awaited<ReturnType<typeof findReceipt>>>

const text = {
  'zh-CN': {
    byVersion: '按告知书版本',
    byDay: '近 30 天按日',
    lang: '语言',
    version: '版本',
    granted: '同意',
    withdrawn: '撤回',
    day: '日期',
    scope: '范围',
    withdrawals: '撤回总数',
    effect: '撤回生效时间',
    immediate: '即时：撤回与删除摄像头数据在同一事务中完成',
    lingering: '撤回后仍保留的摄像头会话（应为 0）',
    lookup: '查询回执',
    receiptId: '回执编号',
    find: '查询',
    notFound: '未找到此回执。',
    givenAt: '给出位置',
    notice: '告知书',
    linked: '关联来访',
    yes: '是',
    no: '否（已删除或未签到）',
    none: '暂无',
  },
  en: {
    byVersion: 'By notice version',
    byDay: 'Last 30 days by day',
    lang: 'Language',
    version: 'Version',
    granted: 'Granted',
    withdrawn: 'Withdrawn',
    day: 'Day',
    scope: 'Scope',
    withdrawals: 'Withdrawals in total',
    effect: 'Time for a withdrawal to take effect',
    immediate: 'immediate: withdrawal and deletion of camera data happen in one transaction',
    lingering: 'Camera sessions still held after withdrawal (must be 0)',
    lookup: 'Look up a receipt',
    receiptId: 'Receipt id',
    find: 'Find',
    notFound: 'No such receipt.',
    givenAt: 'Given at',
    notice: 'Notice',
    linked: 'Linked to a visit',
    yes: 'yes',
    no: 'no (deleted or no check-in)',
    none: 'none',
  },
} satisfies Texts<Record<string, string>>

export function ConsentLedgerPage({
  lang,
  csrfToken,
  account,
  ledger,
  lookup,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  ledger: Ledger
  lookup: { id: string; receipt: Receipt | null } | null
}) {
  const t = pick(text, lang)
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="consents">
      <section class="card stats">
        <div>
          <span class="stat-label">{t.withdrawals}</span>
          <span class="stat">{ledger.withdrawals}</span>
        </div>
        <div>
          <span class="stat-label">{t.effect}</span>
          <span>{t.immediate}</span>
        </div>
        <div>
          <span class="stat-label">{t.lingering}</span>
          <span class="stat" id="sessions-after-withdrawal">
            {ledger.sessionsAfterWithdrawal}
          </span>
        </div>
      </section>
      <section class="card">
        <h2>{t.lookup}</h2>
        <form method="get" action="/privacy/consents" class="inline">
          <label>
            {t.receiptId} <input name="receipt" value={lookup?.id ?? ''} required maxlength={64} />
          </label>{' '}
          <button type="submit">{t.find}</button>
        </form>
        {lookup ? (
          lookup.receipt ? (
            <dl id="receipt-lookup">
              <dt>{t.receiptId}</dt>
              <dd>
                <code>{lookup.receipt.id}</code>
              </dd>
              <dt>{t.notice}</dt>
              <dd>
                {lookup.receipt.lang} v{lookup.receipt.version} ·{' '}
                <code class="hash">{lookup.receipt.noticeSha256}</code>
              </dd>
              <dt>{t.granted}</dt>
              <dd>{formatTime(lookup.receipt.grantedAt)}</dd>
              <dt>{t.withdrawn}</dt>
              <dd>{formatTime(lookup.receipt.withdrawnAt)}</dd>
              <dt>{t.givenAt}</dt>
              <dd>{lookup.receipt.givenAt}</dd>
              <dt>{t.linked}</dt>
              <dd>{lookup.receipt.linkedToVisit ? t.yes : t.no}</dd>
            </dl>
          ) : (
            <p class="empty" id="receipt-lookup">
              {t.notFound}
            </p>
          )
        ) : null}
      </section>
      <section class="card">
        <h2>{t.byVersion}</h2>
        <table id="ledger-by-version">
          <thead>
            <tr>
              <th>{t.lang}</th>
              <th>{t.version}</th>
              <th>sha256</th>
              <th>{t.granted}</th>
              <th>{t.withdrawn}</th>
            </tr>
          </thead>
          <tbody>
            {ledger.byVersion.map((v) => (
              <tr>
                <td>{v.lang}</td>
                <td>v{v.version}</td>
                <td>
                  <code class="hash">{v.sha256.slice(0, 16)}…</code>
                </td>
                <td>{v.granted}</td>
                <td>{v.withdrawn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card">
        <h2>{t.byDay}</h2>
        {ledger.byDay.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <table id="ledger-by-day">
            <thead>
              <tr>
                <th>{t.day}</th>
                <th>{t.scope}</th>
                <th>{t.granted}</th>
                <th>{t.withdrawn}</th>
              </tr>
            </thead>
            <tbody>
              {ledger.byDay.map((d) => (
                <tr>
                  <td>{d.day}</td>
                  <td>{d.scope}</td>
                  <td>{d.granted}</td>
                  <td>{d.withdrawn}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </PrivacyShell>
  )
}
