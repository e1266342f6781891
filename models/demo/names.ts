// Hand-written, clearly fictional names for the demo office: consultants, brokers and agencies, with pinyin.
import type { Random } from './random.ts'

// common surnames (百家姓), with pinyin for the English side
export const surnames = [
  ['王', 'Wang'],
  ['李', 'Li'],
  ['张', 'Zhang'],
  ['刘', 'Liu'],
  ['陈', 'Chen'],
  ['杨', 'Yang'],
  ['黄', 'Huang'],
  ['赵', 'Zhao'],
  ['吴', 'Wu'],
  ['周', 'Zhou'],
  ['徐', 'Xu'],
  ['孙', 'Sun'],
  ['马', 'Ma'],
  ['朱', 'Zhu'],
  ['胡', 'Hu'],
  ['郭', 'Guo'],
  ['何', 'He'],
  ['林', 'Lin'],
  ['罗', 'Luo'],
  ['高', 'Gao'],
] as const

export const givenNames = [
  ['子涵', 'Zihan'],
  ['欣怡', 'Xinyi'],
  ['浩然', 'Haoran'],
  ['梓萱', 'Zixuan'],
  ['宇轩', 'Yuxuan'],
  ['思远', 'Siyuan'],
  ['雨桐', 'Yutong'],
  ['俊杰', 'Junjie'],
  ['佳琪', 'Jiaqi'],
  ['明轩', 'Mingxuan'],
  ['晓燕', 'Xiaoyan'],
  ['建华', 'Jianhua'],
  ['志强', 'Zhiqiang'],
  ['海燕', 'Haiyan'],
  ['文博', 'Wenbo'],
  ['静怡', 'Jingyi'],
] as const

// invented agencies in the style of the big chains; "示范 / demo" in every name so nobody mistakes one for a real firm
export const agencies = [
  ['链居地产（示范）', 'Lianju Realty (demo)'],
  ['安家好房（示范）', 'Anjia Homes (demo)'],
  ['贝壳湾找房（示范）', 'Shell Bay Homes (demo)'],
  ['满城置业（示范）', 'Mancheng Property (demo)'],
] as const

export type PersonName = { zh: string; en: string }

// distinct full names, in a stable order for a seed; `taken` holds names already in use (the seeded accounts)
export function distinctNames(random: Random, count: number, taken: string[] = []): PersonName[] {
  const used = new Set(taken)
  const names: PersonName[] = []
  while (names.length < count) {
    const [family, familyEn] = random.pick(surnames)
    const [given, givenEn] = random.pick(givenNames)
    if (used.has(family) || used.has(family + given)) continue
    used.add(family)
    names.push({ zh: family + given, en: `${familyEn} ${givenEn}` })
  }
  return names
}

// a mainland mobile number (1, then 3–9, then nine digits), made up
export function mobileNumber(random: Random): string {
  return `1${random.int(3, 9)}${String(random.int(0, 999_999_999)).padStart(9, '0')}`
}

// the label a broker gives a client (王先生, 刘女士): what the broker portal shows, never a full name
export function clientLabel(random: Random): string {
  return random.pick(surnames)[0] + (random.chance(0.5) ? '先生' : '女士')
}
