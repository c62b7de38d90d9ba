import type { MaintenanceMode } from '../../domain/maintenance/state-machine.js';

/*
 * What people are told about a maintenance order, in English then Chinese in one message: the outbox
 * does not know which language a customer reads, and both fit on one screen.
 */

export type OutboxText = { subject: string; body: string };

type CenterFacts = { nameEn: string; nameZh: string; address: string; phone: string };

export function orderIssuedMessage(input: {
  customerName: string;
  maintenanceNumber: string;
  mode: MaintenanceMode;
  center: CenterFacts;
  /** The tracking link as the row shows it, without its secret (sealed beside the body). */
  trackingUrl: string;
}): OutboxText {
  const { customerName, maintenanceNumber: n, center, trackingUrl } = input;
  const whatToDoEn =
    input.mode === 'walk_in'
      ? `Please bring the product, with this maintenance number, to ${center.nameEn}, ${center.address}.`
      : `Please send the bad parts, marked with this maintenance number, to ${center.nameEn}, ${center.address}. The committed service period starts on the day they receive them.`;
  const whatToDoZh =
    input.mode === 'walk_in'
      ? `请携带产品并出示本维修单号前往${center.nameZh}（${center.address}）。`
      : `请将故障部件寄至${center.nameZh}（${center.address}），并注明本维修单号。服务承诺期限自签收之日起计算。`;
  return {
    subject: `Maintenance order ${n} — 维修单 ${n}`,
    body:
      `Dear ${customerName}, your maintenance order number is ${n}.\n${whatToDoEn}\n` +
      `Phone: ${center.phone}\nFollow your repair here: ${trackingUrl}\n\n` +
      `${customerName}，您好：您的维修单号为 ${n}。\n${whatToDoZh}\n` +
      `电话：${center.phone}\n查看维修进度：${trackingUrl}`,
  };
}

/** The moves a customer hears about: the rest are the center's business. */
export type NotifiedMove = 'received' | 'paidService' | 'repaired' | 'returned';

export function orderMovedMessage(input: {
  customerName: string;
  maintenanceNumber: string;
  to: NotifiedMove;
  on: string;
  dueOn: string | null;
  returnTracking: string | null;
  note: string | null;
  centerPhone: string;
}): OutboxText {
  const { customerName, maintenanceNumber: n, on, note } = input;
  const [en, zh, subjectEn, subjectZh] = ((): [string, string, string, string] => {
    switch (input.to) {
      case 'received':
        return [
          `We received your product on ${on}. We will contact you and return it repaired by ${input.dueOn ?? on}.`,
          `我们已于 ${on} 签收您的产品，将在 ${input.dueOn ?? on} 前与您联系并寄回修好的产品。`,
          'received',
          '已签收',
        ];
      case 'paidService':
        return [
          'Inspection found damage caused by misuse, which the warranty does not cover. A quote for a paid repair follows; nothing is repaired until you accept it.',
          '检测发现产品为人为损坏，不在保修范围内。我们将另行发送有偿维修报价，您接受报价前我们不会进行维修。',
          'damage caused by misuse',
          '人为损坏',
        ];
      case 'repaired':
        return [
          `Your product was repaired on ${on}; we will send it back shortly.`,
          `您的产品已于 ${on} 修好，我们将尽快寄回。`,
          'repaired',
          '已修好',
        ];
      case 'returned':
        return input.returnTracking
          ? [
              `Your product was sent back on ${on}, tracking number ${input.returnTracking}.`,
              `您的产品已于 ${on} 寄回，运单号 ${input.returnTracking}。`,
              'sent back',
              '已寄回',
            ]
          : [
              `Your product is ready and was handed back on ${on}.`,
              `您的产品已于 ${on} 交还。`,
              'returned',
              '已交还',
            ];
    }
  })();
  const noteEn = note ? `\nNote from the service center: ${note}` : '';
  const noteZh = note ? `\n服务中心备注：${note}` : '';
  return {
    subject: `Maintenance order ${n}: ${subjectEn} — 维修单 ${n}：${subjectZh}`,
    body:
      `Dear ${customerName}, about maintenance order ${n}: ${en}${noteEn}\nQuestions: ${input.centerPhone}\n\n` +
      `${customerName}，您好：关于维修单 ${n}：${zh}${noteZh}\n咨询电话：${input.centerPhone}`,
  };
}

export function commitmentReminderMessage(input: {
  customerName: string;
  maintenanceNumber: string;
  dueOn: string;
  missed: boolean;
  centerPhone: string;
}): OutboxText {
  const { customerName, maintenanceNumber: n, dueOn, centerPhone } = input;
  const en = input.missed
    ? `We committed to contact you about your repair by ${dueOn} and are late. We apologise: our support team has been told and will make sure you hear from us at once.`
    : `Your repair is due by ${dueOn}. The service center will contact you before then.`;
  const zh = input.missed
    ? `我们承诺在 ${dueOn} 前就您的维修与您联系，现已逾期，深表歉意。客服团队已获通知，将尽快与您联系。`
    : `您的维修将于 ${dueOn} 到期，服务中心将在此之前与您联系。`;
  return {
    subject: `Maintenance order ${n}: due by ${dueOn} — 维修单 ${n}：${dueOn} 到期`,
    body:
      `Dear ${customerName}, about maintenance order ${n}: ${en}\nQuestions: ${centerPhone}\n\n` +
      `${customerName}，您好：关于维修单 ${n}：${zh}\n咨询电话：${centerPhone}`,
  };
}

export function commitmentMissedEscalation(input: {
  maintenanceNumber: string;
  orderId: string;
  dueOn: string;
  state: string;
  centerName: string;
  centerPhone: string;
  customerName: string;
  customerContact: string | null;
}): OutboxText {
  const n = input.maintenanceNumber;
  return {
    subject: `Missed service commitment: ${n} — 服务承诺逾期：${n}`,
    body:
      `Maintenance order ${n} (${input.orderId}) at ${input.centerName} was due by ${input.dueOn} and the customer has not been contacted. ` +
      `State: ${input.state}. Customer: ${input.customerName}, ${input.customerContact ?? 'no contact on record'}. Center: ${input.centerPhone}.\n\n` +
      `维修单 ${n} 已超过服务承诺期限（${input.dueOn}），尚未联系客户。状态：${input.state}。`,
  };
}
