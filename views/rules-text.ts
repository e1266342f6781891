// The office's channel rules in plain words, the same sentences for brokers, staff and managers.
import type { Language } from '../models/consents.ts'
import type { ChannelRuleBody } from '../models/channel-rules.ts'

const protectionWords = {
  'zh-CN': { 'same-day': '当天有效', '1-day': '24 小时', '7-days': '7 天', '30-days': '30 天' },
  en: { 'same-day': 'the same day', '1-day': '24 hours', '7-days': '7 days', '30-days': '30 days' },
} as const

export function rulesInWords(lang: Language, rules: ChannelRuleBody, version: number): string[] {
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
  lines.push(
    zh
      ? '若该手机号在报备前的保护期内已自行到访，报备标记为“有争议”，并显示那次到访的日期。对判定不服可申诉一次，由案场经理终审。'
      : 'If the number had visited on its own within the protection period before the registration, it is marked disputed with that date. A ruling may be appealed once; the sales manager decides, finally.',
  )
  return lines
}
