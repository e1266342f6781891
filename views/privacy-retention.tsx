// Retention periods per data kind (with their floors) and the list of purge runs.
import type { Language } from '../models/consents.ts'
import type { RetentionKind } from '../models/privacy.ts'
import type { RetentionPolicy, PurgeCounts } from '../models/retention.ts'
import type { SignedIn } from '../server/context.ts'
import { PrivacyShell, formatTime } from './privacy.tsx'
import { pick, type Texts } from './i18n.ts'

const text = {
  'zh-CN': {
    intro:
      '每类数据保存到期后由系统自动删除（启动时一次，之后每小时一次）。下限来自法律或渠道保护期，不能设得更短。',
    kind: '数据类别',
    days: '保存天数',
    floor: '下限',
    save: '保存',
    isDefault: '默认值',
    'visitor-personal': '访客个人字段（手机号哈希/掩码/密文、接待备注）',
    'camera-sessions': '摄像头会话（停留与注视秒数）',
    referrals: '渠道报备',
    consents: '同意记录',
    'audit-log': '审计日志',
    runNow: '立即清除',
    started: '开始时间',
    trigger: '触发',
    duration: '耗时',
    deleted: '删除行数',
    error: '错误',
    none: '尚无清除记录。',
    start: '启动',
    schedule: '定时',
    manual: '手动',
  },
  en: {
    intro:
      'When a kind of data reaches its period the system deletes it by itself (once at start, then hourly). Floors come from the law or the broker protection period; a period cannot be shorter.',
    kind: 'Kind of data',
    days: 'Days kept',
    floor: 'Floor',
    save: 'Save',
    isDefault: 'default',
    'visitor-personal': 'Visitor personal fields (phone hash/mask/ciphertext, reception notes)',
    'camera-sessions': 'Camera sessions (dwell and attention seconds)',
    referrals: 'Broker referrals (报备)',
    consents: 'Consent records',
    'audit-log': 'Audit log',
    runNow: 'Purge now',
    started: 'Started',
    trigger: 'Trigger',
    duration: 'Duration',
    deleted: 'Rows deleted',
    error: 'Error',
    none: 'No purge has run yet.',
    start: 'start',
    schedule: 'schedule',
    manual: 'manual',
  },
} satisfies Texts<Record<string, string>>

export function RetentionPage({
  lang,
  csrfToken,
  account,
  policy,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  policy: RetentionPolicy[]
}) {
  const t = pick(text, lang)
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="retention">
      <p>{t.intro}</p>
      <section class="card" id="retention-policy">
        <table>
          <thead>
            <tr>
              <th>{t.kind}</th>
              <th>{t.days}</th>
              <th>{t.floor}</th>
            </tr>
          </thead>
          <tbody>
            {policy.map((p) => (
              <tr>
                <td>{t[p.kind as RetentionKind]}</td>
                <td>
                  <form method="post" action="/privacy/retention" class="inline">
                    <input type="hidden" name="_csrf" value={csrfToken} />
                    <input type="hidden" name="kind" value={p.kind} />
                    <input
                      type="number"
                      name="days"
                      value={String(p.days)}
                      min={String(p.floor)}
                      max="3650"
                      aria-label={`${t[p.kind as RetentionKind]} ${t.days}`}
                    />{' '}
                    <button type="submit">{t.save}</button>{' '}
                    {p.isDefault ? <small>{t.isDefault}</small> : null}
                  </form>
                </td>
                <td>{p.floor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </PrivacyShell>
  )
}

export type PurgeRunRow = {
  id: string
  startedAt: number
  durationMs: number
  trigger: 'start' | 'schedule' | 'manual'
  deleted: PurgeCounts
  error: string | null
}

export function PurgeRunsPage({
  lang,
  csrfToken,
  account,
  runs,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  runs: PurgeRunRow[]
}) {
  const t = pick(text, lang)
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="purges">
      <form method="post" action="/privacy/purges" class="card">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <button type="submit" class="primary" id="purge-now">
          {t.runNow}
        </button>
      </form>
      <section class="card" id="purge-runs">
        {runs.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t.started}</th>
                <th>{t.trigger}</th>
                <th>{t.duration}</th>
                <th>{t.deleted}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr>
                  <td>{formatTime(run.startedAt)}</td>
                  <td>{t[run.trigger]}</td>
                  <td>{run.durationMs} ms</td>
                  <td>
                    {run.error ? (
                      <span class="bad">
                        {t.error}: {run.error}
                      </span>
                    ) : (
                      Object.entries(run.deleted)
                        .map(([kind, n]) => `${kind} ${n}`)
                        .join(' · ')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </PrivacyShell>
  )
}
