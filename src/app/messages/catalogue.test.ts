import { describe, expect, it } from 'vitest';
import { type Catalogue, en } from './en.js';
import { bilingual, bilingualLines, dealerNameIn, phrase, secondApprovalText } from './index.js';
import { verificationMessage } from '../purchases/messages.js';
import { reimbursementReviewDeclinedMessage } from '../risk/messages.js';
import { zh } from './zh.js';

/*
 * The two catalogues hold the same entries, and every entry renders a finished text in both languages:
 * no fact left out (`undefined`, `null`, `NaN`, an object printed whole), and the Chinese one in
 * Chinese. The samples name every entry (a missing one is a type error) and reach every branch.
 */

type Samples<T> = {
  [K in keyof T as T[K] extends string ? never : K]: T[K] extends (...args: infer P) => unknown
    ? P[]
    : Samples<T[K]>;
};

/** One sample: an entry's single argument. */
const one = <T>(params: T): [T] => [params];

const customer = { customerName: 'Li Wei' };
const order = { orderNumber: 'PO-2026-0042' };

const samples: Omit<Samples<Catalogue>, 'words'> = {
  accounts: {
    invitation: [
      [{ role: 'dealer', until: '2026-12-10T08:00:00.000Z', link: 'http://x/accept-invitation?token=…' }],
    ],
    passwordReset: [[{ name: 'Li Wei', link: 'http://x/reset-password/…' }]],
    emailVerification: [[{ name: 'Li Wei', link: 'http://x/verify-email?token=…' }]],
    signInCeiling: [[{ name: 'Li Wei', failures: 20, withinMinutes: 15, resetLink: 'http://x/forgot' }]],
    signUpAttempt: [[{ name: 'Li Wei', signInLink: 'http://x/sign-in', resetLink: 'http://x/forgot' }]],
  },
  purchases: {
    verified: [
      [{ ...customer, product: 'Inverter', outcome: { kind: 'confirmed' } }],
      [{ ...customer, product: 'Inverter', outcome: { kind: 'corrected', purchaseDate: '2026-11-01' } }],
      [
        {
          ...customer,
          product: 'Inverter',
          outcome: { kind: 'corrected', purchaseDate: '2026-11-01', dealerName: 'Sunrise' },
        },
      ],
      [{ ...customer, product: 'Inverter', outcome: { kind: 'rejected', reason: 'unreadable receipt' } }],
    ],
  },
  claims: {
    received: [
      [
        {
          ...customer,
          reportedOn: '2026-11-25',
          choices: ['Clause 1(A)', 'Clause 1(B)'],
          link: 'http://x/t',
        },
      ],
    ],
    remedyChosen: [
      [{ ...customer, remedy: 'refund', dealer: { name: 'Sunrise', phone: '+86 10 1234 5678' } }],
      [{ ...customer, remedy: 'replacement', dealer: { name: 'Sunrise', phone: null } }],
      [{ ...customer, remedy: 'refund', dealer: null }],
      [{ ...customer, remedy: 'maintenance_order', dealer: null }],
      [{ ...customer, remedy: 'mail_in_repair', dealer: null }],
      [{ ...customer, remedy: 'service_center', dealer: null }],
      [{ ...customer, remedy: 'paid_service', dealer: null }],
    ],
  },
  dealerRemedies: {
    notOffered: [
      [{ kind: 'refund', day: 9, clause: 'Terminal clients 1(A): …' }],
      [{ kind: 'replacement', day: 61, clause: undefined }],
    ],
    refundSummary: [[{ dealerName: 'Sunrise', sku: 'INV-3K', claimRef: '9b04e56f' }]],
    refundDone: [
      [{ ...customer, dealerName: 'Sunrise', refund: 'CNY 299.00', performedOn: '2026-11-26' }],
      [{ ...customer, dealerName: 'Sunrise', refund: 'CNY 299.00' }],
    ],
    replacementDone: [
      [
        {
          ...customer,
          dealerName: 'Sunrise',
          serial: 'SN-1',
          purchaseDate: '2026-11-20',
          performedOn: '2026-11-26',
        },
      ],
    ],
    refundDecided: [
      [{ decision: 'approved', refund: 'CNY 299.00', claimId: 'c-1', reason: null }],
      [{ decision: 'rejected', refund: 'CNY 299.00', claimId: 'c-1', reason: 'no receipt' }],
    ],
  },
  reimbursements: {
    requested: [
      [
        {
          dealerName: 'Sunrise',
          kind: 'refund',
          claimId: 'c-1',
          performedOn: '2026-11-26',
          amount: 'CNY 299.00',
        },
      ],
      [
        {
          dealerName: 'Sunrise',
          kind: 'replacement',
          claimId: 'c-1',
          performedOn: '2026-11-26',
          amount: null,
        },
      ],
    ],
    firstApprovalSummary: [[{ dealerName: 'Sunrise', kind: 'refund', sku: 'INV-3K', claimRef: '9b04e56f' }]],
    decided: [
      [
        {
          decision: 'approved',
          kind: 'refund',
          performedOn: '2026-11-26',
          claimId: 'c-1',
          amount: 'CNY 299.00',
          reason: null,
        },
      ],
      [
        {
          decision: 'rejected',
          kind: 'replacement',
          performedOn: '2026-11-26',
          claimId: 'c-1',
          amount: '—',
          reason: 'duplicate',
        },
      ],
    ],
  },
  approvals: { secondNeeded: [[{ amount: 'CNY 12,000.00' }]] },
  risk: {
    reviewOpened: [
      [{ kind: 'claim', subjectId: 'c-1' }],
      [{ kind: 'reimbursement', subjectId: 'r-1' }],
      [{ kind: 'excess_resolution', subjectId: 'x-1' }],
    ],
    claimApproved: [[{ ...customer, claimId: 'c-1' }]],
    claimRejected: [[{ ...customer, claimId: 'c-1', reason: 'Four receipts from one shop in a week' }]],
    reimbursementDeclined: [[{ dealerName: 'Sunrise', reimbursementId: 'r-1', reason: 'no returned unit' }]],
  },
  maintenance: {
    issued: (['walk_in', 'mail_in'] as const).map((mode) => [
      {
        ...customer,
        number: 'MO-2026-000123',
        mode,
        center: 'Halotek Beijing Maintenance Office',
        address: 'Room 301, 8 Shangdi Information Road',
        phone: '+86 10 6298 7715',
        trackingUrl: 'http://x/track?token=…',
      },
    ]),
    moved: [
      ...(['received', 'paidService', 'repaired', 'returned'] as const).map((to) =>
        one({
          ...customer,
          number: 'MO-2026-000123',
          to,
          on: '2026-12-01',
          dueOn: '2026-12-08',
          returnTracking: 'SF1234567890',
          note: 'Water damage found',
          centerPhone: '+86 10 6298 7715',
        }),
      ),
      [
        {
          ...customer,
          number: 'MO-2026-000123',
          to: 'returned' as const,
          on: '2026-12-01',
          dueOn: null,
          returnTracking: null,
          note: null,
          centerPhone: '+86 10 6298 7715',
        },
      ],
    ],
    reminder: [true, false].map((missed) => [
      { ...customer, number: 'MO-2026-000123', dueOn: '2026-11-26', missed, centerPhone: '+86 10 6298 7715' },
    ]),
    missedEscalation: [null, 'li.wei@example.com'].map((customerContact) => [
      {
        ...customer,
        number: 'MO-2026-000123',
        orderId: 'm-1',
        dueOn: '2026-11-26',
        state: 'received',
        centerName: 'Halotek Beijing Maintenance Office',
        centerPhone: '+86 10 6298 7715',
        customerContact,
      },
    ]),
  },
  oem: {
    orderRequested: [
      [{ clientName: 'Voltex', ...order, quantity: 1000, sku: 'MOD-48', delivery: '2027-01-15' }],
    ],
    orderConfirmed: [
      [],
      [
        { kind: 'units', units: 4 },
        { kind: 'amount', amount: 'CNY 1,800.00' },
      ],
    ].map((credits) => [
      {
        ...order,
        quantity: 1000,
        sku: 'MOD-48',
        unitPrice: 'CNY 180.00',
        spareUnits: 4,
        spareRate: '0.40 %',
        delivery: '2027-01-15',
        credits: credits as { kind: 'units'; units: number }[],
      },
    ]),
    orderDeclined: [[{ ...order, reason: 'capacity' }]],
    defectsAwaitingReview: [[{ ...order, clientName: 'Voltex', awaiting: 3, allowance: 4 }]],
    lotNumbers: [
      [
        {
          defects: 12,
          unitsShipped: 1000,
          rate: '1.20 %',
          lower: '0.69 %',
          upper: '2.08 %',
          spareRate: '0.40 %',
          orders: 2,
          clients: 1,
        },
      ],
    ],
    lotFlagged: [[{ lot: 'L-7', sku: 'MOD-48', product: 'Charger module', numbers: '12 / 1000' }]],
    returnRequested: [[{ ...order, rmaNumber: 'RMA-1', units: 3, reportedOn: '2026-11-20', lot: 'L-7' }]],
    excessAccepted: [[{ ...order, allowance: 4, excess: 2 }]],
    excessAcceptedForSales: [[{ ...order, clientName: 'Voltex', allowance: 4, excess: 2 }]],
    defectsRejected: [
      [{ ...order, rejected: 1, units: 3, reportedOn: '2026-11-20', lot: 'L-7', reason: 'no evidence' }],
      [{ ...order, rejected: 1, units: 3, reportedOn: '2026-11-20', lot: 'L-7', reason: null }],
    ],
    excessResolved: [],
    excessResolvedForSales: [],
    creditSummary: [[{ amount: 'CNY 360.00', units: 2, orderRef: '1a2b3c4d' }]],
    remakeOrdered: (['air', 'sea'] as const).map((mode) => [
      {
        remakeNumber: 'RMK-2026-0001',
        ...order,
        lot: 'L-7',
        rootCause: 'production',
        units: 12,
        totalUnits: 12,
        mode,
      },
    ]),
    shipped: (['remake', 'replacement'] as const).flatMap((what) =>
      (['air', 'road'] as const).map((mode) =>
        one({
          what,
          number: 'RPL-2026-0001',
          ...order,
          units: 1,
          shippedOn: '2026-12-01',
          mode,
          carrier: 'SF Express',
          waybill: '160-12345675',
        }),
      ),
    ),
    delivered: [
      [
        {
          what: 'replacement',
          number: 'RPL-2026-0001',
          ...order,
          units: 2,
          deliveredOn: '2026-12-03',
          carrier: 'SF Express',
          waybill: 'SF1',
        },
      ],
    ],
  },
  conversations: {
    staffReplied: [
      [
        {
          ...customer,
          number: 'M-7K3Q-9XJD',
          product: 'DC power panel',
          text: 'It is repaired.',
          attachments: 0,
        },
      ],
      [{ ...customer, number: null, product: 'headset', text: 'Please send a photo.', attachments: 2 }],
    ],
  },
  satisfaction: {
    ratingRequest: [
      [
        {
          ...customer,
          about: 'your maintenance order M-7K3Q-9XW2',
          ratingUrl: 'http://x/rate?token=…',
          expiresOn: '2027-01-02',
        },
      ],
    ],
    aboutOrder: [[{ number: 'M-7K3Q-9XW2' }]],
    aboutRemedy: [[{ kind: 'refund' }], [{ kind: 'replacement' }]],
  },
  webhooks: {
    endpointDisabled: [
      [
        {
          url: 'https://erp.example.com/hooks',
          failingSince: '2026-11-22T04:00:00.000Z',
          lastError: 'HTTP 500',
        },
      ],
    ],
  },
};

const choices = [
  { kind: 'replacement_shipment', units: 2, shipmentNumber: 'RPL-2026-0001' },
  { kind: 'units_credit', units: 2, sku: 'MOD-48' },
  { kind: 'amount_credit', amount: 'CNY 360.00' },
] as const;
samples.oem.excessResolved = choices.map((choice) => [{ ...order, clientName: 'Voltex', choice }]);
samples.oem.excessResolvedForSales = samples.oem.excessResolved;

type Tree = { [key: string]: Tree | string | ((...args: never[]) => unknown) };

/** Every path to an entry, "area.entry" or "words.table.key". */
function paths(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' ? paths(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

function at(tree: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);
}

/** What an entry renders: a phrase, or a message's subject and body. */
function texts(rendered: unknown): string[] {
  if (typeof rendered === 'string') return [rendered];
  const mail = rendered as { subject: unknown; body: unknown };
  expect(Object.keys(mail).sort()).toEqual(['body', 'subject']);
  expect(typeof mail.subject).toBe('string');
  expect(typeof mail.body).toBe('string');
  return [mail.subject as string, mail.body as string];
}

const leftOut = /undefined|null|NaN|\[object Object\]/;
const chinese = /[\u4e00-\u9fff]/;

describe('the message catalogues', () => {
  const entries = paths(en);

  it('hold the same entries in English and Chinese', () => {
    expect(paths(zh as unknown as Tree).sort()).toEqual([...entries].sort());
  });

  it('render every entry with every sample, no fact left out, the Chinese one in Chinese', () => {
    for (const path of entries) {
      const english = at(en, path);
      const chineseEntry = at(zh, path);
      if (typeof english === 'string') {
        expect(english.trim(), path).not.toBe('');
        expect(chineseEntry, path).toMatch(chinese);
        continue;
      }
      const cases = at(samples, path) as unknown[][] | undefined;
      expect(cases?.length, `${path} has no sample`).toBeGreaterThan(0);
      for (const args of cases ?? []) {
        const call = (fn: unknown) => (fn as (...a: unknown[]) => unknown)(...args);
        for (const text of texts(call(english))) {
          expect(text.trim(), path).not.toBe('');
          expect(text, path).not.toMatch(leftOut);
        }
        for (const text of texts(call(chineseEntry))) {
          expect(text.trim(), path).not.toBe('');
          expect(text, path).not.toMatch(leftOut);
          expect(text, path).toMatch(chinese);
        }
      }
    }
  });

  it('name every table entry in both languages', () => {
    for (const path of entries.filter((p) => p.startsWith('words.'))) {
      expect(at(zh, path), path).toMatch(chinese);
    }
  });
});

describe('putting the words together', () => {
  it('writes the outbox text as the house does: "English — 中文", English body, blank line, Chinese body', () => {
    const text = bilingual((m) => m.oem.orderDeclined({ orderNumber: 'PO-1', reason: 'capacity' }));
    expect(text).toEqual({
      subject: 'OEM order PO-1 declined — OEM 订单 PO-1 未被接受',
      body: 'Order PO-1 was declined: capacity\n\n订单 PO-1 未被接受：capacity',
    });
  });

  it('hands a fact named per language its own name', () => {
    const product = { en: 'Inverter', zh: '逆变器' };
    const text = bilingual((m, lang) =>
      m.purchases.verified({
        customerName: 'Li Wei',
        product: product[lang],
        outcome: { kind: 'confirmed' },
      }),
    );
    expect(text.body).toContain('your Inverter was checked');
    expect(text.body).toContain('您的逆变器的购买凭证');
    expect(text.body).not.toContain('逆变器 was');
  });

  it('keeps an approval summary one language a line, and the second-approval request as it was', () => {
    const summary = bilingualLines((m) =>
      m.dealerRemedies.refundSummary({ dealerName: 'Sunrise', sku: 'INV-3K', claimRef: '9b04e56f' }),
    );
    expect(summary).toBe(
      'Sunrise: a refund of INV-3K at the counter (claim 9b04e56f).\nSunrise：INV-3K 柜台退款（报修 9b04e56f）。',
    );
    expect(secondApprovalText(summary, 'CNY 12,000.00')).toEqual({
      subject: 'Second approval needed: CNY 12,000.00 — 需要第二人审批',
      body: `${summary}\n\nAmount / 金额: CNY 12,000.00. A second person must approve or reject it. 需由第二人批准或驳回。`,
    });
  });

  it('names a dealer in Chinese in the Chinese text where the maker gave a Chinese name', () => {
    const sunrise = { name: 'Sunrise Power', nameZh: '日升电源' };
    expect(dealerNameIn(sunrise, 'en')).toBe('Sunrise Power');
    expect(dealerNameIn(sunrise, 'zh')).toBe('日升电源');
    expect(dealerNameIn({ name: 'Sunrise Power', nameZh: null }, 'zh')).toBe('Sunrise Power');
    const corrected = verificationMessage(
      'Li Wei',
      { en: 'Inverter', zh: '逆变器' },
      { kind: 'corrected', purchaseDate: '2026-11-01', dealer: sunrise },
    );
    const [english, chinese] = corrected.body.split('\n\n');
    expect(english).toContain('Sunrise Power');
    expect(english).not.toContain('日升电源');
    expect(chinese).toContain('日升电源');
    expect(chinese).not.toContain('Sunrise Power');
    const declined = reimbursementReviewDeclinedMessage({
      dealer: sunrise,
      reimbursementId: 'r-1',
      reason: 'x',
    });
    expect(declined.body.split('\n\n')[1]).toContain('日升电源：');
    const summary = bilingualLines((m, lang) =>
      m.dealerRemedies.refundSummary({
        dealerName: dealerNameIn(sunrise, lang),
        sku: 'INV-3K',
        claimRef: 'c',
      }),
    );
    expect(summary).toBe(
      'Sunrise Power: a refund of INV-3K at the counter (claim c).\n日升电源：INV-3K 柜台退款（报修 c）。',
    );
  });

  it('answers a refusal in the language the request asked for', () => {
    const refusal = (lang: 'en' | 'zh') =>
      phrase(lang, (m) => m.dealerRemedies.notOffered({ kind: 'refund', day: 9, clause: undefined })).trim();
    expect(refusal('en')).toBe(
      'A dealer refund is not offered for this claim (reported on day 9 after purchase).',
    );
    expect(refusal('zh')).toBe('此报修不可由经销商退款（报修时为购买后第 9 天）。');
  });
});
