// What a notification says, per channel format: an event, a local time and a link — no phone, name or label.
import type { ChannelKind, NotifyEvent } from '../../models/notify.ts'
import { clockTime } from '../../views/dashboard-text.ts'

// where each event sends the consultant (sign-in required; the link names no visit or client)
const linkPath: Record<NotifyEvent, string> = {
  'client.returned': '/dashboard/mine',
  'visit.assigned': '/dashboard/mine',
  'ownership.conflict': '/dashboard/mine',
}

const sentence: Record<NotifyEvent, (time: string) => [zh: string, en: string]> = {
  'client.returned': (time) => [
    `您的老客户已于 ${time} 到访`,
    `A returning client of yours arrived at ${time}`,
  ],
  'visit.assigned': (time) => [`${time} 有一位访客分配给您接待`, `A visitor was assigned to you at ${time}`],
  'ownership.conflict': (time) => [
    `${time} 您的客户出现撞单，等待案场经理处理`,
    `A conflict on a client of yours at ${time}; the manager decides`,
  ],
}

export type OutgoingMessage = {
  id: string
  event: NotifyEvent
  officeId: string
  consultantId: string
  at: number
  timeZone: string
}

export function messageText(message: OutgoingMessage, origin: string): { text: string; link: string } {
  const link = new URL(linkPath[message.event], origin).toString()
  const [zh, en] = sentence[message.event](clockTime(message.at, message.timeZone))
  return { text: `【Showroom】${zh}，打开：${link}\n${en}, open: ${link}`, link }
}

// the request body in the channel's format; the same message always gives the same body (retries, signatures)
export function messageBody(
  kind: ChannelKind,
  message: OutgoingMessage,
  origin: string,
  mention: string | null,
): string {
  const { text, link } = messageText(message, origin)
  if (kind === 'wecom')
    return JSON.stringify({
      msgtype: 'text',
      text: { content: text, ...(mention ? { mentioned_list: [mention] } : {}) },
    })
  if (kind === 'dingtalk')
    return JSON.stringify({
      msgtype: 'text',
      text: { content: text },
      at: { atUserIds: mention ? [mention] : [], isAtAll: false },
    })
  // Standard Webhooks payload shape: type, timestamp, data
  return JSON.stringify({
    type: message.event,
    timestamp: new Date(message.at).toISOString(),
    data: {
      office: message.officeId,
      consultant: message.consultantId,
      at: new Date(message.at).toISOString(),
      text,
      link,
    },
  })
}
