// Sign-in and sign-out for staff and brokers: rate-limited, backoff per username + address, every attempt audited.
import { Hono } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { findAccountByUsername, changeOwnPassword, passwordChangeInput } from '../../models/staff.ts'
import { PasswordPage } from '../../views/password.tsx'
import { describeIssues } from '../respond.tsx'
import { verifyPassword, decoyHash } from '../../models/passwords.ts'
import { appendAudit, recentFailures } from '../../models/audit.ts'
import { addressTag } from '../client-address.ts'
import { usedTokens } from '../../models/visits.ts'
import { LoginPage } from '../../views/login.tsx'
import { rateLimit } from '../middleware/rate-limit.ts'
import { startSession, sessionCookie, sessionHours } from '../middleware/session.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { closeAccountSockets, closeSessionSockets } from '../live.ts'
import { homePath } from '../permissions.ts'

// after `failures` wrong passwords for one username from one address within the window, that address waits
// before it may try that name again: firstDelayMs, doubling with each further failure, at most maxDelayMs.
// Keyed on the address too, so guessing from elsewhere never locks the right password out.
export const lockout = { failures: 5, windowMs: 15 * 60_000, firstDelayMs: 30_000, maxDelayMs: 15 * 60_000 }

export function backoffMs(failures: number): number {
  if (failures < lockout.failures) return 0
  return Math.min(lockout.maxDelayMs, lockout.firstDelayMs * 2 ** (failures - lockout.failures))
}

const loginInput = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(256),
  next: z.string().max(512).optional(),
})

// only paths on this site: "/x", never "//evil" or "https://…"
export function safeNext(next: string | undefined, fallback: string): string {
  // visible ASCII only: a control character would break the Location header (and lose the new session)
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : fallback
}

export function authRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/login', (c) => {
    if (c.var.account) return c.redirect(homePath(c.var.account), 303)
    return c.html(<LoginPage lang={c.var.lang} csrfToken={c.var.csrfToken} next={c.req.query('next')} />)
  })

  app.post('/login', rateLimit({ name: 'login', max: 20 }), async (c) => {
    const { database, clock } = c.var.deps
    const parsed = loginInput.safeParse(await c.req.parseBody())
    const now = clock.now()
    const render = (error: 'loginFailed' | 'lockedOut', status: 401 | 429 | 400) =>
      c.html(<LoginPage lang={c.var.lang} csrfToken={c.var.csrfToken} error={error} />, status)
    if (!parsed.success) return render('loginFailed', 400)
    const { username, password, next } = parsed.data
    const from = await addressTag(c)
    const account = await findAccountByUsername(database.db, username)
    // an attempt on a known account belongs to that account's office (its privacy officer sees it); one on
    // an unknown name belongs to no office, and is shown to no other company's officer
    const officeId = account?.officeId ?? null
    const failed = await recentFailures(database.db, {
      action: 'login.failure',
      target: username,
      from,
      since: now - lockout.windowMs,
    })
    const waitMs = failed.lastAt + backoffMs(failed.count) - now
    if (failed.count >= lockout.failures && waitMs > 0) {
      await appendAudit(database.db, {
        at: now,
        actorType: 'anonymous',
        officeId,
        action: 'login.locked',
        target: username,
        detail: { from, failures: failed.count },
      })
      c.header('Retry-After', String(Math.ceil(waitMs / 1000)))
      return render('lockedOut', 429)
    }
    const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyHash))
    if (!account || !ok) {
      await appendAudit(database.db, {
        at: now,
        officeId,
        actorType: 'anonymous',
        action: 'login.failure',
        target: username,
        detail: { from },
      })
      return render('loginFailed', 401)
    }
    // startSession also hands out the new session's CSRF token (no fixation)
    await startSession(c, account)
    await appendAudit(database.db, {
      at: now,
      officeId: account.officeId,
      actorType: account.kind,
      actorId: account.id,
      action: 'login.success',
      target: username,
    })
    return c.redirect(safeNext(next, homePath(account)), 303)
  })

  const ownAccount = requirePermission({ permission: 'account:own' })
  app.get('/account/password', ownAccount, (c) => {
    const account = c.var.account!
    return c.html(
      <PasswordPage
        lang={c.var.lang}
        csrfToken={c.var.csrfToken}
        account={account}
        required={!!account.mustChangePassword}
      />,
    )
  })

  app.post('/account/password', ownAccount, rateLimit({ name: 'password', max: 10 }), async (c) => {
    const account = c.var.account!
    const { database, clock } = c.var.deps
    const render = (errors: string[], status: 200 | 400 | 401, done = false) =>
      c.html(
        <PasswordPage
          lang={c.var.lang}
          csrfToken={c.var.csrfToken}
          account={account}
          required={!done && !!account.mustChangePassword}
          errors={errors}
          done={done}
        />,
        status,
      )
    const form = await c.req.parseBody()
    const parsed = passwordChangeInput.safeParse(form)
    if (!parsed.success) return render(describeIssues(parsed.error), 400)
    // an unticked checkbox sends nothing: only an explicit tick signs the other sessions out
    const signOutOthers = form.signOutOthers === 'on'
    const now = clock.now()
    const generation = await database.write(async (tx) => {
      const generation = await changeOwnPassword({
        tx,
        input: {
          kind: account.kind,
          id: account.id,
          current: parsed.data.current,
          next: parsed.data.next,
          signOutOthers,
        },
      })
      await appendAudit(tx, {
        at: now,
        officeId: account.officeId,
        actorType: account.kind,
        actorId: account.id,
        action: generation === null ? 'password.change-refused' : 'password.changed',
        detail: generation === null ? {} : { signedOutOthers: signOutOthers },
      })
      return generation
    })
    if (generation === null) return render(['wrong'], 401)
    if (signOutOthers) {
      // every older session is over, this one too: this browser gets a fresh one of the new generation
      await startSession(c, { ...account, sessionGeneration: generation })
      closeAccountSockets(c.var.deps.live, account.id)
    }
    return render([], 200, true)
  })

  app.post('/logout', async (c) => {
    const account = c.var.account
    const { database, clock } = c.var.deps
    if (account) {
      const now = clock.now()
      // the session token stays valid until it expires unless we remember it was ended
      await database.write(async (tx) => {
        await tx
          .insert(usedTokens)
          .values({ jti: account.jti, typ: 'staff', usedAt: now, expiresAt: now + sessionHours * 3600_000 })
          .onConflictDoNothing()
        await appendAudit(tx, {
          at: now,
          officeId: account.officeId,
          actorType: account.kind,
          actorId: account.id,
          action: 'logout',
        })
      })
      closeSessionSockets(c.var.deps.live, account.jti)
    }
    deleteCookie(c, sessionCookie, { path: '/' })
    return c.redirect('/login', 303)
  })
  return app
}
