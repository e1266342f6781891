// The sales dashboard (today): page shell and its live fragments, each named after the element id it owns.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import type { DashboardSnapshot, Arrival } from '../models/dashboard.ts'
import type { QueueConflict } from '../models/reception.ts'
import { Layout } from './layout.tsx'
import { pick } from './i18n.ts'
import {
  dashboardText,
  dashboardIds,
  dashboardSocketPath,
  clockTime,
  type DashboardText,
} from './dashboard-text.ts'
import { Charts } from './dashboard-charts.tsx'
import { Queue, QueueNotice, OwnerBadge } from './dashboard-queue.tsx'
import type { QueueRoute } from '../models/ownership.ts'

export type FragmentProps = { lang: Language; snapshot: DashboardSnapshot; csrfToken: string; oob?: boolean }
export const oobAttr = (oob?: boolean) => (oob ? { 'hx-swap-oob': 'true' } : {})

export function DashboardPage({
  lang,
  csrfToken,
  account,
  snapshot,
  conflict,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  snapshot: DashboardSnapshot
  conflict?: QueueConflict
}) {
  const t = pick(dashboardText, lang)
  return (
    <Layout
      lang={lang}
      title={t.title}
      csrfToken={csrfToken}
      account={account}
      bodyClass="dashboard"
      scripts={['/assets/dashboard.js']}
    >
      <div
        id={dashboardIds.live}
        class="dashboard-live"
        hx-ext="ws"
        ws-connect={`${dashboardSocketPath}?lang=${lang}`}
        data-state="connecting"
      >
        <div class="dashboard-head">
          <h1>{t.title}</h1>
          <a href="/dashboard/mine" id="my-clients-link">
            {t.mine}
          </a>
          <p id={dashboardIds.status} class="live-status" role="status" aria-live="polite">
            <span class="live-ok">{t.live}</span>
            <span class="live-lost">{t.reconnecting}</span>
            <span class="live-ended">{t.signedOut}</span>
          </p>
        </div>
        <QueueNotice lang={lang} conflict={conflict ?? null} />
        <div class="dashboard-grid">
          <Counters lang={lang} snapshot={snapshot} csrfToken={csrfToken} />
          <Queue lang={lang} snapshot={snapshot} csrfToken={csrfToken} />
          <section class="card arrivals" aria-labelledby="arrivals-heading">
            <h2 id="arrivals-heading">{t.arrivals}</h2>
            <VisitList lang={lang} snapshot={snapshot} csrfToken={csrfToken} />
          </section>
          <Charts lang={lang} snapshot={snapshot} />
        </div>
      </div>
    </Layout>
  )
}

// every live fragment, for a WebSocket push or an htmx response (each swaps by its id)
export function DashboardFragments({
  conflict,
  ...props
}: Omit<FragmentProps, 'oob'> & { conflict?: QueueConflict | null }) {
  return (
    <>
      <Counters {...props} oob />
      <Queue {...props} oob />
      {conflict === undefined ? null : <QueueNotice lang={props.lang} conflict={conflict} oob />}
      <VisitList {...props} oob />
      <Charts lang={props.lang} snapshot={props.snapshot} oob />
    </>
  )
}

const minutes = (ms: number | null, t: DashboardText) =>
  ms === null ? '—' : `${Math.round(ms / 60_000)} ${t.minutes}`

export function Counters({ lang, snapshot, oob }: FragmentProps) {
  const t = pick(dashboardText, lang)
  const c = snapshot.counters
  const share = c.consentedShare === null ? '—' : `${Math.round(c.consentedShare * 100)}%`
  const items: [string, string | number, string?][] = [
    [t.visits, c.visits, 'visits'],
    [t.firstVisits, c.firstVisits, 'first'],
    [t.returns, c.returns, 'returns'],
    [t.walkIns, c.walkIns, 'walk-ins'],
    ...c.brokers.map((b): [string, number] => [b.name, b.visits]),
    [t.consentedShare, share, 'consented'],
    [t.medianDwell, minutes(c.medianDwellMs, t), 'dwell'],
  ]
  return (
    <section id={dashboardIds.counters} class="card counters" aria-label={t.counters} {...oobAttr(oob)}>
      <dl class="counter-grid">
        {items.map(([label, value, key]) => (
          <div class="counter" data-counter={key ?? 'broker'}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}

export function channelName(a: Pick<Arrival, 'channel' | 'brokerName'>, t: DashboardText): string {
  return a.channel === 'broker' ? (a.brokerName ?? '?') : t['walk-in']
}

export function VisitList({ lang, snapshot, csrfToken, oob }: FragmentProps) {
  const t = pick(dashboardText, lang)
  return (
    <div id={dashboardIds.visitList} class="table-wrap" {...oobAttr(oob)}>
      {snapshot.arrivals.length === 0 ? (
        <p class="empty">{t.none}</p>
      ) : (
        <table class="arrivals-table">
          <thead>
            <tr>
              <th scope="col">{t.time}</th>
              <th scope="col">{t.channel}</th>
              <th scope="col">{t.kind}</th>
              <th scope="col">{t.consent}</th>
              <th scope="col">{t.phone}</th>
              <th scope="col">{t.consultant}</th>
              <th scope="col">{t.status}</th>
            </tr>
          </thead>
          <tbody id={dashboardIds.visitRows}>
            {snapshot.arrivals.map((a) => (
              <VisitRow
                t={t}
                arrival={a}
                timeZone={snapshot.timeZone}
                route={snapshot.routes.get(a.id)}
                conflict={snapshot.conflicts.has(a.id)}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

export const visitRowId = (visitId: string) => `visit-row-${visitId}`

export function VisitRow({
  t,
  arrival: a,
  timeZone,
  route,
  conflict,
  oob,
}: {
  t: DashboardText
  arrival: Arrival
  timeZone: string
  route?: QueueRoute
  conflict?: boolean
  oob?: boolean
}) {
  // data-label names each cell where a phone shows the row as a card (below ~600 px the header row is hidden)
  return (
    <tr id={visitRowId(a.id)} data-visit={a.id} data-status={a.status} {...oobAttr(oob)}>
      <td class="time" data-label={t.time}>
        <a href={`/visits/${a.id}`} title={t.details}>
          {clockTime(a.checkedInAt, timeZone)}
        </a>
      </td>
      <td class="channel" data-label={t.channel}>
        {channelName(a, t)}
      </td>
      <td class="kind" data-label={t.kind}>
        {a.firstVisit ? t.first : t.return} <OwnerBadge t={t} route={route} />
        {conflict ? <span class="badge conflict">{t.ownershipConflict}</span> : null}
      </td>
      <td class="consent" data-label={t.consent}>
        {a.consented ? t.consentYes : t.consentNo}
      </td>
      <td class="phone" data-label={t.phone}>
        {a.phoneMasked ?? '—'}
      </td>
      <td class="consultant" data-label={t.consultant}>
        {a.consultantName ?? '—'}
      </td>
      <td class="status" data-label={t.status}>
        <span class={`badge status-${a.status}`}>{t[`status.${a.status}`]}</span>
      </td>
      <td class="row-action">
        {a.status === 'with-consultant' ? (
          // the visit's own check-out; the dashboards hear of it through the live push
          <form
            method="post"
            action={`/visits/${a.id}/checkout`}
            hx-post={`/visits/${a.id}/checkout`}
            hx-swap="none"
          >
            <button type="submit">{t.checkOut}</button>
          </form>
        ) : (
          <a href={`/visits/${a.id}`}>{t.details}</a>
        )}
      </td>
    </tr>
  )
}

// what changed in the arrivals list since the last push; null: send the whole list
export type ListChange = { added: string[]; changed: string[] } | null

// a push to every dashboard: the small fragments whole, and of the list only the rows that changed
// (a busy day's list is most of the page; sending it to every tablet on every arrival was the cost).
// Several WebSocket frames, because table rows only parse on their own (not after a <section>).
export function renderPush(lang: Language, snapshot: DashboardSnapshot, change: ListChange): string[] {
  const t = pick(dashboardText, lang)
  const byId = new Map(snapshot.arrivals.map((a) => [a.id, a]))
  const known = change && [...change.added, ...change.changed].every((id) => byId.has(id))
  // the first arrival replaces the "nobody yet" sentence, so it takes the whole list
  if (!change || !known || snapshot.arrivals.length === change.added.length) {
    return [renderFragments(lang, snapshot, '')]
  }
  const props = { lang, snapshot, csrfToken: '' }
  const frames = [
    String(
      <>
        <Counters {...props} oob />
        <Queue {...props} oob />
        <Charts lang={lang} snapshot={snapshot} oob />
      </>,
    ),
  ]
  const added = snapshot.arrivals.filter((a) => change.added.includes(a.id))
  if (added.length) {
    frames.push(
      String(
        <tbody hx-swap-oob={`afterbegin:#${dashboardIds.visitRows}`}>
          {added.map((a) => (
            <VisitRow
              t={t}
              arrival={a}
              timeZone={snapshot.timeZone}
              route={snapshot.routes.get(a.id)}
              conflict={snapshot.conflicts.has(a.id)}
            />
          ))}
        </tbody>,
      ),
    )
  }
  for (const id of change.changed) {
    if (change.added.includes(id)) continue
    frames.push(
      String(
        <VisitRow
          t={t}
          arrival={byId.get(id)!}
          timeZone={snapshot.timeZone}
          route={snapshot.routes.get(id)}
          conflict={snapshot.conflicts.has(id)}
          oob
        />,
      ),
    )
  }
  return frames
}

// the fragments as one HTML string (a WebSocket push, an htmx response body)
export function renderFragments(
  lang: Language,
  snapshot: DashboardSnapshot,
  csrfToken: string,
  // undefined: no notice (a push to everyone); null: clear this page's notice; a conflict: say what happened
  conflict?: QueueConflict | null,
): string {
  return String(
    <DashboardFragments lang={lang} snapshot={snapshot} csrfToken={csrfToken} conflict={conflict} />,
  )
}
