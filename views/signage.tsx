// Station screens: the consent kiosk (blurred mirror, notice, two equal choices), a zone display, and /s/:id.
import type { Language } from '../models/consents.ts'
import type { NoticeBody } from '../models/notice-defaults.ts'
import { Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'

const text = {
  'zh-CN': {
    kioskTitle: '摄像头分析：由您决定',
    agree: '同意摄像头分析',
    decline: '不使用摄像头',
    choiceHint: '两个选项同样有效。不同意不影响签到、报备或接待服务。',
    fullNotice: '完整告知',
    purpose: '目的',
    method: '方式',
    dataKinds: '数据种类',
    retention: '保存期限',
    processorName: '个人信息处理者',
    processorContact: '联系方式',
    rights: '您的权利',
    mirror: '摄像头画面（已在本机模糊）',
    unavailable: '摄像头分析不可用：画面保持全部模糊。',
    unpaired: '此屏幕尚未配对。',
    offline: '与服务器的连接中断，正在重连…',
    cameraDenied: '没有摄像头画面。',
    declined: '好的，不使用摄像头。您仍可扫码签到或请工作人员协助。',
    agreeing: '正在记录您的同意…',
    refused: '无法记录同意，请稍后再试或联系工作人员。',
    sessionActive: '分析进行中：画面中只有您的脸是清晰的，其他人都被模糊。',
    seeking: '请站在屏幕正前方。',
    sessionEnded: '分析已结束，画面恢复全部模糊。',
    stop: '结束',
    receipt: '您的同意回执：扫码保存，可随时一键撤回。',
    zone: '展区',
    stationQr: '已同意摄像头分析？扫码在此屏开始',
    displayCamera: '本屏有摄像头：未经同意不做任何分析，画面在本机模糊。',
    startedTitle: '已在此屏开始',
    startedBody: '此屏现在仅统计您的停留与注视时长（数字，不含图像）。离开几秒后自动结束。',
    offlineTitle: '屏幕未连接',
    offlineBody: '这块屏幕目前不在线，未开始分析。',
    needConsentTitle: '需要您的同意',
    needConsentBody: '只有在您单独同意后，屏幕才会为您做摄像头分析。不同意也不影响任何服务。',
    giveConsent: '阅读告知并选择',
    needPass: '请先在入口扫码签到，再扫描此二维码。',
  },
  en: {
    kioskTitle: 'Camera analytics: your choice',
    agree: 'Agree to camera analytics',
    decline: 'No camera',
    choiceHint:
      'Both choices are equally fine. Saying no changes nothing about check-in, referrals or service.',
    fullNotice: 'Full notice',
    purpose: 'Purpose',
    method: 'Method',
    dataKinds: 'Kinds of data',
    retention: 'Retention',
    processorName: 'Processor',
    processorContact: 'Contact',
    rights: 'Your rights',
    mirror: 'Camera image (blurred on this screen)',
    unavailable: 'Camera analytics unavailable: the image stays fully blurred.',
    unpaired: 'This screen is not paired.',
    offline: 'Connection to the server lost, reconnecting…',
    cameraDenied: 'No camera image.',
    declined: 'Fine, no camera. You can still check in by QR code or ask our staff.',
    agreeing: 'Recording your consent…',
    refused: 'Could not record the consent; please try again or ask our staff.',
    sessionActive: 'Analysing: only your face is sharp on screen, everyone else is blurred.',
    seeking: 'Please stand right in front of the screen.',
    sessionEnded: 'Analysis ended; the image is fully blurred again.',
    stop: 'Stop',
    receipt: 'Your consent receipt: scan to keep it; withdraw any time in one step.',
    zone: 'Zone',
    stationQr: 'Agreed to camera analytics? Scan to start here',
    displayCamera:
      'This screen has a camera: nothing is analysed without consent; the image is blurred on the screen.',
    startedTitle: 'Started at this screen',
    startedBody:
      'This screen now measures only how long you stay and look (numbers, no images). It ends by itself a few seconds after you leave.',
    offlineTitle: 'Screen offline',
    offlineBody: 'This screen is not connected right now; nothing was started.',
    needConsentTitle: 'Your consent is needed',
    needConsentBody:
      'A screen analyses the camera for you only after your separate consent. Saying no changes nothing about our service.',
    giveConsent: 'Read the notice and choose',
    needPass: 'Please check in at the entrance QR code first, then scan this code again.',
  },
} satisfies Texts<Record<string, string>>

// the element ids the signage bundle looks for (shared with signage/pages/*.ts)
export const stationIds = {
  root: 'station',
  canvas: 'station-canvas',
  analyticsState: 'analytics-state',
  status: 'station-status',
  agree: 'consent-agree',
  decline: 'consent-decline',
  stop: 'session-stop',
  receipt: 'kiosk-receipt',
} as const

type Station = { id: string; kind: string; name: string; zone: string; modelVariant: string }

// why this screen's camera cannot run and what the installer does about it; always in both languages, since the
// person fixing a screen may read either. Hidden until signage/station-page.ts finds the problem.
const problems = {
  insecure: {
    'zh-CN': [
      '需要 HTTPS：此页面不是通过安全连接打开的，浏览器不允许使用摄像头，因此本屏不提供摄像头分析。',
      '请改为打开管理员给出的 https:// 配对链接。若浏览器提示证书不受信任，请在本设备上安装本店根证书（从 /ca.crt 下载，仅安装根证书），然后重新打开。',
    ],
    en: [
      'HTTPS needed: this page was not opened over a secure connection, so the browser gives it no camera; this screen offers no camera analytics.',
      'Open the https:// pairing link from the admin instead. If the browser says the certificate is not trusted, install the office root certificate on this device (download /ca.crt; install that root only), then open the link again.',
    ],
  },
  missing: {
    'zh-CN': ['未找到摄像头：请连接摄像头并重新打开本页面。本屏不提供摄像头分析。'],
    en: ['No camera found: connect a camera and reload this page. This screen offers no camera analytics.'],
  },
  denied: {
    'zh-CN': ['摄像头权限被拒绝：请在浏览器设置中仅为本站允许摄像头，然后重新打开本页面。'],
    en: [
      'Camera permission denied: allow the camera for this site only in the browser settings, then reload.',
    ],
  },
} as const

export function StationProblem() {
  return (
    <section id="station-problem" class="station-problem" role="alert" hidden>
      {Object.entries(problems).map(([problem, texts]) => (
        <div data-problem={problem} hidden>
          {texts['zh-CN'].map((line) => (
            <p lang="zh-CN">{line}</p>
          ))}
          {texts.en.map((line) => (
            <p lang="en">{line}</p>
          ))}
        </div>
      ))}
    </section>
  )
}

// status strings the bundle shows, rendered once into data attributes so the bundle carries no text
function statusTexts(t: (typeof text)['en']) {
  const keys = ['unavailable', 'unpaired', 'offline', 'cameraDenied', 'declined', 'agreeing', 'refused']
  const more = ['sessionActive', 'seeking', 'sessionEnded']
  return Object.fromEntries(
    [...keys, ...more].map((k) => [`data-text-${k.toLowerCase()}`, t[k as keyof typeof t]]),
  )
}

function Mirror({ t, small }: { t: (typeof text)['en']; small?: boolean }) {
  return (
    <figure class={small ? 'station-mirror small' : 'station-mirror'}>
      <canvas id={stationIds.canvas} class="mirror" width="640" height="480" aria-label={t.mirror}></canvas>
      <figcaption id={stationIds.analyticsState} class="analytics-state" hidden>
        {t.unavailable}
      </figcaption>
    </figure>
  )
}

export function KioskPage({
  lang,
  station,
  notice,
}: {
  lang: Language
  station: Station
  notice: { sha256: string; version: number; body: NoticeBody } | null
}) {
  const t = pick(text, lang)
  const elements = [
    'purpose',
    'method',
    'dataKinds',
    'retention',
    'processorName',
    'processorContact',
    'rights',
  ] as const
  return (
    <Layout
      lang={lang}
      title={t.kioskTitle}
      csrfToken=""
      bare
      bodyClass="station-page"
      scripts={['/assets/signage/kiosk.mjs']}
    >
      <div
        id={stationIds.root}
        class="station kiosk"
        data-station={station.id}
        data-kind="kiosk"
        data-model={station.modelVariant}
        data-notice={notice?.sha256 ?? ''}
        data-lang={lang}
        {...statusTexts(t)}
      >
        <Mirror t={t} />
        <section class="kiosk-panel">
          <h1>{t.kioskTitle}</h1>
          {notice ? (
            <>
              <p id="notice-short" class="notice-short">
                {notice.body.short}
              </p>
              <details class="notice-full">
                <summary>
                  {t.fullNotice} (v{notice.version})
                </summary>
                <dl>
                  {elements.map((k) => (
                    <>
                      <dt>{t[k]}</dt>
                      <dd>{notice.body[k]}</dd>
                    </>
                  ))}
                </dl>
              </details>
            </>
          ) : null}
          <StationProblem />
          <div class="choices" role="group">
            <button type="button" id={stationIds.agree} class="choice" disabled={!notice}>
              {t.agree}
            </button>
            <button type="button" id={stationIds.decline} class="choice">
              {t.decline}
            </button>
          </div>
          <p class="hint">{t.choiceHint}</p>
          <p id={stationIds.status} class="station-status" role="status" aria-live="polite"></p>
          <button type="button" id={stationIds.stop} class="stop" hidden>
            {t.stop}
          </button>
          <div id={stationIds.receipt} class="receipt" hidden>
            <p>{t.receipt}</p>
            <div class="receipt-qr"></div>
            <a class="receipt-link" href="#" hidden></a>
          </div>
        </section>
      </div>
    </Layout>
  )
}

export function DisplayPage({ lang, station, qrSvg }: { lang: Language; station: Station; qrSvg: string }) {
  const t = pick(text, lang)
  return (
    <Layout
      lang={lang}
      title={station.name}
      csrfToken=""
      bare
      bodyClass="station-page"
      scripts={['/assets/signage/display.mjs']}
    >
      <div
        id={stationIds.root}
        class="station display"
        data-station={station.id}
        data-kind="display"
        data-model={station.modelVariant}
        data-lang={lang}
        {...statusTexts(t)}
      >
        <section class="display-content" id="display-content">
          <p class="zone">
            {t.zone}: {station.zone}
          </p>
          <h1>{station.name}</h1>
        </section>
        <aside class="display-corner">
          <Mirror t={t} small />
          <p class="camera-note">{t.displayCamera}</p>
          <StationProblem />
          <p id={stationIds.status} class="station-status" role="status" aria-live="polite"></p>
          <figure class="station-qr">
            <div dangerouslySetInnerHTML={{ __html: qrSvg }} />
            <figcaption>{t.stationQr}</figcaption>
          </figure>
        </aside>
      </div>
    </Layout>
  )
}

export type StartOutcome = 'started' | 'offline' | 'need-consent' | 'need-pass'

export function StationStartPage({
  lang,
  csrfToken,
  station,
  outcome,
}: {
  lang: Language
  csrfToken: string
  station: { name: string }
  outcome: StartOutcome
}) {
  const t = pick(text, lang)
  const [title, body] =
    outcome === 'started'
      ? [t.startedTitle, t.startedBody]
      : outcome === 'offline'
        ? [t.offlineTitle, t.offlineBody]
        : [t.needConsentTitle, outcome === 'need-pass' ? t.needPass : t.needConsentBody]
  return (
    <Layout lang={lang} title={title} csrfToken={csrfToken} bare>
      <section class="card narrow" id="station-start" data-outcome={outcome}>
        <h1>{title}</h1>
        <p class="muted">{station.name}</p>
        <p>{body}</p>
        {outcome === 'need-consent' ? (
          <a class="button primary" href="/consent">
            {t.giveConsent}
          </a>
        ) : null}
      </section>
    </Layout>
  )
}
