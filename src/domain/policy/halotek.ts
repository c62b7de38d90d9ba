import type { Clause, PolicyVersion, RemedyRule } from './schema.js';

/*
 * Halotek's published support policy (shared/seed/support-policy.txt), as data. The English follows
 * the published page with its grammar mended; the Chinese is the policy as a Chinese reader expects
 * to read it. Clause ids are stable: later versions keep an id when they keep the clause's meaning.
 */

const endUserLabel = (n: number, letter?: string): Clause['label'] => ({
  en: letter ? `Terminal clients ${n}(${letter})` : `Terminal clients ${n}`,
  zh: letter ? `终端客户第 ${n} 条（${letter}）` : `终端客户第 ${n} 条`,
});

const oemLabel = (n?: number): Clause['label'] =>
  n === undefined
    ? { en: 'OEM orders', zh: 'OEM 订单' }
    : { en: `OEM orders ${n}`, zh: `OEM 订单第 ${n} 条` };

const refundAtDealer: RemedyRule = {
  code: 'refund',
  performedBy: 'dealer',
  costBearer: 'maker',
  clause: {
    id: 'end_user.7_days.refund',
    label: endUserLabel(1, 'A'),
    text: {
      en: 'Go to the dealer who sold you the product and ask for a full refund.',
      zh: '到购买产品的经销商处申请全额退款。',
    },
  },
};

const replacementAtDealer = (windowNo: number, letter: string, id: string): RemedyRule => ({
  code: 'replacement',
  performedBy: 'dealer',
  costBearer: 'maker',
  clause: {
    id,
    label: endUserLabel(windowNo, letter),
    text: {
      en: 'Go to the dealer who sold you the product and exchange it for a new product of the same type.',
      zh: '到购买产品的经销商处更换同型号的新产品。',
    },
  },
});

const serviceCenterContact = (windowNo: number, letter: string, id: string): RemedyRule => ({
  code: 'service_center',
  performedBy: 'service_center',
  costBearer: 'maker',
  clause: {
    id,
    label: endUserLabel(windowNo, letter),
    text: {
      en: 'Contact the Halotek service center directly for help.',
      zh: '直接联系 Halotek 售后服务中心寻求帮助。',
    },
  },
});

const paidService = (id: string, label: Clause['label']): RemedyRule => ({
  code: 'paid_service',
  performedBy: 'sales',
  costBearer: 'customer',
  clause: {
    id,
    label,
    text: {
      en: 'Choose paid service: call our sales team to get help from our engineers.',
      zh: '选择有偿服务：致电销售人员，寻求工程师的帮助。',
    },
  },
});

export const halotekPolicyV1: PolicyVersion = {
  id: 'halotek-2018-01',
  effectiveFrom: '2018-01-01',
  maker: 'Halotek',
  storeTimeZone: 'Asia/Shanghai',
  title: { en: 'Contact & Support', zh: '联系与支持' },
  intro: {
    en: 'If you have worked with Halotek, the following guide is very important to protect your interests.',
    zh: '如果您与 Halotek 有过合作，以下指引对保障您的权益非常重要。',
  },
  oem: {
    heading: { en: 'OEM orders', zh: 'OEM 订单' },
    spares: {
      id: 'oem.spares',
      label: oemLabel(),
      text: {
        en: 'For OEM orders we usually make 0.3 %–0.5 % extra products as spare parts.',
        zh: 'OEM 订单通常按订单数量的 0.3%–0.5% 额外生产产品作为备品。',
      },
    },
    spareRateBps: { min: 30, max: 50 },
    defectWindow: { years: 1 },
    excess: {
      id: 'oem.excess',
      label: oemLabel(1),
      text: {
        en: 'If the defective products exceed this quantity within one year, we replace them with new products or reduce the amount of your next order.',
        zh: '一年内不良品数量超出备品数量的，我们将以新产品更换，或在下一笔订单中抵扣相应金额。',
      },
    },
    excessRemedies: [
      { code: 'replacement_shipment', name: { en: 'Replacement with new products', zh: '新品更换' } },
      { code: 'next_order_credit', name: { en: 'Credit on the next order', zh: '下单抵扣' } },
    ],
    batchDefect: {
      clause: {
        id: 'oem.batch_defect',
        label: oemLabel(2),
        text: {
          en: 'If products are defective as a batch because of production or electrical problems, we make new products, send them to you by air and bear the total cost ourselves.',
          zh: '因生产或电气问题造成批量不良的，我们将重新生产新产品并空运给客户，全部费用由我方承担。',
        },
      },
      coveredRootCauses: ['production', 'electrical'],
      shipping: 'air',
      costBearer: 'maker',
    },
  },
  endUser: {
    heading: { en: 'Terminal clients', zh: '终端客户' },
    intro: {
      en: 'As a terminal client, you can follow the guide below to protect your rights.',
      zh: '终端客户可按以下指引维护自身权益。',
    },
    windows: [
      {
        code: '7_days',
        within: { days: 7 },
        heading: {
          id: 'end_user.7_days',
          label: endUserLabel(1),
          text: {
            en: 'A quality problem within 7 days of purchase. You can choose:',
            zh: '购买产品后 7 天内出现质量问题，用户可以选择：',
          },
        },
        remedies: [
          refundAtDealer,
          replacementAtDealer(1, 'B', 'end_user.7_days.replacement'),
          serviceCenterContact(1, 'C', 'end_user.7_days.service_center'),
        ],
      },
      {
        code: '60_days',
        within: { days: 60 },
        heading: {
          id: 'end_user.60_days',
          label: endUserLabel(2),
          text: {
            en: 'A quality problem within 60 days of purchase. You can choose:',
            zh: '购买产品后 60 天内出现质量问题，用户可以选择：',
          },
        },
        remedies: [
          replacementAtDealer(2, 'A', 'end_user.60_days.replacement'),
          serviceCenterContact(2, 'B', 'end_user.60_days.service_center'),
        ],
      },
      {
        code: '1_year',
        within: { years: 1 },
        heading: {
          id: 'end_user.1_year',
          label: endUserLabel(3),
          text: {
            en: 'A quality problem more than 60 days but still within one year of purchase. You can choose:',
            zh: '购买产品超过 60 天、但仍在一年内出现质量问题，用户可以选择：',
          },
        },
        remedies: [
          {
            code: 'maintenance_order',
            performedBy: 'service_center',
            costBearer: 'maker',
            clause: {
              id: 'end_user.1_year.maintenance_order',
              label: endUserLabel(3, 'A'),
              text: {
                en: 'Our staff at once issue you a maintenance order at the nearest after-sales service center and give you a maintenance number; you need no repair slip and can bring the product to the service point.',
                zh: '工作人员第一时间为用户开具最近售后服务中心的维修单，并告知维修单号；无需维修单据，即可将产品送至服务网点。',
              },
            },
          },
          {
            code: 'mail_in_repair',
            performedBy: 'service_center',
            costBearer: 'maker',
            clause: {
              id: 'end_user.1_year.mail_in_repair',
              label: endUserLabel(3, 'B'),
              text: {
                en: 'Send the faulty parts to the nearest maintenance office. The after-sales service time counts from the day the service center receives them; we contact you within the committed service period and send the repaired product back.',
                zh: '可将故障部件寄至最近的维修点，售后服务时间自服务中心签收之日起计算；公司将在承诺的售后服务期限内与用户联系，并将修好的产品寄回。',
              },
            },
          },
        ],
      },
    ],
    outOfWarranty: {
      heading: {
        id: 'end_user.out_of_warranty',
        label: endUserLabel(4),
        text: {
          en: 'The product fails after the warranty period.',
          zh: '产品超出保修期后出现故障。',
        },
      },
      remedies: [paidService('end_user.out_of_warranty.paid_service', endUserLabel(4))],
    },
    humanDamage: {
      heading: {
        id: 'end_user.human_damage',
        label: endUserLabel(4),
        text: {
          en: 'The product fails because of damage caused by misuse.',
          zh: '因人为损坏导致产品故障。',
        },
      },
      remedies: [paidService('end_user.human_damage.paid_service', endUserLabel(4))],
    },
  },
  serviceCommitmentDays: 7,
};

/**
 * A replacement at the dealer carries on the original purchase: the new unit has what is left of its
 * warranty, counted from the day of purchase (issue 14). The clause keeps its id and meaning; the
 * sentence says what the exchange always meant, so customers are not surprised.
 */
const REPLACEMENT_KEEPS_WARRANTY = {
  en: ' The new product carries the remaining warranty of your original purchase: the warranty period does not start again.',
  zh: '新产品沿用原购买日期起算的剩余保修期，保修期不重新计算。',
} as const;

function withReplacementWarranty(rule: RemedyRule): RemedyRule {
  if (rule.code !== 'replacement') return rule;
  return {
    ...rule,
    clause: {
      ...rule.clause,
      text: {
        en: rule.clause.text.en + REPLACEMENT_KEEPS_WARRANTY.en,
        zh: rule.clause.text.zh + REPLACEMENT_KEEPS_WARRANTY.zh,
      },
    },
  };
}

/** From December 2026: version 1 with the replacement clauses saying the warranty carries on. */
export const halotekPolicyV2: PolicyVersion = {
  ...halotekPolicyV1,
  id: 'halotek-2026-12',
  effectiveFrom: '2026-12-01',
  endUser: {
    ...halotekPolicyV1.endUser,
    windows: halotekPolicyV1.endUser.windows.map((w) => ({
      ...w,
      remedies: w.remedies.map(withReplacementWarranty),
    })),
  },
};

/** The versions this product ships with, oldest first. Admins add later ones as data. */
export const builtInPolicyVersions: readonly PolicyVersion[] = [halotekPolicyV1, halotekPolicyV2];
