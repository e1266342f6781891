// Marketing's content library: upload (checked from the bytes), the items with thumbnails, edit, delete, playlists.
import type { Language } from '../models/consents.ts'
import type { ContentItem } from '../models/content.ts'
import type { SignedIn } from '../server/context.ts'
import { Csrf, Layout } from './layout.tsx'
import { pick, type Texts } from './i18n.ts'
import { pagePath } from '../server/content/page.ts'
import { mediaPath } from '../server/content/manifest.ts'

export const contentText = {
  'zh-CN': {
    title: '屏幕内容',
    intro:
      '上传图片（JPEG、PNG、WebP）、H.264 MP4 视频，或本案场网站的一个网页（另存为单个 HTML 文件：样式写在页内，图片用 data: 内嵌，不能引用其他网址），编排到展区屏幕上播放。文件类型按内容判断，扩展名须与内容一致。网页中的脚本不会运行。',
    upload: '上传',
    file: '文件',
    name: '名称',
    nameHint: '留空则用文件名',
    duration: '时长（秒）',
    durationHint: '留空：视频用自身时长，图片 10 秒，网页 15 秒',
    replaces: '替换已有内容（版本 +1）',
    newItem: '新内容',
    library: '内容库',
    kind: '类型',
    image: '图片',
    video: '视频',
    page: '网页',
    version: '版本',
    size: '大小',
    actions: '操作',
    save: '保存',
    delete: '删除',
    deleteConfirm: '删除后立即从所有屏幕撤下；已有的播放记录保留。',
    playlists: '播放列表',
    officeDefault: '案场默认列表（没有自己列表的屏幕播放它）',
    report: '内容效果报表',
    uploaded: '已上传：',
    deleted: '已删除，屏幕将立即撤下。',
    saved: '已保存。',
    caps: '上限：视频 {video} MB，图片 {image} MB，网页 {page} MB。',
    'refused.empty': '文件是空的。',
    'refused.unsupported-type':
      '不支持此文件：只接受 JPEG、PNG、WebP 图片、H.264 MP4 视频和 HTML 网页（按文件内容判断，改扩展名无效）。',
    'refused.name-mismatch':
      '文件名与内容不符，未保存：网页文件须以 .html 或 .htm 结尾，其他文件不能用这两个扩展名（按内容判断，改扩展名无效）。',
    'refused.not-utf8': '网页必须是 UTF-8 编码的文本，未保存。',
    outsideReferences:
      '注意：此网页有 {n} 处图片、样式或其他内容要从网址加载，屏幕上不会显示它们（只显示网页文件本身包含的内容；图片请用 data: 内嵌）。',
    'refused.damaged': '文件已损坏或不完整，未保存。',
    'refused.not-h264': '视频必须是 H.264 编码的 MP4，未保存。',
    'refused.too-large': '文件超过大小上限，未保存。',
    'refused.malformed': '上传的格式有误，未保存。',
    'refused.no-file': '请选择一个文件。',
    'refused.invalid-input': '提交的内容有误：',
    'refused.unavailable': '此服务器未配置内容存储。',
    empty: '还没有内容。',
  },
  en: {
    title: 'Screen content',
    intro:
      "Upload images (JPEG, PNG, WebP), H.264 MP4 videos, or a page of the office's own site (saved as one HTML file: styles inside it, images as data: URIs, nothing linked from elsewhere) and schedule them on the zone displays. A file is judged by its bytes, and its name must agree. Scripts in a page never run.",
    upload: 'Upload',
    file: 'File',
    name: 'Name',
    nameHint: 'empty: the file name',
    duration: 'Duration (s)',
    durationHint: "empty: a video's own length, 10 s for an image, 15 s for a page",
    replaces: 'Replace an item (version +1)',
    newItem: 'New item',
    library: 'Library',
    kind: 'Kind',
    image: 'Image',
    video: 'Video',
    page: 'Web page',
    version: 'Version',
    size: 'Size',
    actions: 'Actions',
    save: 'Save',
    delete: 'Delete',
    deleteConfirm: 'Deleting takes it off every screen at once; its plays stay in the report.',
    playlists: 'Playlists',
    officeDefault: 'Office default (for displays without a playlist of their own)',
    report: 'Content report',
    uploaded: 'Uploaded: ',
    deleted: 'Deleted; the screens drop it at once.',
    saved: 'Saved.',
    caps: 'Limits: video {video} MB, image {image} MB, page {page} MB.',
    'refused.empty': 'The file is empty.',
    'refused.unsupported-type':
      'Not a supported file: only JPEG, PNG, WebP images, H.264 MP4 videos and HTML pages (judged by the bytes; renaming does not help).',
    'refused.name-mismatch':
      'Not a supported file under this name; nothing was stored: a web page must be named .html or .htm, and nothing else may be (judged by the bytes).',
    'refused.not-utf8': 'A web page must be UTF-8 text; nothing was stored.',
    outsideReferences:
      'Note: this page loads {n} images, styles or other things by URL; the screens will not show them (only what is inside the file shows; inline images as data: URIs).',
    'refused.damaged': 'The file is damaged or incomplete; nothing was stored.',
    'refused.not-h264': 'The video must be an H.264 MP4; nothing was stored.',
    'refused.too-large': 'The file is over the size limit; nothing was stored.',
    'refused.malformed': 'The upload was malformed; nothing was stored.',
    'refused.no-file': 'Please choose a file.',
    'refused.invalid-input': 'Something was wrong with the form: ',
    'refused.unavailable': 'This server has no content store configured.',
    empty: 'No content yet.',
  },
} satisfies Texts<Record<string, string>>
export type ContentText = (typeof contentText)['en']

export const contentIds = {
  message: 'content-message',
  upload: 'content-upload',
  library: 'content-library',
  playlists: 'content-playlists',
} as const

// the streaming upload route: the CSRF token travels in the query (the body is never parsed for it)
export const uploadPath = '/content/upload'

export function Thumb({ item }: { item: Pick<ContentItem, 'kind' | 'sha256' | 'name'> }) {
  const src = mediaPath(item.sha256)
  // a page is previewed by its own sandboxed URL (no script runs, opaque origin), drawn at a quarter size
  if (item.kind === 'page') {
    return (
      <span class="thumb thumb-page">
        <iframe
          src={pagePath(item.sha256)}
          sandbox=""
          loading="lazy"
          tabindex={-1}
          title={item.name}
        ></iframe>
      </span>
    )
  }
  return item.kind === 'image' ? (
    <img class="thumb" src={src} alt={item.name} loading="lazy" decoding="async" width="96" />
  ) : (
    <video class="thumb" src={src} preload="metadata" muted width="96" aria-label={item.name}></video>
  )
}

export type ContentMessage = { kind: 'ok' | 'refused'; text: string; details?: string[] }

export function ContentPage({
  lang,
  csrfToken,
  account,
  items,
  stations,
  message,
  caps,
}: {
  lang: Language
  csrfToken: string
  account: SignedIn
  items: ContentItem[]
  stations: { id: string; name: string; zone: string }[]
  message: ContentMessage | null
  caps: { videoBytes: number; imageBytes: number; pageBytes: number }
}) {
  const t = pick(contentText, lang)
  const mb = (n: number) => String(Math.round((n / 1024 / 1024) * 10) / 10)
  return (
    <Layout lang={lang} title={t.title} csrfToken={csrfToken} account={account} bodyClass="console">
      <h1>{t.title}</h1>
      <p>{t.intro}</p>
      <p>
        <a href="/content/report">{t.report}</a>
      </p>
      <div id={contentIds.message} role="status" aria-live="polite">
        {message ? (
          <p class={message.kind === 'ok' ? 'notice' : 'alert'} data-kind={message.kind}>
            {message.text}
            {message.details?.join('; ')}
          </p>
        ) : null}
      </div>
      <section class="card" id={contentIds.upload}>
        <h2>{t.upload}</h2>
        <form
          method="post"
          action={`${uploadPath}?_csrf=${encodeURIComponent(csrfToken)}`}
          enctype="multipart/form-data"
          class="stack"
        >
          <label>
            {t.name} <input name="name" maxlength={120} placeholder={t.nameHint} />
          </label>
          <label>
            {t.duration}{' '}
            <input name="durationS" inputmode="numeric" pattern="[0-9]*" placeholder={t.durationHint} />
          </label>
          {items.length ? (
            <label>
              {t.replaces}
              <select name="replaces">
                <option value="">{t.newItem}</option>
                {items.map((i) => (
                  <option value={i.id}>{`${i.name} (v${i.version})`}</option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            {t.file}
            <input
              type="file"
              name="file"
              required
              accept="image/jpeg,image/png,image/webp,video/mp4,text/html,.html,.htm"
            />
          </label>
          <p class="muted">
            {t.caps
              .replace('{video}', mb(caps.videoBytes))
              .replace('{image}', mb(caps.imageBytes))
              .replace('{page}', mb(caps.pageBytes))}
          </p>
          <button type="submit" class="primary">
            {t.upload}
          </button>
        </form>
      </section>
      <section class="card" id={contentIds.library}>
        <h2>{t.library}</h2>
        {items.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th></th>
                  <th>{t.name}</th>
                  <th>{t.kind}</th>
                  <th>{t.version}</th>
                  <th>{t.size}</th>
                  <th>{t.actions}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr data-item={item.id}>
                    <td>
                      <Thumb item={item} />
                    </td>
                    <td>
                      <form method="post" action={`/content/items/${item.id}`} class="inline item-edit">
                        <Csrf token={csrfToken} />
                        <input name="name" value={item.name} required maxlength={120} aria-label={t.name} />
                        <input
                          name="durationS"
                          value={String(item.durationMs / 1000)}
                          inputmode="numeric"
                          size={4}
                          aria-label={t.duration}
                        />
                        <button type="submit">{t.save}</button>
                      </form>
                    </td>
                    <td>{t[item.kind]}</td>
                    <td>v{item.version}</td>
                    <td>{`${(item.bytes / 1024 / 1024).toFixed(1)} MB`}</td>
                    <td>
                      <form method="post" action={`/content/items/${item.id}/delete`} class="inline">
                        <Csrf token={csrfToken} />
                        <button type="submit" class="danger" title={t.deleteConfirm}>
                          {t.delete}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="empty">{t.empty}</p>
        )}
      </section>
      <section class="card" id={contentIds.playlists}>
        <h2>{t.playlists}</h2>
        <ul>
          <li>
            <a href="/content/playlists/office">{t.officeDefault}</a>
          </li>
          {stations.map((s) => (
            <li>
              <a href={`/content/playlists/${s.id}`}>{s.zone ? `${s.name} · ${s.zone}` : s.name}</a>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  )
}
