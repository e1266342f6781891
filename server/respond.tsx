// Uniform refusals: an HTML page for browser routes, JSON for /api/v1, with the same error codes.
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import type { AppEnv } from './context.ts'
import { ErrorPage } from '../views/errors.tsx'
import { common, type CommonText } from '../views/i18n.ts'

export type ErrorCode =
  | 'csrf'
  | 'forbidden'
  | 'signed-out'
  | 'rate-limited'
  | 'invalid-input'
  | 'too-large'
  | 'not-found'
  | 'server'
  | 'token'

export function badRequest(
  c: Context<AppEnv>,
  code: ErrorCode,
  status: ContentfulStatusCode = 400,
  details: string[] = [],
) {
  const lang = c.var.lang ?? 'zh-CN'
  const message = common[lang][`error.${code}` as keyof CommonText]
  if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/.well-known/')) {
    return c.json({ error: code, message: common.en[`error.${code}` as keyof CommonText], details }, status)
  }
  if (c.req.header('hx-request')) {
    c.header('HX-Reswap', 'none')
  }
  return c.html(
    <ErrorPage
      lang={lang}
      csrfToken={c.var.csrfToken ?? ''}
      message={message}
      details={details}
      status={status}
    />,
    status,
  )
}

// zod issues as short readable lines ("phone: not a valid number")
export function describeIssues(error: ZodError): string[] {
  return error.issues.map((issue) =>
    issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  )
}

export function invalidInput(c: Context<AppEnv>, error: ZodError) {
  return badRequest(c, 'invalid-input', 400, describeIssues(error))
}
