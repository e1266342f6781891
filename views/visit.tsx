// One visit for sales staff: timeline, attribution in plain words, referral evidence, notes, reveal, check-out.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { VisitDetail } from '../models/visit-detail.ts'
import { Layout } from './layout.tsx'
import { OwnerBadge } from './dashboard-queue.tsx'
import type { QueueRoute } from '../models/ownership.ts'
import { pick, type Texts } from './i18n.ts'
import { dashboardText } from './dashboard-text.ts'
import { reasonText, rulingText } from './attribution-text.ts'

const text = {
  'zh-CN': {
    title: '到访详情',
    back: '返回今日看板',
    timeline: '时间线',
    checkedIn: '签到',
    referralBound: '渠道报备绑定',
    consentGiven: '同意摄像头分析',
    consentWithdrawn: '撤回同意',
    session: '展区停留',
    dwell: '停留',
    attention: '注视',
    assigned: '分配顾问',
    checkedOut: '离开',
    attribution: '渠道归属',
    disputed: '报备存在争议',
    disputeRule: '规则：报备晚于客户自行到访的，标记为争议，由案场经理裁定；不会自动拒绝。',
    notes: '跟进备注',
    noNotes: '还没有备注。',
    addNote: '添加备注',
    checkOut: '登记离开',
    reassign: '改派顾问',
    stale: '该访客刚被其他同事更新，请按最新状态重试。',
    phone: '手机',
    noPhone: '访客未留手机号。',
    reveal: '查看完整号码',
    reason: '查看原因（必填，将记入审计日志）',
    revealed: '完整号码（已记录本次查看）',
    seconds: '秒',
  },
  en: {
    title: 'Visit',
    back: 'Back to today',
    timeline: 'Timeline',
    checkedIn: 'Checked in',
    referralBound: 'Broker referral bound',
    consentGiven: 'Camera consent given',
    consentWithdrawn: 'Consent withdrawn',
    session: 'At a station',
    dwell: 'dwell',
    attention: 'attention',
    assigned: 'Consultant assigned',
    checkedOut: 'Checked out',
    attribution: 'Attribution',
    disputed: 'Disputed referral',
    disputeRule:
      'Rule: a referral made after the client already visited on their own is flagged for the sales manager to decide; it is not silently refused.',
    notes: 'Notes',
    noNotes: 'No notes yet.',
    addNote: 'Add note',
    checkOut: 'Check out',
    reassign: 'Reassign to',
    stale: 'A colleague changed this visit a moment ago; try again from its current state.',
    phone: 'Phone',
    noPhone: 'The visitor left no phone number.',
    reveal: 'Show full number',
    reason: 'Why (required; kept in the audit log)',
    revealed: 'Full number (this view has been logged)',
    seconds: 's',
  },
} satisfies Texts<Record<string, string>>

const at = (ms: number, timeZone: string, withDate = false) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  } as const).format(ms)

export function VisitPage({
  lang,
  csrfToken,
  account,
  detail,
  timeZone,
  revealed,
  consultants,
  stale,
  ownership,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  detail: VisitDetail
  timeZone: string
  revealed?: string
  consultants: { id: string; displayName: string }[]
  stale?: boolean
  // 客户归属: whose returning client this is, and whether a 撞单 on it waits for the manager
  ownership?: { route?: QueueRoute; conflict: boolean }
}) {
  const t = pick(text, lang)
  const d = pick(dashboardText, lang)
  const { visit, referral } = detail
  const events: { at: number; label: string }[] = [{ at: visit.checkedInAt, label: t.checkedIn }]
  if (referral?.arrivedAt)
    events.push({ at: referral.arrivedAt, label: `${t.referralBound} · ${referral.brokerName}` })
  for (const c of detail.consents) {
    events.push({ at: c.grantedAt, label: t.consentGiven })
    if (c.withdrawnAt) events.push({ at: c.withdrawnAt, label: t.consentWithdrawn })
  }
  for (const s of detail.sessions) {
    const secs = (ms: number) => `${Math.round(ms / 1000)}${t.seconds}`
    events.push({
      at: s.startedAt,
      label: `${t.session} · ${s.stationName}${s.zone ? ` (${s.zone})` : ''} · ${t.dwell} ${secs(s.dwellMs)} · ${t.attention} ${secs(s.attentionMs)}`,
    })
  }
  if (visit.assignedAt)
    events.push({ at: visit.assignedAt, label: `${t.assigned} · ${visit.consultantName ?? '—'}` })
  if (visit.checkedOutAt) events.push({ at: visit.checkedOutAt, label: t.checkedOut })
  events.sort((a, b) => a.at - b.at)
  const channel = visit.channel === 'broker' ? (visit.brokerName ?? '?') : d['walk-in']
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account}>
      <p>
        <a href="/dashboard">← {t.back}</a>
      </p>
      <h1>
        {t.title} · {at(visit.checkedInAt, timeZone, true)}
      </h1>
      <section class="card visit-summary" data-visit={visit.id}>
        <p>
          <span class={`badge status-${visit.status}`}>{d[`status.${visit.status}`]}</span>{' '}
          {visit.firstVisit ? d.first : d.return} · {channel} <OwnerBadge t={d} route={ownership?.route} />
          {ownership?.conflict ? <span class="badge conflict">{d.ownershipConflict}</span> : null}
        </p>
        <h2>{t.attribution}</h2>
        <p class="attribution">{reasonText(lang, visit.attributionReason, { office: referral?.office })}</p>
        {referral?.status === 'disputed' ? (
          <div class="alert dispute" role="note">
            <strong>{t.disputed}</strong> ({referral.brokerName})
            <p class="evidence">{rulingText(lang, referral, timeZone)}</p>
            <p>{t.disputeRule}</p>
          </div>
        ) : null}
        <VisitPhone lang={lang} csrfToken={csrfToken} detail={detail} revealed={revealed} />
        {stale ? (
          <p class="alert" role="alert">
            {t.stale}
          </p>
        ) : null}
        {visit.status === 'left' ? null : (
          <form method="post" action={`/visits/${visit.id}/reassign`} class="inline reassign">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <input type="hidden" name="revision" value={String(visit.revision)} />
            <label>
              {t.reassign}{' '}
              <select name="consultantId" required>
                {consultants.map((s) => (
                  <option value={s.id} selected={s.displayName === visit.consultantName}>
                    {s.displayName}
                  </option>
                ))}
              </select>
            </label>{' '}
            <button type="submit">{d.reassign}</button>
          </form>
        )}
        {visit.status === 'left' ? null : (
          <form method="post" action={`/visits/${visit.id}/checkout`}>
            <input type="hidden" name="_csrf" value={csrfToken} />
            <input type="hidden" name="revision" value={String(visit.revision)} />
            <button type="submit" class="danger checkout">
              {t.checkOut}
            </button>
          </form>
        )}
      </section>
      <section class="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t.timeline}</h2>
        <ol class="timeline">
          {events.map((e) => (
            <li>
              <time>{at(e.at, timeZone)}</time> {e.label}
            </li>
          ))}
        </ol>
      </section>
      <section class="card" aria-labelledby="notes-heading">
        <h2 id="notes-heading">{t.notes}</h2>
        <VisitNotes lang={lang} detail={detail} timeZone={timeZone} />
        <form method="post" action={`/visits/${visit.id}/notes`} class="stack">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label>
            {t.addNote}
            <textarea name="body" rows={3} maxlength={2000} required></textarea>
          </label>
          <button type="submit">{t.addNote}</button>
        </form>
      </section>
    </Layout>
  )
}

export function VisitNotes({
  lang,
  detail,
  timeZone,
}: {
  lang: Language
  detail: VisitDetail
  timeZone: string
}) {
  const t = pick(text, lang)
  return (
    <ul id="visit-notes" class="notes">
      {detail.notes.length === 0 ? <li class="empty">{t.noNotes}</li> : null}
      {detail.notes.map((n) => (
        <li>
          <p class="note-body">{n.body}</p>
          <p class="muted">
            {n.author} · {at(n.createdAt, timeZone, true)}
          </p>
        </li>
      ))}
    </ul>
  )
}

export function VisitPhone({
  lang,
  csrfToken,
  detail,
  revealed,
}: {
  lang: Language
  csrfToken: string
  detail: VisitDetail
  revealed?: string
}) {
  const t = pick(text, lang)
  const { visit } = detail
  return (
    <div id="visit-phone" class="visit-phone">
      <p>
        {t.phone}: <span class="phone">{visit.phoneMasked ?? '—'}</span>
      </p>
      {revealed ? (
        <p class="revealed" role="status">
          {t.revealed}: <strong class="phone-full">{revealed}</strong>
        </p>
      ) : visit.hasPhone ? (
        <details class="reveal">
          <summary>{t.reveal}</summary>
          <form method="post" action={`/visits/${visit.id}/reveal`} class="stack">
            <input type="hidden" name="_csrf" value={csrfToken} />
            <label>
              {t.reason}
              <input type="text" name="reason" minlength={4} maxlength={200} required />
            </label>
            <button type="submit">{t.reveal}</button>
          </form>
        </details>
      ) : (
        <p class="muted">{t.noPhone}</p>
      )}
    </div>
  )
}
