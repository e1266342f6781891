// The personal-information protection impact assessment (PIPL art. 55–56): archive list and one printable copy.
import type { Language } from '../models/consents.ts'
import type { AssessmentBody } from '../models/privacy-reports.ts'
import type { SignedIn } from '../server/context.ts'
import { PrivacyShell, formatTime } from './privacy.tsx'
import { pick, type Texts } from './i18n.ts'

const text = {
  'zh-CN': {
    intro:
      '依据《个人信息保护法》第五十五、五十六条，根据系统当前的实际配置生成。每次生成都会存档，检查人员可查看历史版本。',
    generate: '按当前配置生成评估',
    archive: '历史评估',
    none: '尚未生成评估。',
    print: '打印本页即可得到书面版本。',
    doc: '个人信息保护影响评估报告',
    generatedAt: '生成时间',
    processor: '个人信息处理者',
    contact: '联系方式',
    purposes: '处理目的与数据种类',
    purposeText:
      '渠道归属与首访判定（签名二维码、可选手机号的密钥哈希）；经单独同意后统计展示屏前的停留与注视时长（仅数字，不含图像或生物特征）；汇总统计报表（匿名、小单元格抑制）。',
    notices: '现行告知书',
    stations: '屏幕与摄像头',
    camera: '摄像头',
    yes: '有（同意后本机检测，其他人面部模糊）',
    no: '无',
    paired: '已配对',
    revoked: '已吊销',
    consentRate: '近 30 天同意率',
    visits: '来访',
    consents: '同意',
    withdrawn: '撤回',
    retention: '保存期限（天）',
    security: '安全措施',
    recipients: '向第三方提供',
    noRecipients: '无：不向任何第三方提供或委托处理个人信息。',
    openRequests: '待处理的个人请求',
    kAnonymity: '报表 k-匿名阈值',
    protection: '渠道保护期（天）',
  },
  en: {
    intro:
      'Generated from the system’s live configuration, as PIPL art. 55–56 require. Every generation is archived so an inspector can see the history.',
    generate: 'Generate from the current configuration',
    archive: 'Archive',
    none: 'No assessment generated yet.',
    print: 'Print this page for a paper copy.',
    doc: 'Personal-information protection impact assessment',
    generatedAt: 'Generated',
    processor: 'Personal-information processor',
    contact: 'Contact',
    purposes: 'Purposes and kinds of data',
    purposeText:
      'Channel attribution and first-visit protection (signed QR codes, an optional phone number kept as a keyed hash); with separate consent only, dwell and attention at screens (numbers only, no image or biometric data); aggregate reports (anonymous, small cells suppressed).',
    notices: 'Current notices',
    stations: 'Screens and cameras',
    camera: 'Camera',
    yes: 'yes (on-device detection after opt-in, others blurred)',
    no: 'none',
    paired: 'paired',
    revoked: 'revoked',
    consentRate: 'Consent rate, last 30 days',
    visits: 'visits',
    consents: 'consents',
    withdrawn: 'withdrawn',
    retention: 'Retention (days)',
    security: 'Security measures',
    recipients: 'Recipients',
    noRecipients: 'None: no personal information is provided to or processed by any third party.',
    openRequests: 'Open data-subject requests',
    kAnonymity: 'k-anonymity threshold of reports',
    protection: 'Broker protection period (days)',
  },
} satisfies Texts<Record<string, string>>

export type ArchivedAssessment = { id: string; generatedAt: number; generatedBy: string | null }

export function AssessmentPage({
  lang,
  csrfToken,
  account,
  archive,
  shown,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  archive: ArchivedAssessment[]
  shown: { id: string; body: AssessmentBody } | null
}) {
  const t = pick(text, lang)
  return (
    <PrivacyShell lang={lang} csrfToken={csrfToken} account={account} section="assessment">
      <div class="no-print">
        <p>{t.intro}</p>
        <form method="post" action="/privacy/assessment" class="card">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <button type="submit" class="primary" id="assessment-generate">
            {t.generate}
          </button>{' '}
          <span class="hint">{t.print}</span>
        </form>
        <section class="card">
          <h2>{t.archive}</h2>
          {archive.length === 0 ? (
            <p class="empty">{t.none}</p>
          ) : (
            <ul id="assessment-archive">
              {archive.map((a) => (
                <li>
                  <a
                    href={`/privacy/assessment/${a.id}`}
                    aria-current={shown?.id === a.id ? 'page' : undefined}
                  >
                    {formatTime(a.generatedAt)}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {shown ? <AssessmentDocument lang={lang} body={shown.body} /> : null}
    </PrivacyShell>
  )
}

function AssessmentDocument({ lang, body }: { lang: Language; body: AssessmentBody }) {
  const t = pick(text, lang)
  return (
    <article class="card assessment" id="assessment-document">
      <h2>{t.doc}</h2>
      <p>
        {lang === 'en' ? body.office.nameEn || body.office.name : body.office.name} · {t.generatedAt}{' '}
        {formatTime(body.generatedAt)}
      </p>
      <dl>
        <dt>{t.processor}</dt>
        <dd>{body.office.processorName}</dd>
        <dt>{t.contact}</dt>
        <dd>{body.office.privacyContact}</dd>
        <dt>{t.protection}</dt>
        <dd>{body.office.protectionDays}</dd>
        <dt>{t.kAnonymity}</dt>
        <dd>{body.office.kAnonymity}</dd>
      </dl>
      <h3>{t.purposes}</h3>
      <p>{t.purposeText}</p>
      <h3>{t.notices}</h3>
      <ul>
        {body.notices.map((n) => (
          <li>
            {n.lang} v{n.version} · <code class="hash">{n.sha256}</code>
          </li>
        ))}
      </ul>
      <h3>{t.stations}</h3>
      <ul>
        {body.stations.map((s) => (
          <li>
            {s.name} ({s.kind}, {s.zone || '—'}) · {t.camera}: {s.camera ? t.yes : t.no}
            {s.paired ? ` · ${t.paired}` : ''}
            {s.revoked ? ` · ${t.revoked}` : ''}
          </li>
        ))}
      </ul>
      <h3>{t.consentRate}</h3>
      <p>
        {body.consentRate.rate === null ? '—' : `${body.consentRate.rate}%`} ({body.consentRate.consents}{' '}
        {t.consents} / {body.consentRate.visits} {t.visits}; {body.consentRate.withdrawn} {t.withdrawn})
      </p>
      <h3>{t.retention}</h3>
      <ul>
        {body.retention.map((r) => (
          <li>
            {r.kind}: {r.days} (≥ {r.floor})
          </li>
        ))}
      </ul>
      <h3>{t.security}</h3>
      <ul>
        {body.securityMeasures.map((m) => (
          <li>{m}</li>
        ))}
      </ul>
      <h3>{t.recipients}</h3>
      <p>{body.recipients.length ? body.recipients.join(', ') : t.noRecipients}</p>
      <h3>{t.openRequests}</h3>
      <p>{body.openRequests}</p>
    </article>
  )
}
