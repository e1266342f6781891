// Notice, separate consent choice (two equal buttons, nothing pre-selected), and the receipt with one-step withdraw.
import { raw } from 'hono/html'
import type { Language } from '../models/consents.ts'
import { noticeElements, type NoticeBody } from '../models/notice-defaults.ts'
import { Layout, qrFitScript } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { formatTime } from './attribution-text.ts'

const text = {
  'zh-CN': {
    noticeTitle: '个人信息处理告知',
    version: '版本',
    hash: '告知文本 SHA-256',
    purpose: '处理目的',
    method: '处理方式',
    dataKinds: '个人信息种类',
    retention: '保存期限',
    processorName: '个人信息处理者',
    processorContact: '联系方式',
    rights: '您的权利及行使方式',
    consentTitle: '摄像头分析：单独同意',
    consentLead: '请阅读以上告知后自主选择。两个选项对您的服务没有任何影响。',
    agree: '同意摄像头分析',
    decline: '不使用摄像头',
    declined: '已记录：不使用摄像头。您的签到和接待不受影响，展示屏不会分析您。',
    needPass: '请先在入口扫码签到，再回到此页选择。',
    receiptTitle: '同意回执',
    receiptId: '回执编号',
    granted: '同意时间',
    scope: '范围',
    scopeCamera: '摄像头停留/注视时长统计',
    categories: '数据类别',
    status: '状态',
    active: '有效',
    withdrawn: '已撤回',
    withdrawnAt: '撤回时间',
    withdraw: '撤回同意',
    withdrawHelp: '撤回后立即停止分析，并删除摄像头产生的全部数据。',
    keep: '请保存此页面链接或二维码，以便随时撤回。',
    withdrawDone: '已撤回同意，摄像头数据已删除。',
    download: '下载签名回执（JWT，可用本站公钥验证）',
  },
  en: {
    noticeTitle: 'Privacy notice',
    version: 'Version',
    hash: 'SHA-256 of this notice',
    purpose: 'Purpose',
    method: 'Method',
    dataKinds: 'Kinds of data',
    retention: 'Retention',
    processorName: 'Personal-information processor',
    processorContact: 'Contact',
    rights: 'Your rights and how to use them',
    consentTitle: 'Camera analytics: separate consent',
    consentLead: 'Read the notice above, then choose freely. Neither choice changes the service you get.',
    agree: 'Agree to camera analytics',
    decline: 'No camera',
    declined: 'Noted: no camera. Check-in and service are unchanged, and no screen will analyse you.',
    needPass: 'Please check in at the entrance QR first, then come back to this page.',
    receiptTitle: 'Consent receipt',
    receiptId: 'Receipt id',
    granted: 'Given at',
    scope: 'Scope',
    scopeCamera: 'Dwell and attention time at screens',
    categories: 'Data categories',
    status: 'Status',
    active: 'active',
    withdrawn: 'withdrawn',
    withdrawnAt: 'Withdrawn at',
    withdraw: 'Withdraw consent',
    withdrawHelp: 'Withdrawing stops analysis at once and deletes all camera-derived data.',
    keep: 'Keep this page’s link or QR code to withdraw at any time.',
    withdrawDone: 'Consent withdrawn; camera data deleted.',
    download: 'Download the signed receipt (JWT, verifiable with our public keys)',
  },
} satisfies Texts<Record<string, string>>

type Base = { lang: Language; csrfToken: string }
type Notice = { id: string; version: number; sha256: string; body: NoticeBody }

export function NoticeText({ lang, notice }: { lang: Language; notice: Notice }) {
  const t = pick(text, lang)
  return (
    <section class="card" id="notice" data-sha256={notice.sha256} data-version={notice.version}>
      <h1>{t.noticeTitle}</h1>
      <p class="notice">{notice.body.short}</p>
      <dl class="notice-elements">
        {noticeElements.map((key) => (
          <>
            <dt>{t[key]}</dt>
            <dd>{notice.body[key]}</dd>
          </>
        ))}
      </dl>
      <p class="muted small">
        {t.version} {notice.version} · {t.hash}: <code class="hash">{notice.sha256}</code>
      </p>
    </section>
  )
}

export function NoticePage({ lang, csrfToken, notice }: Base & { notice: Notice }) {
  return (
    <Layout lang={lang} title={pick(text, lang).noticeTitle} csrfToken={csrfToken}>
      <NoticeText lang={lang} notice={notice} />
    </Layout>
  )
}

export function ConsentPage({
  lang,
  csrfToken,
  notice,
  declined,
}: Base & { notice: Notice; declined?: boolean }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.consentTitle} csrfToken={csrfToken}>
      <NoticeText lang={lang} notice={notice} />
      <section class="card" id="consent-choice">
        <h2>{t.consentTitle}</h2>
        {declined ? (
          <p class="notice" id="consent-declined">
            {t.declined}
          </p>
        ) : (
          <>
            <p>{t.consentLead}</p>
            <form method="post" action="/consent" class="choices">
              <input type="hidden" name="_csrf" value={csrfToken} />
              <input type="hidden" name="notice" value={notice.id} />
              <button type="submit" name="choice" value="agree" class="choice" id="consent-agree">
                {t.agree}
              </button>
              <button type="submit" name="choice" value="decline" class="choice" id="consent-decline">
                {t.decline}
              </button>
            </form>
          </>
        )}
      </section>
    </Layout>
  )
}

export function NeedPassPage({ lang, csrfToken }: Base) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.consentTitle} csrfToken={csrfToken}>
      <section class="card narrow">
        <p>{t.needPass}</p>
      </section>
    </Layout>
  )
}

export function ReceiptPage({
  lang,
  csrfToken,
  token,
  receipt,
  qr,
  justWithdrawn,
}: Base & {
  token: string
  receipt: {
    id: string
    grantedAt: number
    withdrawnAt: number | null
    noticeSha256: string
    processorName: string
    processorContact: string
    purpose: string
    dataKinds: string
    timeZone: string
  }
  qr: string
  justWithdrawn?: boolean
}) {
  const t = pick(text, lang)
  const active = receipt.withdrawnAt === null
  return (
    <Layout lang={lang} title={t.receiptTitle} csrfToken={csrfToken} scripts={[qrFitScript]}>
      <section class="card narrow" id="receipt" data-status={active ? 'active' : 'withdrawn'}>
        <h1>{t.receiptTitle}</h1>
        {justWithdrawn ? (
          <p class="notice" role="status" id="withdraw-done">
            {t.withdrawDone}
          </p>
        ) : null}
        <dl class="facts">
          <dt>{t.receiptId}</dt>
          <dd>
            <code>{receipt.id}</code>
          </dd>
          <dt>{t.granted}</dt>
          <dd>{formatTime(lang, receipt.grantedAt, receipt.timeZone)}</dd>
          <dt>{t.processorName}</dt>
          <dd>
            {receipt.processorName} · {receipt.processorContact}
          </dd>
          <dt>{t.purpose}</dt>
          <dd>{receipt.purpose}</dd>
          <dt>{t.categories}</dt>
          <dd>{receipt.dataKinds}</dd>
          <dt>{t.scope}</dt>
          <dd>{t.scopeCamera}</dd>
          <dt>{t.hash}</dt>
          <dd>
            <code class="hash">{receipt.noticeSha256}</code>
          </dd>
          <dt>{t.status}</dt>
          <dd id="receipt-status">
            {active
              ? t.active
              : `${t.withdrawn} · ${t.withdrawnAt} ${formatTime(lang, receipt.withdrawnAt!, receipt.timeZone)}`}
          </dd>
        </dl>
        {active ? (
          <form method="post" action={`/receipt/${token}/withdraw`}>
            <input type="hidden" name="_csrf" value={csrfToken} />
            <p class="muted">{t.withdrawHelp}</p>
            <button type="submit" class="danger" id="withdraw">
              {t.withdraw}
            </button>
          </form>
        ) : null}
        <p class="muted">{t.keep}</p>
        <div class="qr">{raw(qr)}</div>
        <p>
          <a href={`/receipt/${token}/receipt.jwt`} download id="receipt-download">
            {t.download}
          </a>
        </p>
      </section>
    </Layout>
  )
}
