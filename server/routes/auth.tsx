// Sign-in and sign-out for staff and brokers: rate-limited, locked after repeated failures, every attempt audited.
import { Hono } from 'hono'
import { deleteCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AppEnv } from '../context.ts'
import { findAccountByUsername, changeOwnPassword, passwordChangeInput } from '../../models/staff.ts'
import { PasswordPage } from '../../views/password.tsx'
import { describeIssues } from '../respond.tsx'
import { verifyPassword, decoyHash } from '../../models/passwords.ts'
import { appendAudit, countAuditSince } from '../../models/audit.ts'
import { usedTokens } from '../../models/visits.ts'
import { LoginPage } from '../../views/login.tsx'
import { rateLimit } from '../middleware/rate-limit.ts'
import { startSession, sessionCookie, sessionHours } from '../middleware/session.ts'
import { rotateCsrf } from '../middleware/csrf.ts'
import { requirePermission } from '../middleware/require-permission.ts'
import { homePath } from '../permissions.ts'

export const lockout = { failures: 5, windowMs: 15 * 60_000 }

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
    const failures = await countAuditSince(database.db, {
      action: 'login.failure',
      target: username,
      since: now - lockout.windowMs,
    })
    if (failures >= lockout.failures) {
      await appendAudit(database.db, {
        at: now,
        actorType: 'anonymous',
        action: 'login.locked',
        target: username,
      })
      return render('lockedOut', 429)
    }
    const account = await findAccountByUsername(database.db, username)
    const ok = await verifyPassword(password, account?.passwordHash ?? (await decoyHash))
    if (!account || !ok) {
      await appendAudit(database.db, {
        at: now,
        actorType: 'anonymous',
        action: 'login.failure',
        target: username,
      })
      return render('loginFailed', 401)
    }
    await startSession(c, account)
    rotateCsrf(c, c.var.deps.config.secureCookies)
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
    const account = c.var.account
    if (account?.kind !== 'staff') return c.redirect('/login', 303)
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
    const account = c.var.account
    if (account?.kind !== 'staff') return c.redirect('/login', 303)
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
    const parsed = passwordChangeInput.safeParse(await c.req.parseBody())
    if (!parsed.success) return render(describeIssues(parsed.error), 400)
    const now = clock.now()
    const changed = await database.write(async (tx) => {
      const changed = await changeOwnPassword({
        tx,
        input: { staffId: account.id, current: parsed.data.current, next: parsed.data.next },
      })
      await appendAudit(tx, {
        at: now,
        officeId: account.officeId,
        actorType: 'staff',
        actorId: account.id,
        action: changed ? 'password.changed' : 'password.change-refused',
      })
      return changed
    })
    if (!changed) return render(['wrong'], 401)
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
    }
    deleteCookie(c, sessionCookie, { path: '/' })
    return c.redirect('/login', 303)
  })
  return app
}
