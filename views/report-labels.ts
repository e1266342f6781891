// Words of the reports page and its exports (zh-CN, English): metric, column and period labels shared by both.
import type { Language } from '../models/consents.ts'
import type { MetricKey } from '../models/anonymity.ts'
import type { ReportGroup } from '../models/reports.ts'
import { pick, type Texts } from './i18n.ts'

export const reportText = {
  'zh-CN': {
    title: '报表',
    filters: '筛选',
    preset: '时间范围',
    'preset.today': '今天',
    'preset.7d': '近 7 天',
    'preset.30d': '近 30 天',
    'preset.month': '本月',
    'preset.custom': '自定义',
    from: '开始日期',
    to: '结束日期',
    group: '按时间',
    'group.day': '按日',
    'group.week': '按周',
    'group.hour': '按一天中的小时',
    split: '分组',
    'split.none': '不分组',
    'split.channel': '按渠道',
    'split.zone': '按区域（摄像互动）',
    channel: '渠道',
    allChannels: '全部渠道',
    apply: '应用',
    summary: '汇总',
    crossTab: '明细',
    byPeriod: '各时段指标',
    byColumn: '各分组指标',
    period: '时段',
    total: '合计',
    chart: '图表',
    exports: '导出（匿名）',
    epsilon: '差分隐私噪声 ε（可选，越小噪声越大）',
    csv: '下载 CSV',
    json: '下载 JSON',
    suppressedNote:
      '为保护个人隐私，少于 {k} 人的格子显示为 <{k}；另有部分格子一并隐藏，使其无法由合计推算出来。报表只含汇总数字，不含任何个人信息。',
    empty: '该时间范围内没有数据。',
    periodShown: '统计期间',
    funnel: '转化：到访 → 接待 → 跟进',
    weekOf: '{day} 起一周',
  },
  en: {
    title: 'Reports',
    filters: 'Filters',
    preset: 'Period',
    'preset.today': 'Today',
    'preset.7d': 'Last 7 days',
    'preset.30d': 'Last 30 days',
    'preset.month': 'This month',
    'preset.custom': 'Custom',
    from: 'From',
    to: 'To',
    group: 'Time grouping',
    'group.day': 'By day',
    'group.week': 'By week',
    'group.hour': 'By hour of day',
    split: 'Split',
    'split.none': 'No split',
    'split.channel': 'By channel',
    'split.zone': 'By zone (camera engagement)',
    channel: 'Channel',
    allChannels: 'All channels',
    apply: 'Apply',
    summary: 'Summary',
    crossTab: 'Breakdown',
    byPeriod: 'Metrics by period',
    byColumn: 'Metrics by group',
    period: 'Period',
    total: 'Total',
    chart: 'Chart',
    exports: 'Export (anonymous)',
    epsilon: 'Differential-privacy noise ε (optional; smaller means more noise)',
    csv: 'Download CSV',
    json: 'Download JSON',
    suppressedNote:
      'To protect people, cells with fewer than {k} people show as <{k}; a few other cells are hidden too so that hidden ones cannot be worked out from totals. Reports hold aggregate numbers only, never personal data.',
    empty: 'No data in this period.',
    periodShown: 'Period',
    funnel: 'Conversion: visit → consultant → follow-up',
    weekOf: 'Week of {day}',
  },
} satisfies Texts<Record<string, string>>
export type ReportText = (typeof reportText)['en']

const metricText = {
  'zh-CN': {
    visits: '到访',
    firstVisits: '首访',
    returns: '复访',
    brokerShare: '渠道带看占比 %',
    consentedShare: '同意摄像分析 %',
    disputed: '争议报备',
    assigned: '已接待',
    followedUp: '已跟进',
    people: '人数',
    sessions: '互动次数',
    dwellMedianS: '停留中位数（秒）',
    dwellP75S: '停留 P75（秒）',
    attentionShare: '注视占比 %',
  },
  en: {
    visits: 'Visits',
    firstVisits: 'First visits',
    returns: 'Returns',
    brokerShare: 'Broker share %',
    consentedShare: 'Camera consent %',
    disputed: 'Disputed referrals',
    assigned: 'Reached a consultant',
    followedUp: 'Followed up',
    people: 'People',
    sessions: 'Sessions',
    dwellMedianS: 'Median dwell (s)',
    dwellP75S: 'P75 dwell (s)',
    attentionShare: 'Attention %',
  },
} satisfies Texts<Record<MetricKey, string>>

const columnText = {
  'zh-CN': { all: '全部', 'walk-in': '自访', unattributed: '未签到', unzoned: '未分区', broker: '经纪人' },
  en: {
    all: 'All',
    'walk-in': 'Walk-in',
    unattributed: 'Not checked in',
    unzoned: 'No zone',
    broker: 'Broker',
  },
} satisfies Texts<Record<string, string>>

export function metricLabel(metric: MetricKey, lang: Language): string {
  return pick(metricText, lang)[metric]
}

// brokers and zones arrive with their own names; the fixed channel keys are translated
export function columnLabel(label: string, lang: Language): string {
  const words = pick(columnText, lang) as Record<string, string>
  return words[label] ?? label
}

export function periodLabel(key: string, group: ReportGroup, lang: Language): string {
  if (group === 'hour') return `${key}:00`
  if (group === 'week') return pick(reportText, lang).weekOf.replace('{day}', key)
  return key
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''))
}
