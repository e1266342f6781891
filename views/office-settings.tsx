// The office settings page (admin): names, developer, time zone, processor and contact, address.
import type { Language } from '../models/consents.ts'
import type { OfficeSettings } from '../models/office-settings.ts'
import type { SignedIn } from '../server/context.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'

const text = {
  'zh-CN': {
    title: '案场设置',
    firstStart:
      '首次启动：请先填写本案场的真实信息。填写前，任何屏幕都不会显示占位文字；保存后隐私告知随即以这些信息重新发布。',
    intro:
      '这些信息显示在入口签到屏、同意屏和隐私告知上。更改个人信息处理者或联系方式会发布新版告知；所有更改都会写入审计日志并立即推送到各屏幕。',
    name: '案场名称',
    nameEn: '英文名称',
    developerName: '开发商名称',
    developerNameEn: '开发商英文名称',
    timeZone: '时区（IANA，如 Asia/Shanghai）',
    processorName: '个人信息处理者名称',
    privacyContact: '隐私联系方式（电话或邮箱）',
    address: '地址',
    save: '保存',
    saved: '已保存，已推送到各屏幕。',
    errors: '请更正：',
    back: '返回管理',
  },
  en: {
    title: 'Office settings',
    firstStart:
      'First start: fill in this office’s real details first. Until then no screen shows placeholder text; saving republishes the privacy notice with these details.',
    intro:
      'These details appear on the entrance screen, the consent kiosk and the privacy notice. Changing the processor or contact publishes a new notice version; every change is audited and pushed to the screens at once.',
    name: 'Office name',
    nameEn: 'English name',
    developerName: 'Developer name',
    developerNameEn: 'Developer English name',
    timeZone: 'Time zone (IANA, e.g. Asia/Shanghai)',
    processorName: 'Personal-information processor',
    privacyContact: 'Privacy contact (phone or e-mail)',
    address: 'Address',
    save: 'Save',
    saved: 'Saved and pushed to the screens.',
    errors: 'Please correct:',
    back: 'Back to admin',
  },
} satisfies Texts<Record<string, string>>

const fields = [
  ['name', 80, true],
  ['nameEn', 80, false],
  ['developerName', 80, true],
  ['developerNameEn', 80, false],
  ['processorName', 120, true],
  ['privacyContact', 200, true],
  ['address', 200, false],
] as const

export function OfficeSettingsPage({
  lang,
  csrfToken,
  account,
  officeId,
  values,
  firstStart,
  saved = false,
  errors = [],
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  officeId: string
  values: OfficeSettings
  firstStart: boolean
  saved?: boolean
  errors?: string[]
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account} bodyClass="console">
      <h1>{t.title}</h1>
      {firstStart ? (
        <p class="card notice-first-start" id="first-start" role="alert">
          {t.firstStart}
        </p>
      ) : (
        <p>{t.intro}</p>
      )}
      {saved ? (
        <p class="ok" id="settings-saved" role="status">
          {t.saved}
        </p>
      ) : null}
      {errors.length ? (
        <div class="bad" id="settings-errors" role="alert">
          {t.errors}
          <ul>
            {errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`/admin/office?office=${officeId}`} class="card stack" id="office-settings">
        <input type="hidden" name="_csrf" value={csrfToken} />
        {fields.map(([name, max, required]) => (
          <label>
            {t[name]} <input name={name} value={values[name]} maxlength={max} required={required} />
          </label>
        ))}
        <label>
          {t.timeZone} <input name="timeZone" value={values.timeZone} required list="time-zones" />
        </label>
        <datalist id="time-zones">
          {Intl.supportedValuesOf('timeZone').map((zone) => (
            <option value={zone} />
          ))}
        </datalist>
        <button type="submit" class="primary" id="save-settings">
          {t.save}
        </button>
      </form>
      <p>
        <a href={`/admin?office=${officeId}`}>{t.back}</a>
      </p>
    </Layout>
  )
}
