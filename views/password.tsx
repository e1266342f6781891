// Changing one's own password (staff and brokers), optionally signing out the other sessions; required after an issued one.
import type { Language } from '../models/consents.ts'
import type { SignedIn } from '../server/context.ts'
import { Layout } from './layout.tsx'
import { ErrorList } from './errors.tsx'
import { pick, type Texts } from './i18n.ts'

const text = {
  'zh-CN': {
    title: '修改密码',
    required: '您的密码由他人设置（管理员重置或首次启动），请先设置自己的密码。',
    current: '当前密码',
    next: '新密码（至少 10 位）',
    repeat: '再次输入新密码',
    save: '保存新密码',
    wrong: '当前密码不正确。',
    done: '密码已更新。',
    signOutOthers: '同时退出其他设备上的登录（本设备保持登录）',
  },
  en: {
    title: 'Change password',
    required:
      'Your password was set by someone else (an admin reset or the first start). Choose your own first.',
    current: 'Current password',
    next: 'New password (at least 10 characters)',
    repeat: 'New password again',
    save: 'Save the new password',
    wrong: 'The current password is wrong.',
    done: 'Password updated.',
    signOutOthers: 'Sign out my other sessions too (this browser stays signed in)',
  },
} satisfies Texts<Record<string, string>>

export function PasswordPage({
  lang,
  csrfToken,
  account,
  required,
  errors = [],
  done,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  required: boolean
  errors?: string[]
  done?: boolean
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account}>
      <section class="card narrow" id="password-page">
        <h1>{t.title}</h1>
        {required ? <p class="notice">{t.required}</p> : null}
        {done ? (
          <p class="notice" role="status" id="password-done">
            {t.done}
          </p>
        ) : null}
        <ErrorList errors={errors.map((e) => (e === 'wrong' ? t.wrong : e))} />
        <form method="post" action="/account/password" class="stack">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <label>
            {t.current}
            <input name="current" type="password" autocomplete="current-password" required />
          </label>
          <label>
            {t.next}
            <input name="next" type="password" autocomplete="new-password" minlength={10} required />
          </label>
          <label>
            {t.repeat}
            <input name="repeat" type="password" autocomplete="new-password" minlength={10} required />
          </label>
          <label class="check">
            <input name="signOutOthers" type="checkbox" checked /> {t.signOutOthers}
          </label>
          <button type="submit" class="primary">
            {t.save}
          </button>
        </form>
      </section>
    </Layout>
  )
}
