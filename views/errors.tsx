// Error pages: a clear sentence in the visitor's language and a way back; never a stack trace.
import type { Language } from '../models/consents.ts'
import { Layout } from './layout.tsx'
import { common } from './i18n.ts'

export function ErrorPage({
  lang,
  csrfToken,
  message,
  details = [],
  status,
}: {
  lang: Language
  csrfToken: string
  message: string
  details?: string[]
  status: number
}) {
  const t = common[lang]
  return (
    <Layout lang={lang} title={t.errorTitle} csrfToken={csrfToken}>
      <section class="card narrow error" role="alert" data-status={status}>
        <h1>{t.errorTitle}</h1>
        <p>{message}</p>
        {details.length ? (
          <ul>
            {details.map((d) => (
              <li>{d}</li>
            ))}
          </ul>
        ) : null}
        <p>
          <a href="/">{t.home}</a>
        </p>
      </section>
    </Layout>
  )
}

// the lines of a refused form, shown above the form
export function ErrorList({ errors }: { errors?: string[] }) {
  if (!errors?.length) return null
  return (
    <ul class="alert" role="alert">
      {errors.map((e) => (
        <li>{e}</li>
      ))}
    </ul>
  )
}
