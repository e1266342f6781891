// The default privacy notice a new office starts with (PIPL art. 17 and 30 elements), in both languages.
import type { Language } from './consents.ts'

export const noticeElements = [
  'purpose',
  'method',
  'dataKinds',
  'retention',
  'processorName',
  'processorContact',
  'rights',
] as const
export type NoticeBody = Record<(typeof noticeElements)[number] | 'short', string>

export function defaultNotice(
  lang: Language,
  office: { processorName: string; privacyContact: string },
): NoticeBody {
  if (lang === 'en') {
    return {
      short:
        'Cameras here analyse nobody who has not opted in at the kiosk. Everyone else is blurred on the screen itself.',
      purpose:
        'With your separate consent only: measure how long you stay at a screen in this sales office and whether you look at it, to improve what we show. Nothing else.',
      method:
        'The screen’s own browser finds faces in its camera image and blurs every face except yours. No image, face outline or face template leaves the screen or is stored; only numbers (seconds of dwell and of attention) are sent.',
      dataKinds:
        'Dwell time and attention time per screen, linked to your visit by a random number. No face image, no biometric template, no name.',
      retention:
        'Camera-derived numbers: 30 days, then deleted automatically. Your consent record: 3 years, as proof of consent.',
      processorName: office.processorName,
      processorContact: office.privacyContact,
      rights:
        'Saying no costs you nothing: check-in, broker registration and service all work without the camera. You can withdraw at any time from your receipt in one step; we then delete the camera numbers. You can see or delete what we hold about you at /me, or ask the contact above.',
    }
  }
  return {
    short: '本场所的摄像头不分析任何未在同意屏上主动同意的人；其他人的面部在屏幕本机即被模糊。',
    purpose:
      '仅在您单独同意后：统计您在本售楼处各展示屏前停留的时长及是否注视屏幕，用于改进展示内容。不作其他用途。',
    method:
      '展示屏的浏览器在本机摄像画面中检测人脸，并模糊除您以外的所有人脸。任何图像、人脸框或人脸特征都不会离开该屏幕，也不会被保存；上传的只有数字（停留秒数、注视秒数）。',
    dataKinds: '每个屏幕的停留时长与注视时长，通过随机编号与您的来访关联。不含人脸图像、生物识别特征或姓名。',
    retention: '摄像头产生的数字：保存 30 天后自动删除。您的同意记录：保存 3 年，作为同意凭证。',
    processorName: office.processorName,
    processorContact: office.privacyContact,
    rights:
      '拒绝不影响任何服务：签到、渠道报备和接待都无需摄像头。您可随时在同意回执上一步撤回同意，撤回后我们删除摄像头数据。您可在 /me 查看或删除我们持有的您的信息，也可联系上述联系人。',
  }
}
