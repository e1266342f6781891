// Admin sections for people with accounts: staff (invite, role, disable, reset password) and brokers.
import type { Language } from '../models/consents.ts'
import { staffRoles, type StaffRole } from '../models/staff.ts'
import { pick, type Texts } from './i18n.ts'

export type StaffRow = {
  id: string
  username: string
  displayName: string
  role: StaffRole
  disabledAt: number | null
  mustChangePassword: boolean
}
export type BrokerRow = {
  id: string
  username: string
  displayName: string
  company: string
  disabledAt: number | null
}

const text = {
  'zh-CN': {
    staff: '员工',
    brokers: '渠道经纪人',
    username: '用户名',
    displayName: '显示名',
    role: '角色',
    company: '公司',
    state: '状态',
    active: '正常',
    disabled: '已停用',
    mustChange: '待改密码',
    setRole: '设置',
    disable: '停用',
    enable: '启用',
    reset: '重置密码',
    invite: '邀请员工',
    addBroker: '新增经纪人',
    you: '（您）',
    sales: '置业顾问',
    manager: '案场经理',
    marketing: '市场',
    privacy: '隐私负责人',
    admin: '管理员',
  },
  en: {
    staff: 'Staff',
    brokers: 'Brokers',
    username: 'Username',
    displayName: 'Display name',
    role: 'Role',
    company: 'Company',
    state: 'State',
    active: 'active',
    disabled: 'disabled',
    mustChange: 'must change password',
    setRole: 'Set',
    disable: 'Disable',
    enable: 'Enable',
    reset: 'Reset password',
    invite: 'Invite staff',
    addBroker: 'Add broker',
    you: '(you)',
    sales: 'sales',
    manager: 'sales manager',
    marketing: 'marketing',
    privacy: 'privacy officer',
    admin: 'admin',
  },
} satisfies Texts<Record<string, string>>

function PostButton({
  action,
  csrfToken,
  label,
  danger,
}: {
  action: string
  csrfToken: string
  label: string
  danger?: boolean
}) {
  return (
    <form method="post" action={action} class="inline">
      <input type="hidden" name="_csrf" value={csrfToken} />
      <button type="submit" class={danger ? 'danger' : undefined}>
        {label}
      </button>
    </form>
  )
}

export function StaffSection({
  lang,
  csrfToken,
  officeId,
  staffList,
  self,
}: {
  lang: Language
  csrfToken: string
  officeId: string
  staffList: StaffRow[]
  self: string
}) {
  const t = pick(text, lang)
  return (
    <section class="card" id="staff-list">
      <h2>{t.staff}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t.username}</th>
              <th>{t.role}</th>
              <th>{t.state}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {staffList.map((s) => (
              <tr>
                <td>
                  {s.username} · {s.displayName} {s.id === self ? t.you : ''}
                </td>
                <td>
                  {s.id === self ? (
                    t[s.role]
                  ) : (
                    <form method="post" action={`/admin/staff/${s.id}/role`} class="inline">
                      <input type="hidden" name="_csrf" value={csrfToken} />
                      <select name="role" aria-label={t.role}>
                        {staffRoles.map((r) => (
                          <option value={r} selected={r === s.role}>
                            {t[r]}
                          </option>
                        ))}
                      </select>
                      <button type="submit">{t.setRole}</button>
                    </form>
                  )}
                </td>
                <td>
                  {s.disabledAt ? t.disabled : t.active}
                  {s.mustChangePassword ? ` · ${t.mustChange}` : ''}
                </td>
                <td class="actions">
                  {s.id === self ? null : (
                    <>
                      <PostButton
                        action={`/admin/staff/${s.id}/reset-password`}
                        csrfToken={csrfToken}
                        label={t.reset}
                      />
                      {s.disabledAt ? (
                        <PostButton
                          action={`/admin/staff/${s.id}/enable`}
                          csrfToken={csrfToken}
                          label={t.enable}
                        />
                      ) : (
                        <PostButton
                          action={`/admin/staff/${s.id}/disable`}
                          csrfToken={csrfToken}
                          label={t.disable}
                          danger
                        />
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/admin/staff" class="inline">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="officeId" value={officeId} />
        <input name="username" required maxlength={32} placeholder={t.username} aria-label={t.username} />
        <input
          name="displayName"
          required
          maxlength={64}
          placeholder={t.displayName}
          aria-label={t.displayName}
        />
        <select name="role" aria-label={t.role}>
          {staffRoles.map((r) => (
            <option value={r}>{t[r]}</option>
          ))}
        </select>
        <button type="submit">{t.invite}</button>
      </form>
    </section>
  )
}

export function BrokerSection({
  lang,
  csrfToken,
  officeId,
  brokerList,
}: {
  lang: Language
  csrfToken: string
  officeId: string
  brokerList: BrokerRow[]
}) {
  const t = pick(text, lang)
  return (
    <section class="card" id="broker-list">
      <h2>{t.brokers}</h2>
      <ul>
        {brokerList.map((b) => (
          <li>
            {b.username} · {b.displayName} · {b.company} · {b.disabledAt ? t.disabled : t.active}{' '}
            {b.disabledAt ? (
              <PostButton action={`/admin/brokers/${b.id}/enable`} csrfToken={csrfToken} label={t.enable} />
            ) : (
              <PostButton
                action={`/admin/brokers/${b.id}/disable`}
                csrfToken={csrfToken}
                label={t.disable}
                danger
              />
            )}
          </li>
        ))}
      </ul>
      <form method="post" action="/admin/brokers" class="inline">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <input type="hidden" name="officeId" value={officeId} />
        <input name="username" required maxlength={32} placeholder={t.username} aria-label={t.username} />
        <input
          name="displayName"
          required
          maxlength={64}
          placeholder={t.displayName}
          aria-label={t.displayName}
        />
        <input name="company" maxlength={64} placeholder={t.company} aria-label={t.company} />
        <button type="submit">{t.addBroker}</button>
      </form>
    </section>
  )
}
