// The admin console: offices and stations (create, rename, pair by QR, revoke), plus the one-time result pages.
import { raw } from 'hono/html'
import type { Language } from '../models/consents.ts'
import type { offices, stations } from '../models/offices.ts'
import { stationKinds } from '../models/offices.ts'
import type { SignedIn } from '../server/context.ts'
import { Csrf, Layout, qrFitScript } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { formatTime } from './privacy.tsx'
import { StaffSection, BrokerSection, type StaffRow, type BrokerRow } from './admin-people.tsx'
import { DemoRemovalLink } from './admin-demo.tsx'

type Office = typeof offices.$inferSelect
type Station = typeof stations.$inferSelect

const text = {
  'zh-CN': {
    title: '管理',
    intro:
      '管理员可管理案场、屏幕、员工与渠道账号；所有更改都会写入审计日志。管理员看不到摄像头数据或完整手机号。',
    offices: '案场',
    newOffice: '新建案场',
    developer: '开发商',
    newOfficeIntro:
      '新案场属于同一开发商「{developer}」：渠道报备在该开发商的所有案场之间互相保护，并计入跨案场报表。新案场自带一块入口签到屏和默认隐私告知。',
    entranceName: '入口签到屏名称',
    developerReport: '跨案场报表',
    notifications: '顾问通知（企业微信 / 钉钉 / Webhook）与投递失败列表',
    officeSettings: '案场设置',
    name: '名称',
    nameEn: '英文名称',
    processorName: '个人信息处理者名称',
    privacyContact: '隐私联系方式',
    create: '创建',
    stations: '屏幕',
    kind: '类型',
    zone: '区域',
    state: '状态',
    paired: '已配对',
    unpaired: '未配对',
    revoked: '已吊销',
    rename: '改名',
    pair: '配对二维码',
    revoke: '吊销',
    newStation: '新增屏幕',
    pairTitle: '配对屏幕',
    pairIntro:
      '在要配对的屏幕上扫描此二维码或打开链接。链接 15 分钟内有效，只能使用一次；旧的设备凭证随即失效。',
    back: '返回管理',
    passwordTitle: '临时密码',
    passwordIntro: '请把此密码当面交给本人。它只显示这一次；首次登录时必须修改。',
    lastSeen: '最近在线',
    camera_ok: '摄像头正常',
    camera_starting: '摄像头启动中',
    camera_lost: '摄像头画面中断',
    camera_denied: '摄像头权限被拒绝',
    camera_missing: '未找到摄像头',
    camera_insecure: '非 HTTPS，无法使用摄像头',
    detectorReady: '检测模型已加载',
    detectorNot: '检测模型未加载',
    failClosed: '故障保护：整幅模糊',
    entrance: '入口屏',
    kiosk: '同意屏',
    display: '展示屏',
  },
  en: {
    title: 'Admin',
    intro:
      'Admins manage offices, screens, staff and broker accounts; every change is written to the audit log. Admins cannot see camera data or full phone numbers.',
    offices: 'Offices',
    newOffice: 'New office',
    developer: 'Developer',
    newOfficeIntro:
      'The new office belongs to the same developer, “{developer}”: a broker’s registration protects the client at every office of the developer, and the office joins the cross-office report. It starts with an entrance screen and the default privacy notice.',
    entranceName: 'Entrance screen name',
    developerReport: 'Cross-office report',
    notifications: 'Consultant notifications (WeCom / DingTalk / webhook) and the dead-letter list',
    officeSettings: 'Office settings',
    name: 'Name',
    nameEn: 'English name',
    processorName: 'Processor name',
    privacyContact: 'Privacy contact',
    create: 'Create',
    stations: 'Screens',
    kind: 'Kind',
    zone: 'Zone',
    state: 'State',
    paired: 'paired',
    unpaired: 'not paired',
    revoked: 'revoked',
    rename: 'Rename',
    pair: 'Pairing QR',
    revoke: 'Revoke',
    newStation: 'New screen',
    pairTitle: 'Pair a screen',
    pairIntro:
      'Scan this QR code on the screen to pair, or open the link there. It works once, for 15 minutes; any older device credential stops working.',
    back: 'Back to admin',
    passwordTitle: 'Temporary password',
    passwordIntro:
      'Hand this password to the person directly. It is shown only this once and must be changed at first sign-in.',
    lastSeen: 'Last seen',
    camera_ok: 'camera ok',
    camera_starting: 'camera starting',
    camera_lost: 'camera lost',
    camera_denied: 'camera permission denied',
    camera_missing: 'no camera found',
    camera_insecure: 'not HTTPS: no camera',
    detectorReady: 'detector loaded',
    detectorNot: 'detector not loaded',
    failClosed: 'fail-closed: whole frame blurred',
    entrance: 'entrance',
    kiosk: 'kiosk',
    display: 'display',
  },
} satisfies Texts<Record<string, string>>

type PageBase = { lang: Language; csrfToken: string; account: SignedIn }

export function AdminPage({
  lang,
  csrfToken,
  account,
  officeList,
  developer = null,
  office,
  stationList,
  staffList,
  brokerList,
}: PageBase & {
  officeList: Office[]
  developer?: { id: string; name: string; nameEn: string } | null
  office: Office
  stationList: Station[]
  staffList: StaffRow[]
  brokerList: BrokerRow[]
}) {
  const t = pick(text, lang)
  const developerName = developer ? (lang === 'en' ? developer.nameEn || developer.name : developer.name) : ''
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account} bodyClass="console">
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <p>
        <a href={`/admin/notifications?office=${office.id}`} id="notifications-link">
          {t.notifications}
        </a>
      </p>
      <section class="card" id="office-list">
        <h2>{t.offices}</h2>
        {developer ? (
          <p id="developer-name">
            {t.developer}: {developerName} · <a href="/admin/developer-report">{t.developerReport}</a>
          </p>
        ) : null}
        <p>
          <a href={`/admin/office?office=${office.id}`} id="office-settings-link">
            {t.officeSettings}
          </a>
        </p>
        <ul>
          {officeList.map((o) => (
            <li>
              <a href={`/admin?office=${o.id}`} aria-current={o.id === office.id ? 'page' : undefined}>
                {lang === 'en' ? o.nameEn || o.name : o.name}
              </a>
            </li>
          ))}
        </ul>
        {officeList.some((o) => o.demo) ? <DemoRemovalLink lang={lang} /> : null}
        <details>
          <summary>{t.newOffice}</summary>
          <form method="post" action="/admin/offices" class="stack">
            <Csrf token={csrfToken} />
            {developer ? <p>{t.newOfficeIntro.replace('{developer}', developerName)}</p> : null}
            <label>
              {t.name} <input name="name" required maxlength={80} />
            </label>
            <label>
              {t.nameEn} <input name="nameEn" maxlength={80} />
            </label>
            <label>
              {t.processorName} <input name="processorName" required maxlength={120} />
            </label>
            <label>
              {t.privacyContact} <input name="privacyContact" required maxlength={200} />
            </label>
            <label>
              {t.entranceName} <input name="entranceName" maxlength={80} value="入口签到屏 Entrance" />
            </label>
            <button type="submit">{t.create}</button>
          </form>
        </details>
      </section>
      <section class="card" id="station-list">
        <h2>
          {t.stations} · {lang === 'en' ? office.nameEn || office.name : office.name}
        </h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t.name}</th>
                <th>{t.kind}</th>
                <th>{t.state}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {stationList.map((s) => (
                <tr>
                  <td>
                    <form method="post" action={`/admin/stations/${s.id}/rename`} class="inline">
                      <Csrf token={csrfToken} />
                      <input name="name" value={s.name} required maxlength={80} aria-label={t.name} />
                      <input name="zone" value={s.zone} maxlength={80} aria-label={t.zone} />
                      <button type="submit">{t.rename}</button>
                    </form>
                  </td>
                  <td>{t[s.kind]}</td>
                  <td>
                    {s.revokedAt ? t.revoked : s.deviceTokenId ? t.paired : t.unpaired}
                    {s.lastSeenAt ? ` · ${t.lastSeen} ${formatTime(s.lastSeenAt, office.timeZone)}` : ''}
                    <ScreenState t={t} state={s.kind === 'entrance' ? null : s.lastState} />
                  </td>
                  <td class="actions">
                    <form method="post" action={`/admin/stations/${s.id}/pair`} class="inline">
                      <Csrf token={csrfToken} />
                      <button type="submit">{t.pair}</button>
                    </form>
                    {s.deviceTokenId ? (
                      <form method="post" action={`/admin/stations/${s.id}/revoke`} class="inline">
                        <Csrf token={csrfToken} />
                        <button type="submit" class="danger">
                          {t.revoke}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form method="post" action="/admin/stations" class="inline">
          <Csrf token={csrfToken} />
          <input type="hidden" name="officeId" value={office.id} />
          <input name="name" required maxlength={80} placeholder={t.name} aria-label={t.name} />
          <select name="kind" aria-label={t.kind}>
            {stationKinds.map((k) => (
              <option value={k}>{t[k]}</option>
            ))}
          </select>
          <input name="zone" maxlength={80} placeholder={t.zone} aria-label={t.zone} />
          <button type="submit">{t.newStation}</button>
        </form>
      </section>
      <StaffSection
        lang={lang}
        csrfToken={csrfToken}
        officeId={office.id}
        staffList={staffList}
        self={account.id}
      />
      <BrokerSection lang={lang} csrfToken={csrfToken} officeId={office.id} brokerList={brokerList} />
    </Layout>
  )
}

export function PairingPage({
  lang,
  csrfToken,
  account,
  station,
  link,
  qr,
}: PageBase & { station: Station; link: string; qr: string }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.pairTitle} csrfToken={csrfToken} account={account} scripts={[qrFitScript]}>
      <section class="card narrow" id="pairing">
        <h1>
          {t.pairTitle}: {station.name}
        </h1>
        <p>{t.pairIntro}</p>
        <div class="qr">{raw(qr)}</div>
        <p>
          <a href={link} id="pairing-link">
            {link}
          </a>
        </p>
        <a href={`/admin?office=${station.officeId}`}>{t.back}</a>
      </section>
    </Layout>
  )
}

export function TempPasswordPage({
  lang,
  csrfToken,
  account,
  username,
  password,
  officeId,
}: PageBase & { username: string; password: string; officeId: string }) {
  const t = pick(text, lang)
  return (
    <Layout lang={lang} title={t.passwordTitle} csrfToken={csrfToken} account={account}>
      <section class="card narrow">
        <h1>{t.passwordTitle}</h1>
        <p>{t.passwordIntro}</p>
        <p>
          <strong>{username}</strong> / <code id="temp-password">{password}</code>
        </p>
        <a href={`/admin?office=${officeId}`}>{t.back}</a>
      </section>
    </Layout>
  )
}

// what the screen last said about itself (signage/station-report.ts), in words an installer acts on
function ScreenState({ t, state }: { t: (typeof text)['en']; state: string | null }) {
  if (!state) return null
  let report: { camera?: string; detector?: string; fps?: number; failClosed?: boolean }
  try {
    report = JSON.parse(state)
  } catch {
    return null
  }
  const camera = t[`camera_${report.camera}` as keyof typeof t] ?? report.camera
  const attention = report.camera !== 'ok' || report.failClosed
  return (
    <div class={attention ? 'screen-state alert' : 'screen-state muted'} data-camera={report.camera}>
      {camera} · {report.detector === 'ready' ? t.detectorReady : t.detectorNot} · {report.fps ?? 0} fps
      {report.failClosed ? ` · ${t.failClosed}` : ''}
    </div>
  )
}
