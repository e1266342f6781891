// The sign-in page for staff and brokers, phone-sized.
import type { Language } from '../models/consents.ts'
import { Layout } from './layout.tsx'
import { common } from './i18n.ts'

export function LoginPage({
  lang,
  csrfToken,
  next,
  error,
}: {
  lang: Language
  csrfToken: string
  next?: string
  error?: 'loginFailed' | 'lockedOut'
}) {
  const t = common[lang]
  return (
    <Layout lang={lang} title={t.login} csrfToken={csrfToken}>
      <section class="card narrow">
        <h1>{t.login}</h1>
        <p class="muted">{t.tagline}</p>
        {error ? (
          <p class="alert" role="alert" id="login-error">
            {t[error]}
          </p>
        ) : null}
        <form method="post" action="/login" class="stack">
          <input type="hidden" name="_csrf" value={csrfToken} />
          {next ? <input type="hidden" name="next" value={next} /> : null}
          <label>
            {t.username}
            <input name="username" autocomplete="username" required maxlength={64} autocapitalize="none" />
          </label>
          <label>
            {t.password}
            <input name="password" type="password" autocomplete="current-password" required maxlength={256} />
          </label>
          <button type="submit" class="primary">
            {t.login}
          </button>
        </form>
      </section>
    </Layout>
  )
}
