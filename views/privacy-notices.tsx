// Notices: edit a draft per language, preview it as a visitor sees it, publish a new immutable version.
import type { Language } from '../models/consents.ts'
import { noticeElements, type NoticeBody } from '../models/notice-defaults.ts'
import { NoticeText } from './consent.tsx'
import type { SignedIn } from '../server/context.ts'
import { PrivacyShell, formatTime } from './privacy.tsx'
import { pick, type Texts } from './i18n.ts'

const text = {
  'zh-CN': {
    current: '现行版本',
    none: '此语言尚未发布告知书。',
    edit: '编辑草稿',
    preview: '预览（访客所见）',
    publish: '发布新版本',
    publishNote: '发布后生成新的不可修改版本；签到页、同意屏和入口屏立即切换。已给出的同意仍指向当时的版本。',
    history: '历史版本',
    version: '版本',
    published: '发布时间',
    short: '摘要（屏幕上显示的一句话）',
    purpose: '处理目的',
    method: '处理方式',
    dataKinds: '个人信息种类',
    retention: '保存期限',
    processorName: '个人信息处理者名称',
    processorContact: '联系方式',
    rights: '个人权利及行使方式',
    language: '告知书语言',
  },
  en: {
    current: 'Current version',
    none: 'No notice has been published in this language yet.',
    edit: 'Edit a draft',
    preview: 'Preview (as a visitor sees it)',
    publish: 'Publish a new version',
    publishNote:
      'Publishing makes a new immutable version; check-in, kiosk and entrance screens switch to it at once. Consents already given keep pointing at the version they were given under.',
    history: 'Versions',
    version: 'Version',
    published: 'Published',
    short: 'Summary (one line shown on screens)',
    purpose: 'Purpose',
    method: 'Method',
    dataKinds: 'Kinds of data',
    retention: 'Retention period',
    processorName: 'Processor name',
    processorContact: 'Processor contact',
    rights: 'Your rights and how to use them',
    language: 'Notice language',
  },
} satisfies Texts<Record<string, string>>

const fields = ['short', ...noticeElements] as const

// the draft rendered by the very component visitors see (check-in, kiosk), with the hash a publish would give it
export function NoticePreview({
  noticeLang,
  notice,
}: {
  noticeLang: Language
  notice: { version: number; sha256: string; body: NoticeBody }
}) {
  return (
    <div id="notice-preview" class="preview">
      <NoticeText lang={noticeLang} notice={{ id: 'preview', ...notice }} />
    </div>
  )
}

export type NoticeVersion = {
  id: string
  version: number
  sha256: string
  publishedAt: number
  publishedBy: string | null
}

export function NoticesPage({
  lang,
  csrfToken,
  account,
  noticeLang,
  current,
  versions,
  draft,
  preview,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  noticeLang: Language
  current: (NoticeVersion & { body: NoticeBody }) | null
  versions: NoticeVersion[]
  draft: Partial<NoticeBody>
  preview: { version: number; sha256: string; body: NoticeBody } | null
}) {
  const t = pick(text, lang)
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="notices">
      <nav class="tabs" aria-label={t.language}>
        <a href="/privacy/notices?notice=zh-CN" aria-current={noticeLang === 'zh-CN' ? 'page' : undefined}>
          中文
        </a>
        <a href="/privacy/notices?notice=en" aria-current={noticeLang === 'en' ? 'page' : undefined}>
          English
        </a>
      </nav>
      <section class="card" id="notice-current">
        <h2>{t.current}</h2>
        {current ? (
          <p>
            v{current.version} · {formatTime(current.publishedAt)} · sha256{' '}
            <code class="hash" id="notice-sha256">
              {current.sha256}
            </code>
          </p>
        ) : (
          <p class="empty">{t.none}</p>
        )}
      </section>
      <div class="split">
        <form method="post" action="/privacy/notices" class="card stack" id="notice-form">
          <h2>{t.edit}</h2>
          <input type="hidden" name="_csrf" value={csrfToken} />
          <input type="hidden" name="noticeLang" value={noticeLang} />
          {fields.map((key) => (
            <label>
              {t[key]}
              <textarea name={key} rows={key === 'short' ? 2 : 4} maxlength={4000}>
                {draft[key] ?? ''}
              </textarea>
            </label>
          ))}
          <p class="hint">{t.publishNote}</p>
          <div class="actions">
            <button
              type="button"
              hx-get="/privacy/notices/preview"
              hx-include="#notice-form"
              hx-params="not _csrf"
              hx-target="#notice-preview"
              hx-swap="outerHTML"
            >
              {t.preview}
            </button>
            <button type="submit" class="primary" id="notice-publish">
              {t.publish}
            </button>
          </div>
        </form>
        <div>
          <h2>{t.preview}</h2>
          {preview ? (
            <NoticePreview noticeLang={noticeLang} notice={preview} />
          ) : (
            <div id="notice-preview"></div>
          )}
        </div>
      </div>
      <section class="card">
        <h2>{t.history}</h2>
        <table>
          <thead>
            <tr>
              <th>{t.version}</th>
              <th>{t.published}</th>
              <th>sha256</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td>v{v.version}</td>
                <td>{formatTime(v.publishedAt)}</td>
                <td>
                  <code class="hash">{v.sha256}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </PrivacyShell>
  )
}
