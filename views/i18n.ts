// Shared interface text in zh-CN and English; feature views keep their own text next to their markup.
import type { Language } from '../models/consents.ts'

export type Texts<T extends Record<string, string>> = Record<Language, T>

// picks a feature's dictionary for the request language
export function pick<T extends Record<string, string>>(texts: Texts<T>, lang: Language): T {
  return texts[lang]
}

export const common = {
  'zh-CN': {
    product: 'Showroom 案场访客分析',
    tagline: '尊重每一位来访者的案场数据',
    switchLang: 'English',
    login: '登录',
    logout: '退出',
    username: '用户名',
    password: '密码',
    dashboard: '今日看板',
    reports: '报表',
    content: '屏幕内容',
    privacy: '隐私',
    admin: '管理',
    agent: '渠道报备',
    rules: '判客规则',
    back: '返回',
    save: '保存',
    cancel: '取消',
    empty: '暂无数据',
    loginFailed: '用户名或密码不正确。',
    lockedOut: '从此处登录失败次数过多，请稍后再试（每多失败一次，等待时间加倍）。',
    errorTitle: '出错了',
    'error.csrf': '页面已过期，请刷新后重试。',
    'error.forbidden': '您的角色无权访问此页面。',
    'error.signed-out': '请先登录。',
    'error.rate-limited': '请求过于频繁，请稍后再试。',
    'error.invalid-input': '提交的内容有误：',
    'error.too-large': '提交的内容过大。',
    'error.not-found': '页面不存在。',
    'error.server': '服务器内部错误，我们已记录。',
    'error.token': '二维码已失效或无效，请重新扫描屏幕上的二维码。',
    home: '首页',
    skipToContent: '跳到正文',
  },
  en: {
    product: 'Showroom visitor analytics',
    tagline: 'Sales-office analytics that respects every visitor',
    switchLang: '中文',
    login: 'Sign in',
    logout: 'Sign out',
    username: 'Username',
    password: 'Password',
    dashboard: 'Today',
    reports: 'Reports',
    content: 'Screens',
    privacy: 'Privacy',
    admin: 'Admin',
    agent: 'Referrals',
    rules: 'Channel rules',
    back: 'Back',
    save: 'Save',
    cancel: 'Cancel',
    empty: 'Nothing here yet',
    loginFailed: 'Wrong username or password.',
    lockedOut:
      'Too many failed sign-ins from here: please wait and try again (each further failure doubles the wait).',
    errorTitle: 'Something went wrong',
    'error.csrf': 'This page has expired. Reload it and try again.',
    'error.forbidden': 'Your role may not open this page.',
    'error.signed-out': 'Please sign in first.',
    'error.rate-limited': 'Too many requests. Please wait a moment and try again.',
    'error.invalid-input': 'Some of what you sent is not valid:',
    'error.too-large': 'What you sent is too large.',
    'error.not-found': 'There is no such page.',
    'error.server': 'Internal error. It has been logged.',
    'error.token': 'This QR code has expired or is not valid. Please scan the code on the screen again.',
    home: 'Home',
    skipToContent: 'Skip to content',
  },
} satisfies Texts<Record<string, string>>

export type CommonText = (typeof common)['en']
