// The office's channel rules in plain words, the same sentences for brokers, staff and managers.
import type { Language } from '../models/consents.ts'
import type { ChannelRuleBody } from '../models/channel-rules.ts'

const protectionWords = {
  'zh-CN': { 'same-day': '当天有效', '1-day': '24 小时', '7-days': '7 天', '30-days': '30 天' },
  en: { 'same-day': 'the same day', '1-day': '24 hours', '7-days': '7 days', '30-days': '30 days' },
} as const

// brokers never see consultant ownership: that sentence is for staff only
export function rulesInWords(
  lang: Language,
  rules: ChannelRuleBody,
  version: number,
  audience: 'staff' | 'broker' = 'broker',
): string[] {
  const zh = lang === 'zh-CN'
  const lines: string[] = []
  lines.push(
    zh
      ? `规则版本 v${version}。判客从不使用人脸，只看报备时间、二维码签到和手机号散列。`
      : `Rules version ${version}. Rulings never use a face: only registration times, QR check-ins and phone-number hashes.`,
  )
  lines.push(
    zh
      ? `保护期：${protectionWords[lang][rules.protection]}。同一手机号先报备且有效者优先，之后的报备无效并注明原因。`
      : `Protection period: ${protectionWords[lang][rules.protection]}. For one phone number the first valid registration wins; later ones are invalid, with the reason.`,
  )
  if (rules.minAdvanceMinutes > 0) {
    lines.push(
      zh
        ? `报备须在客户到访前至少 ${rules.minAdvanceMinutes} 分钟完成。`
        : `Register at least ${rules.minAdvanceMinutes} minutes before the client arrives.`,
    )
  }
  if (rules.windowFrom && rules.windowTo) {
    lines.push(
      zh
        ? `预报备时段：每天 ${rules.windowFrom}–${rules.windowTo}（含开始、不含结束），次日起生效。`
        : `Pre-registration window: ${rules.windowFrom}–${rules.windowTo} daily (start included, end excluded); counts from the next day.`,
    )
  }
  if (rules.dailyCap !== null) {
    lines.push(
      zh
        ? `每位经纪人每天最多报备 ${rules.dailyCap} 组客户。`
        : `Each broker may register at most ${rules.dailyCap} clients a day.`,
    )
  }
  lines.push(
    rules.arrivalProof === 'broker-present'
      ? zh
        ? '到访凭证：客户扫码签到，且经纪人本人到场确认（到访确认）或接待台确认，方可计佣。'
        : 'Proof of arrival: the client checks in by QR and the broker confirms being present (到访确认) or the desk confirms; only then is it payable.'
      : zh
        ? '到访凭证：客户扫描入口二维码签到即可。'
        : 'Proof of arrival: the client’s own check-in at the entrance QR.',
  )
  const own = rules.ownership
  if (audience === 'staff')
    lines.push(
      own.days === null
        ? zh
          ? '客户归属：不设归属，所有访客按轮岗接待。'
          : 'Client ownership: off; every visitor is served in rotation.'
        : zh
          ? `客户归属：首次接待的置业顾问获得 ${own.days} 天归属；期间复访直接交给归属顾问（不占轮岗${own.countsAsTurn ? '，但计入其轮次' : ''}）；归属顾问不在岗时${own.ownerAway === 'wait' ? '等待其上岗' : '由轮岗顾问代接，计入归属顾问'}。他人接待归属客户记为撞单，由案场经理处理。判定只依据签到凭证与手机号散列，从不使用人脸。`
          : `Client ownership: the consultant who first serves a client owns them for ${own.days} days; a return within that goes to the owner outside the rotation${own.countsAsTurn ? ' (counted as their turn)' : ''}; with the owner off duty, ${own.ownerAway === 'wait' ? 'the client waits for the owner' : 'the rotation serves on the owner’s behalf, credited to the owner'}. Another consultant serving an owned client is a conflict (撞单) the manager decides. Decided from the visit pass and phone hash, never a face.`,
    )
  lines.push(
    zh
      ? '若该手机号在报备前的保护期内已自行到访，报备标记为“有争议”，并显示那次到访的日期。对判定不服可申诉一次，由案场经理终审。'
      : 'If the number had visited on its own within the protection period before the registration, it is marked disputed with that date. A ruling may be appealed once; the sales manager decides, finally.',
  )
  return lines
}
