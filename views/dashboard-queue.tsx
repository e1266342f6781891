// The reception queue card of the dashboard (轮岗接待) and the notice of this page's own last queue action.
import type { Language } from '../models/consents.ts'
import type { DashboardSnapshot } from '../models/dashboard.ts'
import type { QueueConflict } from '../models/reception.ts'
import type { QueueRoute } from '../models/ownership.ts'
import { pick } from './i18n.ts'
import { dashboardText, dashboardIds, clockTime, type DashboardText } from './dashboard-text.ts'
import { channelName, oobAttr, type FragmentProps } from './dashboard.tsx'

export function Queue({ lang, snapshot, csrfToken, oob }: FragmentProps) {
  const t = pick(dashboardText, lang)
  const { head, waiting, roster } = snapshot.queue
  const headVisit = head ? snapshot.arrivals.find((a) => a.id === head.id) : undefined
  const offDuty = snapshot.staff.filter((s) => !s.onDuty && s.role === 'sales')
  return (
    <section id={dashboardIds.queue} class="card queue" aria-labelledby="queue-heading" {...oobAttr(oob)}>
      <h2 id="queue-heading">{t.queue}</h2>
      <p class="queue-waiting">
        {t.waiting}: <strong data-waiting={waiting}>{waiting}</strong>
        {headVisit
          ? ` · ${clockTime(headVisit.checkedInAt, snapshot.timeZone)} ${channelName(headVisit, t)}`
          : ''}
      </p>
      {head ? (
        <form method="post" action="/dashboard/queue/next" hx-post="/dashboard/queue/next" hx-swap="none">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <input type="hidden" name="visitId" value={head.id} />
          <input type="hidden" name="revision" value={String(head.revision)} />
          <button type="submit" class="primary next" title={t.nextHint} disabled={roster.length === 0}>
            {t.next}
          </button>
        </form>
      ) : (
        <p class="empty">{t.nobodyWaiting}</p>
      )}
      <ForOwners lang={lang} snapshot={snapshot} csrfToken={csrfToken} />
      <h3>{t.onDuty}</h3>
      {roster.length === 0 ? <p class="empty">{t.nobodyOnDuty}</p> : null}
      <ol class="roster">
        {roster.map((r) => (
          <li data-staff={r.id}>
            <span class="name">{r.displayName}</span>
            <span class="muted">
              {t.today}: <span data-served>{r.today}</span>
            </span>
            <DutyButtons csrfToken={csrfToken} staffId={r.id} actions={['up', 'down', 'off']} t={t} />
          </li>
        ))}
      </ol>
      {offDuty.length ? (
        <details class="off-duty" id="off-duty">
          <summary>{t.offDuty}</summary>
          <ul class="roster">
            {offDuty.map((s) => (
              <li data-staff={s.id}>
                <span class="name">{s.displayName}</span>
                <DutyButtons csrfToken={csrfToken} staffId={s.id} actions={['on']} t={t} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  )
}

// returning clients kept out of the rotation: each goes to the consultant who owns them (客户归属)
function ForOwners({ lang, snapshot, csrfToken }: FragmentProps) {
  const t = pick(dashboardText, lang)
  const { forOwners } = snapshot.queue
  if (forOwners.length === 0) return null
  return (
    <>
      <h3>{t.forOwners}</h3>
      <ul class="for-owners" id="for-owners">
        {forOwners.map((v) => (
          <li data-visit={v.id} data-route={v.route.kind}>
            <span>{clockTime(v.checkedInAt, snapshot.timeZone)} </span>
            <OwnerBadge t={t} route={v.route} />
            {v.route.kind === 'owner' ? (
              <form
                method="post"
                action="/dashboard/queue/owner"
                hx-post="/dashboard/queue/owner"
                hx-swap="none"
                class="inline"
              >
                <input type="hidden" name="_csrf" value={csrfToken} />
                <input type="hidden" name="visitId" value={v.id} />
                <input type="hidden" name="revision" value={String(v.revision)} />
                <button type="submit" class="to-owner">
                  {t.toOwner}
                </button>
              </form>
            ) : (
              <span class="muted"> {t.waitsForOwner}</span>
            )}
          </li>
        ))}
      </ul>
    </>
  )
}

// "老客户 · 归属 张顾问 / returning · owned by Zhang": staff see whose client it is, never who the client is
export function OwnerBadge({ t, route }: { t: DashboardText; route: QueueRoute | undefined }) {
  if (!route || route.kind === 'rotation') return null
  return (
    <span class="badge owned" data-owner={route.ownerId}>
      {t.returningOwned} {route.ownerName}
      {route.kind === 'on-behalf' ? ` · ${t.onBehalf}` : ''}
    </span>
  )
}

function DutyButtons({
  csrfToken,
  staffId,
  actions,
  t,
}: {
  csrfToken: string
  staffId: string
  actions: ('on' | 'off' | 'up' | 'down')[]
  t: DashboardText
}) {
  const label = { on: t.goOn, off: t.goOff, up: t.up, down: t.down }
  return (
    <form method="post" action="/dashboard/duty" hx-post="/dashboard/duty" hx-swap="none" class="inline duty">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="staffId" value={staffId} />
      {actions.map((a) => (
        <button type="submit" name="action" value={a}>
          {label[a]}
        </button>
      ))}
    </form>
  )
}

// what this page's own last queue action ran into; pushes to other pages never touch it
export function QueueNotice({
  lang,
  conflict,
  oob,
}: {
  lang: Language
  conflict: QueueConflict | null
  oob?: boolean
}) {
  const t = pick(dashboardText, lang)
  return (
    <div id={dashboardIds.queueNotice} class="queue-notice" role="alert" {...oobAttr(oob)}>
      {conflict ? (
        <p class="alert conflict" data-conflict={conflict}>
          {t[`conflict.${conflict}`]}
        </p>
      ) : null}
    </div>
  )
}
