// Sales dashboard routes (role sales or above).
import { Hono } from 'hono'
import type { AppEnv } from '../context.ts'
import { requireRole } from '../middleware/require-role.ts'
import { DashboardPage } from '../../views/dashboard.tsx'

export function dashboardRoutes() {
  const app = new Hono<AppEnv>()
  app.use('/dashboard', requireRole({ role: 'sales' }))
  app.get('/dashboard', (c) => {
    return c.html(<DashboardPage lang={c.var.lang} csrfToken={c.var.csrfToken} account={c.var.account!} />)
  })
  return app
}
