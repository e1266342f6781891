// Visitor pages of arrival: the entrance screen with its rotating QR, check-in on the phone, the visit pass, referral landing.
import { raw } from 'hono/html'
import type { Language } from '../models/consents.ts'
import type { NoticeBody } from '../models/notice-defaults.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { reasonText, formatTime } from './attribution-text.ts'

const text = {
  'zh-CN': {
    entranceTitle: '扫码签到',
    entranceLead: '请用手机扫描二维码签到',
    notPaired: '此屏幕尚未配对。请管理员在“管理 → 屏幕”中生成配对链接并在本屏幕打开。',
    connecting: '正在连接…',
    offline: '连接中断，正在重连…',
    contact: '个人信息处理者及联系方式',
    fullNotice: '完整隐私告知',
    checkinTitle: '签到',
    welcome: '欢迎光临',
    phoneLabel: '手机号（选填）',
    phoneHelp:
      '仅用于识别您的再次到访、保护为您报备的经纪人的权益；我们只保存加密后的号码、不可逆的密钥散列和打码号码（如 138****1234）。不填写不影响任何服务。',
    checkin: '签到',
    invitedBy: '您由以下经纪人报备邀请：',
    passTitle: '您的来访凭证',
    passLead: '签到成功。请向接待台出示此页面。',
    channelSettled: '签到已记录。来访渠道由售楼处按报备规则判定。',
    channel: '来访渠道',
    camera: '摄像头分析（可选）',
    cameraLead: '展示屏可在您同意后统计停留时长。拒绝不影响任何服务。',
    cameraLink: '了解并选择',
    myData: '我的数据',
    badPhone: '手机号格式不正确，请检查或留空。',
    referralTitle: '经纪人报备',
    referralLead: '到达售楼处后，请扫描入口屏幕上的二维码签到，本次报备将自动关联。',
    registeredOn: '报备时间',
    protectedUntil: '保护期至',
    referralUsed: '此报备已被使用。',
    staffScan: '您已以员工身份登录：员工扫码不计入访客统计，也不会创建来访记录。',
  },
  en: {
    entranceTitle: 'Check in',
    entranceLead: 'Scan the QR code with your phone to check in',
    notPaired:
      'This screen is not paired yet. An admin can create a pairing link under Admin → Stations and open it on this screen.',
    connecting: 'Connecting…',
    offline: 'Connection lost, reconnecting…',
    contact: 'Personal-information processor and contact',
    fullNotice: 'Full privacy notice',
    checkinTitle: 'Check in',
    welcome: 'Welcome',
    phoneLabel: 'Phone number (optional)',
    phoneHelp:
      'Only to recognise your return and protect the registration of a broker who referred you. We keep it only as a keyed hash, a masked number (like 138****1234) and an encrypted copy. Leaving it empty costs you nothing.',
    checkin: 'Check in',
    invitedBy: 'You were registered by this broker:',
    passTitle: 'Your visit pass',
    passLead: 'You are checked in. Show this page at the reception desk.',
    channelSettled: 'Checked in. The sales office settles the channel under its registration rules.',
    channel: 'Channel',
    camera: 'Camera analytics (optional)',
    cameraLead: 'With your consent, screens can measure how long you stay. Saying no costs you nothing.',
    cameraLink: 'Read and choose',
    myData: 'My data',
    badPhone: 'That phone number does not look right. Check it or leave it empty.',
    referralTitle: 'Broker registration',
    referralLead:
      'When you arrive at the sales office, scan the QR code on the entrance screen; this registration is linked automatically.',
    registeredOn: 'Registered',
    protectedUntil: 'Protected until',
    referralUsed: 'This registration has already been used.',
    staffScan:
      'You are signed in as staff: staff scans are not counted as visits and create no visit record.',
  },
} satisfies Texts<Record<string, string>>

type Base = { lang: Language; csrfToken: string }
type OfficeView = {
  id: string
  name: string
  nameEn: string
  timeZone: string
  processorName: string
  privacyContact: string
}
const officeName = (lang: Language, office: OfficeView) =>
  lang === 'en' && office.nameEn ? office.nameEn : office.name

export function EntrancePage({
  lang,
  csrfToken,
  stationId,
  office,
  notice,
}: Base & { stationId: string; office: OfficeView; notice: NoticeBody | null }) {
  const t = pick(text, lang)
  return (
    <Layout
      lang={lang}
      title={t.entranceTitle}
      csrfToken={csrfToken}
      bare
      bodyClass="station entrance"
      scripts={['/assets/entrance.js']}
    >
      <section class="entrance-grid" id="entrance" data-station={stationId}>
        <div class="entrance-qr-box">
          <h1>{t.entranceLead}</h1>
          <div id="entrance-qr" class="qr" aria-live="polite"></div>
          <p id="entrance-status" class="muted" data-not-paired={t.notPaired} data-offline={t.offline}>
            {t.connecting}
          </p>
        </div>
        <aside class="entrance-notice">
          <h2>{officeName(lang, office)}</h2>
          <p class="notice" id="entrance-short-notice">
            {notice?.short}
          </p>
          <p>
            <strong>{t.contact}:</strong> {office.processorName} · {office.privacyContact}
          </p>
          <p>
            <a href={`/notice?office=${office.id}&lang=${lang}`}>{t.fullNotice}</a>
          </p>
        </aside>
      </section>
    </Layout>
  )
}

export function CheckinPage({
  lang,
  csrfToken,
  token,
  office,
  broker,
  error,
  phone = '',
}: Base & {
  token: string
  office: OfficeView
  broker: { name: string; company: string } | null
  error?: 'badPhone'
  phone?: string
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.checkinTitle} csrfToken={csrfToken}>
      <section class="card narrow">
        <h1>
          {t.welcome} · {officeName(lang, office)}
        </h1>
        {broker ? (
          <p class="notice" id="checkin-broker">
            {t.invitedBy} {broker.name} {broker.company ? `(${broker.company})` : ''}
          </p>
        ) : null}
        {error ? (
          <p class="alert" role="alert" id="checkin-error">
            {t[error]}
          </p>
        ) : null}
        <form method="post" action="/checkin" class="stack" id="checkin-form">
          <input type="hidden" name="_csrf" value={csrfToken} />
          <input type="hidden" name="t" value={token} />
          <label>
            {t.phoneLabel}
            <input
              name="phone"
              type="tel"
              inputmode="tel"
              autocomplete="tel"
              maxlength={20}
              value={phone}
              aria-describedby="phone-help"
            />
          </label>
          <p id="phone-help" class="muted small">
            {t.phoneHelp}
          </p>
          <button type="submit" class="primary">
            {t.checkin}
          </button>
        </form>
      </section>
    </Layout>
  )
}

// the pass says nothing that depends on earlier visits of a number (first visit or return, a broker who
// registered it): only the broker of the link this browser opened itself, when that referral won the visit
export function PassPage({
  lang,
  csrfToken,
  office,
  visit,
  qr,
}: Base & {
  office: OfficeView
  visit: {
    id: string
    attributionReason: string
    checkedInAt: number
    brokerName: string | null
    // the visit went to the referral this browser opened (the pass names it)
    ownReferral: boolean
    // the office of the same developer where the broker registered this visitor, when not this one
    referralOffice?: { name: string; nameEn: string } | null
  }
  qr: string
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.passTitle} csrfToken={csrfToken}>
      <section class="card narrow" id="visit-pass" data-visit={visit.id}>
        <h1>{t.passTitle}</h1>
        <p>{t.passLead}</p>
        <div class="qr">{raw(qr)}</div>
        <dl class="facts">
          <dt>{officeName(lang, office)}</dt>
          <dd>{formatTime(lang, visit.checkedInAt, office.timeZone)}</dd>
          <dt>{t.channel}</dt>
          <dd id="pass-channel">
            {visit.ownReferral
              ? `${visit.brokerName ? `${visit.brokerName} · ` : ''}${reasonText(lang, visit.attributionReason, { office: visit.referralOffice })}`
              : t.channelSettled}
          </dd>
        </dl>
      </section>
      <section class="card narrow">
        <h2>{t.camera}</h2>
        <p>{t.cameraLead}</p>
        <p>
          <a class="button" href="/consent" id="consent-link">
            {t.cameraLink}
          </a>{' '}
          <a class="button" href="/me">
            {t.myData}
          </a>
        </p>
      </section>
    </Layout>
  )
}

export function ReferralLanding({
  lang,
  csrfToken,
  office,
  broker,
  referral,
}: Base & {
  office: OfficeView
  broker: { name: string; company: string }
  referral: { createdAt: number; expiresAt: number; used: boolean }
}) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.referralTitle} csrfToken={csrfToken}>
      <section class="card narrow" id="referral-landing">
        <h1>{officeName(lang, office)}</h1>
        <p>
          {t.invitedBy} <strong>{broker.name}</strong> {broker.company ? `(${broker.company})` : ''}
        </p>
        <dl class="facts">
          <dt>{t.registeredOn}</dt>
          <dd>{formatTime(lang, referral.createdAt, office.timeZone)}</dd>
          <dt>{t.protectedUntil}</dt>
          <dd>{formatTime(lang, referral.expiresAt, office.timeZone)}</dd>
        </dl>
        <p class={referral.used ? 'alert' : 'notice'}>{referral.used ? t.referralUsed : t.referralLead}</p>
      </section>
    </Layout>
  )
}

export function StaffScanPage({ lang, csrfToken }: Base) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.checkinTitle} csrfToken={csrfToken}>
      <section class="card narrow">
        <p class="notice" id="staff-scan">
          {t.staffScan}
        </p>
      </section>
    </Layout>
  )
}
