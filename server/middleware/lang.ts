// Interface language: ?lang= (remembered in a cookie), then the cookie, then Accept-Language; zh-CN by default.
import type { MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../context.ts'
import { languages, type Language } from '../../models/consents.ts'

export const langCookie = 'sr_lang'

export function pickLanguage(): MiddlewareHandler<AppEnv> {
  return async function pickLanguage(c, next) {
    const asked = c.req.query('lang')
    let lang: Language | undefined
    if (asked && (languages as readonly string[]).includes(asked)) {
      lang = asked as Language
      setCookie(c, langCookie, lang, { sameSite: 'Lax', path: '/', maxAge: 365 * 86400 })
    }
    lang ??= languages.find((l) => l === getCookie(c, langCookie))
    if (!lang) {
      const header = (c.req.header('accept-language') ?? '').toLowerCase()
      const zh = header.indexOf('zh')
      const en = header.indexOf('en')
      lang = en >= 0 && (zh < 0 || en < zh) ? 'en' : 'zh-CN'
    }
    c.set('lang', lang)
    await next()
  }
}
