// Manager pages: channel rules (versioned), appeals with their evidence, and the commission report.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { ChannelRuleBody } from '../models/channel-rules.ts'
import {
  protectionKinds,
  arrivalProofs,
  ownershipDayChoices,
  ownerAwayRules,
} from '../models/channel-rules.ts'
import type { CommissionRow } from '../models/commission.ts'
import type { EvidenceItem } from '../models/appeals.ts'
import { officeName } from '../models/developers.ts'
import { Layout } from './layout.tsx'
import { ErrorList } from './errors.tsx'
import { pick, type Texts } from './i18n.ts'
import { rulesInWords } from './rules-text.ts'
import { formatTime, rulingText, referralStatusText } from './attribution-text.ts'

const text = {
  'zh-CN': {
    title: '判客规则',
    current: '当前规则',
    edit: '修改规则（保存为新版本，已作出的判定保持原版本）',
    minAdvance: '最少提前报备（分钟，0 表示不限）',
    windowFrom: '预报备时段开始（HH:MM，留空不限）',
    windowTo: '预报备时段结束（HH:MM）',
    protection: '保护期',
    dailyCap: '每位经纪人每日上限（留空不限）',
    arrivalProof: '到访凭证',
    'client-scan': '客户扫码签到',
    'broker-present': '客户签到 + 经纪人到场确认',
    'same-day': '当天',
    '1-day': '24 小时',
    '7-days': '7 天',
    '30-days': '30 天',
    save: '保存为新版本',
    appeals: '申诉',
    commission: '佣金报表',
    noAppeals: '暂无申诉。',
    broker: '经纪人',
    office: '案场',
    filed: '提交时间',
    reason: '申诉理由',
    status: '状态',
    open: '待处理',
    upheld: '维持原判',
    overturned: '改判',
    evidence: '证据时间线（不含任何生物特征信息）',
    decide: '作出终审决定',
    decisionReason: '决定理由',
    ruling: '原判定',
    from: '开始',
    to: '结束',
    show: '查看',
    csv: '导出 CSV',
    registered: '报备',
    valid: '有效到访',
    disputed: '有争议',
    invalid: '无效',
    payable: '可计佣',
    present: '经纪人到场',
    none: '此期间没有报备。',
    final: '决定为终审，经纪人可见，并记入审计日志。',
    ownership: '客户归属（置业顾问）',
    ownershipDays: '归属保护期',
    noOwnership: '不设归属',
    days: '天',
    ownerAway: '归属顾问不在岗时',
    wait: '等待归属顾问',
    cover: '由轮岗顾问代接（计入归属顾问）',
    countsAsTurn: '接待自己的老客户计入轮岗次序',
    conflicts: '撞单',
    consultants: '顾问业绩',
  },
  en: {
    title: 'Channel rules',
    current: 'Current rules',
    edit: 'Change the rules (saved as a new version; past rulings keep theirs)',
    minAdvance: 'Minimum advance registration (minutes, 0 = none)',
    windowFrom: 'Pre-registration window start (HH:MM, empty = none)',
    windowTo: 'Pre-registration window end (HH:MM)',
    protection: 'Protection period',
    dailyCap: 'Daily registrations per broker (empty = no cap)',
    arrivalProof: 'Proof of arrival',
    'client-scan': 'Client checks in by QR',
    'broker-present': 'Client check-in + broker confirms presence',
    'same-day': 'Same day',
    '1-day': '24 hours',
    '7-days': '7 days',
    '30-days': '30 days',
    save: 'Save as a new version',
    appeals: 'Appeals',
    commission: 'Commission report',
    noAppeals: 'No appeals.',
    broker: 'Broker',
    office: 'Office',
    filed: 'Filed',
    reason: 'Reason',
    status: 'Status',
    open: 'open',
    upheld: 'upheld',
    overturned: 'overturned',
    evidence: 'Evidence timeline (nothing biometric)',
    decide: 'Final decision',
    decisionReason: 'Reason for the decision',
    ruling: 'Ruling',
    from: 'From',
    to: 'To',
    show: 'Show',
    csv: 'Export CSV',
    registered: 'Registered',
    valid: 'Valid arrivals',
    disputed: 'Disputed',
    invalid: 'Invalid',
    payable: 'Payable',
    present: 'Broker present',
    none: 'No registrations in this period.',
    final: 'The decision is final, visible to the broker, and in the audit log.',
    ownership: 'Client ownership (consultants)',
    ownershipDays: 'Ownership protection period',
    noOwnership: 'No ownership',
    days: 'days',
    ownerAway: 'When the owner is off duty',
    wait: 'Wait for the owner',
    cover: 'The rotation serves on the owner’s behalf (代接, credited to the owner)',
    countsAsTurn: 'Serving one’s own returning client counts as one’s rotation turn',
    conflicts: 'Conflicts (撞单)',
    consultants: 'Consultant figures',
  },
} satisfies Texts<Record<string, string>>

type Base = { lang: Language; csrfToken: string; account: SignedIn }

export function RulesNav({ lang }: { lang: Language }) {
  const t = pick(text, lang)
  return (
    <nav class="subnav">
      <a href="/rules">{t.title}</a> · <a href="/rules/appeals">{t.appeals}</a> ·{' '}
      <a href="/rules/commission">{t.commission}</a> · <a href="/rules/conflicts">{t.conflicts}</a> ·{' '}
      <a href="/rules/consultants">{t.consultants}</a>
    </nav>
  )
}

// a period's from/to form and its CSV link, on the rules pages that report a period
export function PeriodFilter({
  lang,
  action,
  from,
  to,
  csvId,
  csvLabel,
}: {
  lang: Language
  action: string
  from: string
  to: string
  csvId: string
  csvLabel: string
}) {
  const t = pick(text, lang)
  return (
    <form method="get" action={action} class="filters">
      <label>
        {t.from}
        <input type="date" name="from" value={from} />
      </label>
      <label>
        {t.to}
        <input type="date" name="to" value={to} />
      </label>
      <button type="submit">{t.show}</button>
      <a class="button" href={`${action}.csv?from=${from}&to=${to}`} id={csvId}>
        {csvLabel}
      </a>
    </form>
  )
}

export function RulesPage({
  lang,
  csrfToken,
  account,
  rules,
  version,
  error,
}: Base & { rules: ChannelRuleBody; version: number; error?: string[] }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account}>
      <h1>{t.title}</h1>
      <RulesNav lang={lang} />
      <section class="card" id="rules-current" data-version={version}>
        <h2>{t.current}</h2>
        <ul>
          {rulesInWords(lang, rules, version, 'staff').map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>{t.edit}</h2>
        <ErrorList errors={error} />
        <form method="post" action="/rules" class="stack" id="rules-form">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label>
            {t.minAdvance}
            <input
              name="minAdvanceMinutes"
              type="number"
              min={0}
              max={10080}
              value={String(rules.minAdvanceMinutes)}
            />
          </label>
          <label>
            {t.windowFrom}
            <input name="windowFrom" pattern="[0-2][0-9]:[0-5][0-9]" value={rules.windowFrom ?? ''} />
          </label>
          <label>
            {t.windowTo}
            <input name="windowTo" pattern="[0-2][0-9]:[0-5][0-9]" value={rules.windowTo ?? ''} />
          </label>
          <label>
            {t.protection}
            <select name="protection">
              {protectionKinds.map((k) => (
                <option value={k} selected={rules.protection === k}>
                  {t[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.dailyCap}
            <input
              name="dailyCap"
              type="number"
              min={1}
              max={1000}
              value={rules.dailyCap === null ? '' : String(rules.dailyCap)}
            />
          </label>
          <label>
            {t.arrivalProof}
            <select name="arrivalProof">
              {arrivalProofs.map((k) => (
                <option value={k} selected={rules.arrivalProof === k}>
                  {t[k]}
                </option>
              ))}
            </select>
          </label>
          <fieldset id="ownership-rules">
            <legend>{t.ownership}</legend>
            <label>
              {t.ownershipDays}
              <select name="ownershipDays">
                <option value="none" selected={rules.ownership.days === null}>
                  {t.noOwnership}
                </option>
                {ownershipDayChoices.map((d) => (
                  <option value={String(d)} selected={rules.ownership.days === d}>
                    {d} {t.days}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t.ownerAway}
              <select name="ownerAway">
                {ownerAwayRules.map((k) => (
                  <option value={k} selected={rules.ownership.ownerAway === k}>
                    {t[k]}
                  </option>
                ))}
              </select>
            </label>
            <label class="check">
              <input type="checkbox" name="countsAsTurn" checked={rules.ownership.countsAsTurn} />{' '}
              {t.countsAsTurn}
            </label>
          </fieldset>
          <button type="submit" class="primary">
            {t.save}
          </button>
        </form>
      </section>
    </Layout>
  )
}

// dated evidence, never a face: shared by appeals (申诉) and ownership conflicts (撞单)
export function EvidenceTimeline({
  lang,
  evidence,
  timeZone,
}: {
  lang: Language
  evidence: EvidenceItem[]
  timeZone: string
}) {
  return (
    <ol class="timeline" id="evidence">
      {evidence.map((e) => (
        <li>
          <time>{formatTime(lang, e.at, timeZone)}</time> · {e.kind} · {e.detail}
        </li>
      ))}
    </ol>
  )
}

type AppealRow = {
  appeal: { id: string; reason: string; createdAt: number; decision: string | null; officeId: string }
  broker: string
  referral: { status: string }
}

function officeLabel(offices: { id: string; name: string; nameEn: string }[], id: string, lang: string) {
  const office = offices.find((o) => o.id === id)
  return office ? officeName(office, lang) : ''
}

export function AppealsPage({
  lang,
  csrfToken,
  account,
  list,
  timeZone,
  offices = [],
}: Base & {
  list: AppealRow[]
  timeZone: string
  // the admin sees the appeals of every office of the developer: then each row names its office
  offices?: { id: string; name: string; nameEn: string }[]
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.appeals} csrfToken={csrfToken} account={account}>
      <h1>{t.appeals}</h1>
      <RulesNav lang={lang} />
      <section class="card" id="appeal-list">
        {list.length === 0 ? (
          <p class="empty">{t.noAppeals}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t.filed}</th>
                  {offices.length > 1 ? <th>{t.office}</th> : null}
                  <th>{t.broker}</th>
                  <th>{t.reason}</th>
                  <th>{t.status}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((a) => (
                  <tr data-appeal={a.appeal.id}>
                    <td>
                      <a href={`/rules/appeals/${a.appeal.id}`}>
                        {formatTime(lang, a.appeal.createdAt, timeZone)}
                      </a>
                    </td>
                    {offices.length > 1 ? <td>{officeLabel(offices, a.appeal.officeId, lang)}</td> : null}
                    <td>{a.broker}</td>
                    <td>{a.appeal.reason}</td>
                    <td>{a.appeal.decision ? t[a.appeal.decision as 'upheld' | 'overturned'] : t.open}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  )
}

export function AppealPage({
  lang,
  csrfToken,
  account,
  timeZone,
  appeal,
  broker,
  referral,
  evidence,
  error,
}: Base & {
  timeZone: string
  appeal: {
    id: string
    reason: string
    createdAt: number
    decision: string | null
    decisionReason: string | null
  }
  broker: string
  referral: {
    status: 'pending' | 'arrived' | 'expired' | 'disputed' | 'invalid'
    reason: string
    evidenceAt: number | null
    conflictBroker?: string | null
    conflictOffice?: { name: string; nameEn: string } | null
  }
  evidence: EvidenceItem[]
  error?: string[]
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.appeals} csrfToken={csrfToken} account={account}>
      <h1>
        {t.appeals} · {broker}
      </h1>
      <RulesNav lang={lang} />
      <section class="card" id="appeal" data-decision={appeal.decision ?? 'open'}>
        <p>
          <strong>{t.ruling}:</strong> {referralStatusText[lang][referral.status]} ·{' '}
          {rulingText(lang, referral, timeZone)}
        </p>
        <p>
          <strong>{t.reason}:</strong> {appeal.reason}
        </p>
        <h2>{t.evidence}</h2>
        <EvidenceTimeline lang={lang} evidence={evidence} timeZone={timeZone} />
      </section>
      {appeal.decision ? (
        <section class="card">
          <p>
            <strong>{t[appeal.decision as 'upheld' | 'overturned']}</strong>: {appeal.decisionReason}
          </p>
        </section>
      ) : (
        <section class="card">
          <h2>{t.decide}</h2>
          <ErrorList errors={error} />
          <form method="post" action={`/rules/appeals/${appeal.id}/decide`} class="stack" id="decide-form">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <label>
              {t.decisionReason}
              <textarea name="reason" required minlength={4} maxlength={1000}></textarea>
            </label>
            <p class="muted">{t.final}</p>
            <div class="choices">
              <button type="submit" name="decision" value="upheld" class="choice" id="decide-uphold">
                {t.upheld}
              </button>
              <button type="submit" name="decision" value="overturned" class="choice" id="decide-overturn">
                {t.overturned}
              </button>
            </div>
          </form>
        </section>
      )}
    </Layout>
  )
}

export function CommissionPage({
  lang,
  csrfToken,
  account,
  rows,
  from,
  to,
}: Base & { rows: CommissionRow[]; from: string; to: string }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.commission} csrfToken={csrfToken} account={account}>
      <h1>{t.commission}</h1>
      <RulesNav lang={lang} />
      <PeriodFilter
        lang={lang}
        action="/rules/commission"
        from={from}
        to={to}
        csvId="commission-csv"
        csvLabel={t.csv}
      />
      <section class="card" id="commission">
        {rows.length === 0 ? (
          <p class="empty">{t.none}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t.broker}</th>
                  <th>{t.registered}</th>
                  <th>{t.valid}</th>
                  <th>{t.disputed}</th>
                  <th>{t.invalid}</th>
                  <th>{t.overturned}</th>
                  <th>{t.present}</th>
                  <th>{t.payable}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr data-broker={r.brokerId}>
                    <td>
                      {r.broker} <span class="muted">{r.company}</span>
                    </td>
                    <td>{r.registered}</td>
                    <td>{r.valid}</td>
                    <td>{r.disputed}</td>
                    <td>{r.invalid}</td>
                    <td>{r.overturned}</td>
                    <td>{r.brokerPresent}</td>
                    <td>
                      <strong>{r.payable}</strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  )
}
