import type { InvitableRole } from '../../domain/access/access.js';
import type { MaintenanceMode } from '../../domain/maintenance/state-machine.js';
import type { ShipmentKind, ShippingMode } from '../../domain/oem/shipment.js';
import type { RemedyCode } from '../../domain/policy/schema.js';
import type { RiskSubjectKind } from '../../domain/risk/signals.js';

/*
 * The server's English words: every sentence a person reads in a message the server writes (e-mails to
 * customers, dealers and OEM clients, staff role inboxes, approval summaries, refusals given in the
 * reader's language). Use cases pass facts — names, numbers, amounts already formatted (formatMoney),
 * dates as they are stored — and never build a sentence themselves. zh.ts is typed against this one, so
 * an entry missing or taking other facts there is a type error; index.ts puts the two together.
 */

/** A message: what its subject line says and what its body says, in one language. */
export type Mail = { subject: string; body: string };

/** The maintenance moves a customer hears about: the rest are the center's business. */
export type NotifiedMove = 'received' | 'paidService' | 'repaired' | 'returned';

export type DealerRemedyKind = 'refund' | 'replacement';
export type Decision = 'approved' | 'rejected';

export type VerificationOutcome =
  | { kind: 'confirmed' }
  | { kind: 'corrected'; purchaseDate?: string | undefined; dealerName?: string | undefined }
  | { kind: 'rejected'; reason: string };

/** An earlier order's credit taken by a new order: units free of charge, or an amount off. */
export type AppliedCredit = { kind: 'units'; units: number } | { kind: 'amount'; amount: string };

/** What an OEM client chose for the defects beyond its spares. */
export type ExcessChoice =
  | { kind: 'replacement_shipment'; units: number; shipmentNumber: string }
  | { kind: 'units_credit'; units: number; sku: string }
  | { kind: 'amount_credit'; amount: string };

// Lookup tables: the names of things, as a sentence uses them.

const roles: Record<InvitableRole, string> = {
  admin: 'administrator',
  support: 'support agent',
  qa: 'quality assurance',
  sales: 'sales',
  dealer: 'dealer',
  technician: 'technician',
  oem: 'OEM client',
};

const remedyKinds: Record<DealerRemedyKind, string> = { refund: 'refund', replacement: 'replacement' };

const shippingModes: Record<ShippingMode, string> = { air: 'by air', sea: 'by sea', road: 'by road' };

/** A reimbursement decided (by one agent, or by the second pair of eyes). */
const reimbursementDecisions: Record<Decision, string> = { approved: 'approved', rejected: 'rejected' };

/** A dealer refund that waited for support: a refund is "not approved" rather than "rejected". */
const refundDecisions: Record<Decision, string> = { approved: 'approved', rejected: 'not approved' };

const riskSubjects: Record<RiskSubjectKind, string> = {
  claim: 'a claim',
  reimbursement: 'a dealer reimbursement',
  excess_resolution: 'an OEM credit',
};

const shipments = (what: ShipmentKind, number: string) =>
  what === 'remake' ? `Remake ${number}` : `Replacement shipment ${number}`;

const units = (n: number) => `${n} new unit${n === 1 ? '' : 's'}`;

/** What to do next, for the remedy the customer chose; `where` is the dealer to go to, if known. */
const nextSteps: Record<RemedyCode, (where: string) => string> = {
  refund: (where: string) => `You chose a full refund. Take the product and your receipt to ${where}.`,
  replacement: (where: string) =>
    `You chose a new product of the same type. Take the product and your receipt to ${where}.`,
  maintenance_order: () =>
    'You chose a maintenance order. Next step: we issue it at the service center nearest to you and give you its maintenance number.',
  mail_in_repair: () =>
    'You chose mail-in repair. Next step: a maintenance order tells you which maintenance office to send the faulty parts to; the service commitment counts from the day they receive them.',
  service_center: () => 'You chose to be helped by our service center, which will contact you.',
  paid_service: () =>
    'You chose paid service. Our sales team will contact you with a quote before any work is done.',
};

const excessChoices = (c: ExcessChoice) =>
  c.kind === 'replacement_shipment'
    ? `a replacement shipment of ${c.units} new units (${c.shipmentNumber})`
    : c.kind === 'units_credit'
      ? `a credit of ${c.units} units on the next order of ${c.sku}`
      : `a credit of ${c.amount} on the next order`;

const excessAcceptedBody = (p: { orderNumber: string; allowance: number; excess: number }) =>
  `QA accepted defects on order ${p.orderNumber} beyond its ${p.allowance} spare units: ${p.excess} units in all. ` +
  `Choose a replacement shipment of new units or a credit on your next order.`;

const excessResolvedBody = (p: { orderNumber: string; clientName: string; choice: ExcessChoice }) =>
  `For the excess defects of order ${p.orderNumber}, ${p.clientName} chose ${excessChoices(p.choice)}.` +
  (p.choice.kind === 'replacement_shipment' ? '' : ' It is applied when the next order is booked.');

export const en = {
  words: { roles, remedyKinds, shippingModes, reimbursementDecisions, refundDecisions, riskSubjects },

  accounts: {
    invitation: (p: { role: InvitableRole; until: string; link: string }): Mail => ({
      subject: 'Your invitation to Halotek after-sales service',
      body:
        `You are invited to join Halotek after-sales service as ${roles[p.role]}.\n` +
        `Choose your name and password here (the link works once, until ${p.until}):\n${p.link}`,
    }),
    passwordReset: (p: { name: string; link: string }): Mail => ({
      subject: 'Reset your password',
      body:
        `Hello ${p.name},\nsomeone asked to reset your password. If it was you, choose a new one here:\n${p.link}\n` +
        `If it was not you, ignore this message; your password stays as it is.`,
    }),
    emailVerification: (p: { name: string; link: string }): Mail => ({
      subject: 'Confirm your e-mail address',
      body: `Hello ${p.name},\nconfirm your e-mail address to see your purchases and claims:\n${p.link}`,
    }),
    /** The owner of an address whose sign-in ceiling closed: strangers are guessing the password. */
    signInCeiling: (p: {
      name: string;
      failures: number;
      withinMinutes: number;
      resetLink: string;
    }): Mail => ({
      subject: 'Many wrong passwords for your account',
      body:
        `Hello ${p.name},\nthere were ${p.failures} wrong passwords for your account within ${p.withinMinutes} minutes, ` +
        `so sign-in from new devices is paused for a while. Devices you have signed in from before still work.\n` +
        `If this was not you, someone may be guessing your password: choose a long one that you use nowhere else:\n${p.resetLink}`,
    }),
    /**
     * Someone tried to sign up with an address that already has an account. Sign-up answers the same
     * either way (so it tells nobody which addresses have accounts); the owner hears of it here instead.
     */
    signUpAttempt: (p: { name: string; signInLink: string; resetLink: string }): Mail => ({
      subject: 'You already have an account',
      body:
        `Hello ${p.name},\nsomeone asked to sign up with this address, which already has an account. ` +
        `If it was you, sign in here:\n${p.signInLink}\nForgot your password? Choose a new one here:\n${p.resetLink}\n` +
        `If it was not you, ignore this message; nothing has changed.`,
    }),
  },

  purchases: {
    /** What a customer is told when their registration is checked; `product` is its name in this language. */
    verified: (p: { customerName: string; product: string; outcome: VerificationOutcome }): Mail => {
      const { customerName, product, outcome } = p;
      switch (outcome.kind) {
        case 'confirmed':
          return {
            subject: 'Your purchase is confirmed',
            body: `Dear ${customerName}, the proof of purchase of your ${product} was checked and your purchase is confirmed. Your warranty applies in full.`,
          };
        case 'corrected': {
          const facts = [
            outcome.purchaseDate ? `purchase date ${outcome.purchaseDate}` : undefined,
            outcome.dealerName ? `dealer ${outcome.dealerName}` : undefined,
          ]
            .filter(Boolean)
            .join(', ');
          return {
            subject: 'Your purchase is confirmed, corrected',
            body: `Dear ${customerName}, the proof of purchase of your ${product} was checked and your purchase is confirmed as the proof shows it: ${facts}. Your warranty counts from that day.`,
          };
        }
        case 'rejected':
          return {
            subject: 'Your product registration was not accepted',
            body: `Dear ${customerName}, the proof of purchase of your ${product} could not be accepted: ${outcome.reason}\nReply to this message or contact support with a clearer proof.`,
          };
      }
    },
  },

  claims: {
    /** `choices` are the offered remedies, each quoted from the policy in this language. */
    received: (p: {
      customerName: string;
      reportedOn: string;
      choices: readonly string[];
      link: string;
    }): Mail => ({
      subject: 'We received your report',
      body:
        `Dear ${p.customerName}, we received your report of ${p.reportedOn}. You can choose:\n` +
        `${p.choices.map((c) => `• ${c}`).join('\n')}\n\nFollow it here: ${p.link}`,
    }),
    /** What happens next for the remedy the customer chose; the dealer to go to, if the sale has one. */
    remedyChosen: (p: {
      customerName: string;
      remedy: RemedyCode;
      dealer: { name: string; phone: string | null } | null;
    }): Mail => {
      const where = p.dealer
        ? `${p.dealer.name}${p.dealer.phone ? ` (phone ${p.dealer.phone})` : ''}`
        : 'the dealer who sold it to you';
      return {
        subject: 'Your choice for your report',
        body: `Dear ${p.customerName}, ${nextSteps[p.remedy](where)}`,
      };
    },
  },

  dealerRemedies: {
    /** The refusal when the claim's decision does not offer this remedy at the counter; `clause` is quoted. */
    notOffered: (p: { kind: DealerRemedyKind; day: number; clause: string | undefined }) =>
      `A dealer ${remedyKinds[p.kind]} is not offered for this claim (reported on day ${p.day} after purchase). ${p.clause ?? ''}`,
    /** The approval summary of a counter refund that waits for support. */
    refundSummary: (p: { dealerName: string; sku: string; claimRef: string }) =>
      `${p.dealerName}: a refund of ${p.sku} at the counter (claim ${p.claimRef}).`,
    refundDone: (p: {
      customerName: string;
      dealerName: string;
      refund: string;
      performedOn?: string;
    }): Mail => ({
      subject: 'Your refund is done',
      body: `Dear ${p.customerName}, ${p.dealerName} gave you a refund of ${p.refund}${p.performedOn ? ` on ${p.performedOn}` : ''}. Your claim is resolved.`,
    }),
    /** The new unit keeps the warranty of the purchase: a replacement does not start it again. */
    replacementDone: (p: {
      customerName: string;
      dealerName: string;
      serial: string;
      purchaseDate: string;
      performedOn: string;
    }): Mail => ({
      subject: 'Your replacement is done',
      body:
        `Dear ${p.customerName}, ${p.dealerName} gave you a new unit of the same type (serial ${p.serial}). ` +
        `It carries the remaining warranty of your purchase of ${p.purchaseDate}: the warranty does not start again on ${p.performedOn}. Your claim is resolved.`,
    }),
    /** To the dealer when support decided a refund that waited; the reason only when refused. */
    refundDecided: (p: {
      decision: Decision;
      refund: string;
      claimId: string;
      reason: string | null;
    }): Mail => ({
      subject: `Refund ${refundDecisions[p.decision]}`,
      body: `The refund of ${p.refund} on claim ${p.claimId} was ${refundDecisions[p.decision]} by support.${p.reason ? ` Reason: ${p.reason}` : ''}`,
    }),
  },

  reimbursements: {
    /** To support's inbox: a dealer carried out a remedy and asks to be paid back (`amount` null: none given). */
    requested: (p: {
      dealerName: string;
      kind: DealerRemedyKind;
      claimId: string;
      performedOn: string;
      amount: string | null;
    }): Mail => ({
      subject: `Reimbursement to decide: ${p.dealerName}`,
      body: `${p.dealerName} performed a ${remedyKinds[p.kind]} on claim ${p.claimId} on ${p.performedOn} and asks to be reimbursed: ${p.amount ?? 'no amount'}.`,
    }),
    /** The approval summary of a reimbursement one agent approved above the threshold. */
    firstApprovalSummary: (p: {
      dealerName: string;
      kind: DealerRemedyKind;
      sku: string;
      claimRef: string;
    }) =>
      `${p.dealerName}: reimbursement for a ${remedyKinds[p.kind]} of ${p.sku} (claim ${p.claimRef}), approved once.`,
    /** To the dealer, decided once or by the second pair of eyes: final either way. */
    decided: (p: {
      decision: Decision;
      kind: DealerRemedyKind;
      performedOn: string;
      claimId: string;
      amount: string;
      reason: string | null;
    }): Mail => ({
      subject: `Reimbursement ${reimbursementDecisions[p.decision]}`,
      body:
        `Your reimbursement request for the ${remedyKinds[p.kind]} of ${p.performedOn} (claim ${p.claimId}, ${p.amount}) was ${reimbursementDecisions[p.decision]}.` +
        (p.reason ? ` Reason: ${p.reason}` : ''),
    }),
  },

  approvals: {
    /** To the inbox of the role that gives the second approval; the body follows the request's summary. */
    secondNeeded: (p: { amount: string }): Mail => ({
      subject: `Second approval needed: ${p.amount}`,
      body: 'A second person must approve or reject it.',
    }),
    amount: 'Amount',
  },

  /*
   * About a review: never which rule raised it. The party is told that a person checks, and the reason
   * when declined.
   */
  risk: {
    /** To the reviewers' inbox (`role:support` / `role:qa`) when something new waits. */
    reviewOpened: (p: { kind: RiskSubjectKind; subjectId: string }): Mail => ({
      subject: `To review before it pays out: ${riskSubjects[p.kind]}`,
      body: `A fraud signal held ${riskSubjects[p.kind]} (${p.subjectId}) before anything was paid out on it. Open the review queue to approve it or decline it with a reason.`,
    }),
    /** To the customer when support has checked a held claim. */
    claimApproved: (p: { customerName: string; claimId: string }): Mail => ({
      subject: 'Your claim has been checked',
      body: `Dear ${p.customerName}, we have checked your claim (${p.claimId}) and you can go ahead with the remedy you chose.`,
    }),
    claimRejected: (p: { customerName: string; claimId: string; reason: string | null }): Mail => ({
      subject: 'About your claim',
      body: `Dear ${p.customerName}, we have checked your claim (${p.claimId}) and cannot carry out a free remedy on it. Reason: ${p.reason ?? ''}\nIf you think this is wrong, reply with your proof of purchase.`,
    }),
    /** To the dealer when a held reimbursement is declined: it is then declined as a reimbursement too. */
    reimbursementDeclined: (p: { dealerName: string; reimbursementId: string; reason: string }): Mail => ({
      subject: 'Reimbursement declined after review',
      body: `${p.dealerName}: your reimbursement request ${p.reimbursementId} was reviewed and declined. Reason: ${p.reason}`,
    }),
  },

  maintenance: {
    /** `center` is the service center's name in this language; the tracking link is shown without its secret. */
    issued: (p: {
      customerName: string;
      number: string;
      mode: MaintenanceMode;
      center: string;
      address: string;
      phone: string;
      trackingUrl: string;
    }): Mail => {
      const whatToDo =
        p.mode === 'walk_in'
          ? `Please bring the product, with this maintenance number, to ${p.center}, ${p.address}.`
          : `Please send the bad parts, marked with this maintenance number, to ${p.center}, ${p.address}. The committed service period starts on the day they receive them.`;
      return {
        subject: `Maintenance order ${p.number}`,
        body:
          `Dear ${p.customerName}, your maintenance order number is ${p.number}.\n${whatToDo}\n` +
          `Phone: ${p.phone}\nFollow your repair here: ${p.trackingUrl}`,
      };
    },
    moved: (p: {
      customerName: string;
      number: string;
      to: NotifiedMove;
      on: string;
      dueOn: string | null;
      returnTracking: string | null;
      note: string | null;
      centerPhone: string;
    }): Mail => {
      const [what, headline] = ((): [string, string] => {
        switch (p.to) {
          case 'received':
            return [
              `We received your product on ${p.on}. We will contact you and return it repaired by ${p.dueOn ?? p.on}.`,
              'received',
            ];
          case 'paidService':
            return [
              'Inspection found damage caused by misuse, which the warranty does not cover. A quote for a paid repair follows; nothing is repaired until you accept it.',
              'damage caused by misuse',
            ];
          case 'repaired':
            return [`Your product was repaired on ${p.on}; we will send it back shortly.`, 'repaired'];
          case 'returned':
            return p.returnTracking
              ? [`Your product was sent back on ${p.on}, tracking number ${p.returnTracking}.`, 'sent back']
              : [`Your product is ready and was handed back on ${p.on}.`, 'returned'];
        }
      })();
      const note = p.note ? `\nNote from the service center: ${p.note}` : '';
      return {
        subject: `Maintenance order ${p.number}: ${headline}`,
        body: `Dear ${p.customerName}, about maintenance order ${p.number}: ${what}${note}\nQuestions: ${p.centerPhone}`,
      };
    },
    reminder: (p: {
      customerName: string;
      number: string;
      dueOn: string;
      missed: boolean;
      centerPhone: string;
    }): Mail => {
      const what = p.missed
        ? `We committed to contact you about your repair by ${p.dueOn} and are late. We apologise: our support team has been told and will make sure you hear from us at once.`
        : `Your repair is due by ${p.dueOn}. The service center will contact you before then.`;
      return {
        subject: `Maintenance order ${p.number}: due by ${p.dueOn}`,
        body: `Dear ${p.customerName}, about maintenance order ${p.number}: ${what}\nQuestions: ${p.centerPhone}`,
      };
    },
    /** To support's inbox: the commitment passed and nobody contacted the customer. */
    missedEscalation: (p: {
      number: string;
      orderId: string;
      dueOn: string;
      state: string;
      centerName: string;
      centerPhone: string;
      customerName: string;
      customerContact: string | null;
    }): Mail => ({
      subject: `Missed service commitment: ${p.number}`,
      body:
        `Maintenance order ${p.number} (${p.orderId}) at ${p.centerName} was due by ${p.dueOn} and the customer has not been contacted. ` +
        `State: ${p.state}. Customer: ${p.customerName}, ${p.customerContact ?? 'no contact on record'}. Center: ${p.centerPhone}.`,
    }),
  },

  oem: {
    orderRequested: (p: {
      clientName: string;
      orderNumber: string;
      quantity: number;
      sku: string;
      delivery: string;
    }): Mail => ({
      subject: `OEM order ${p.orderNumber} requested by ${p.clientName}`,
      body:
        `${p.clientName} requests order ${p.orderNumber}: ${p.quantity} × ${p.sku}, delivery wanted ${p.delivery}. ` +
        `Confirm it at the contract price in the OEM portal, or decline it with a reason.`,
    }),
    /** `spareRate` is the percentage as shown ("0.40 %"); `credits` what earlier orders' credits took off. */
    orderConfirmed: (p: {
      orderNumber: string;
      quantity: number;
      sku: string;
      unitPrice: string;
      spareUnits: number;
      spareRate: string;
      delivery: string;
      credits: readonly AppliedCredit[];
    }): Mail => ({
      subject: `OEM order ${p.orderNumber} confirmed`,
      body:
        `Order ${p.orderNumber}: ${p.quantity} × ${p.sku} at ${p.unitPrice} a unit, ` +
        `with ${p.spareUnits} spare units (${p.spareRate}), delivery ${p.delivery}.` +
        (p.credits.length > 0
          ? `\nCredits from earlier orders applied: ${p.credits.map((c) => (c.kind === 'units' ? `${c.units} units free of charge` : `${c.amount} off`)).join('; ')}.`
          : ''),
    }),
    orderDeclined: (p: { orderNumber: string; reason: string }): Mail => ({
      subject: `OEM order ${p.orderNumber} declined`,
      body: `Order ${p.orderNumber} was declined: ${p.reason}`,
    }),
    /** To QA's inbox: units beyond the spares are owed only once QA accepts them. */
    defectsAwaitingReview: (p: {
      orderNumber: string;
      clientName: string;
      awaiting: number;
      allowance: number;
    }): Mail => ({
      subject: `Order ${p.orderNumber} (${p.clientName}): ${p.awaiting} units beyond the spares await review`,
      body: `Defects reported on order ${p.orderNumber} exceed its ${p.allowance} spare units; ${p.awaiting} units wait for QA to accept them (from the evidence or returned units) or reject them with a reason.`,
    }),
    /** The numbers behind a lot's flag; the rates are percentages as shown ("1.20 %"). */
    lotNumbers: (p: {
      defects: number;
      unitsShipped: number;
      rate: string;
      lower: string;
      upper: string;
      spareRate: string;
      orders: number;
      clients: number;
    }) =>
      `${p.defects} of ${p.unitsShipped} units defective (${p.rate}; 95 % interval ` +
      `${p.lower}–${p.upper}) against spares of ${p.spareRate}, ` +
      `across ${p.orders} order(s) of ${p.clients} client(s).`,
    /** The early warning to QA: the lower bound of the lot's defect rate is above its spare rate. */
    lotFlagged: (p: { lot: string; sku: string; product: string; numbers: string }): Mail => ({
      subject: `Lot ${p.lot} (${p.sku}) flagged: defects above the spares`,
      body:
        `The defect rate of lot ${p.lot} of ${p.product} is above its spare rate even at the ` +
        `lower bound of its 95 % interval: ${p.numbers} Open a batch-defect investigation from the QA console.`,
    }),
    returnRequested: (p: {
      orderNumber: string;
      rmaNumber: string;
      units: number;
      reportedOn: string;
      lot: string;
    }): Mail => ({
      subject: `Order ${p.orderNumber}: please return the units under ${p.rmaNumber}`,
      body: `Please ship the ${p.units} units reported on ${p.reportedOn} (lot ${p.lot}) back to us marked ${p.rmaNumber}: QA decides on them when they are inspected.`,
    }),
    /** To the client: QA accepted defects beyond the spares, and the client chooses what it gets. */
    excessAccepted: (p: { orderNumber: string; allowance: number; excess: number }): Mail => ({
      subject: `Order ${p.orderNumber}: defects beyond the spares accepted`,
      body: excessAcceptedBody(p),
    }),
    /** The same, to sales' inbox, under the client's name. */
    excessAcceptedForSales: (p: {
      orderNumber: string;
      clientName: string;
      allowance: number;
      excess: number;
    }): Mail => ({
      subject: `Order ${p.orderNumber} (${p.clientName}): ${p.excess} units beyond the spares accepted`,
      body: excessAcceptedBody(p),
    }),
    defectsRejected: (p: {
      orderNumber: string;
      rejected: number;
      units: number;
      reportedOn: string;
      lot: string;
      reason: string | null;
    }): Mail => ({
      subject: `Order ${p.orderNumber}: ${p.rejected} reported units not accepted`,
      body: `QA did not accept ${p.rejected} of the ${p.units} units reported on ${p.reportedOn} (lot ${p.lot}): ${p.reason ?? ''}`,
    }),
    /** To the client: what it chose for the excess defects. */
    excessResolved: (p: { orderNumber: string; clientName: string; choice: ExcessChoice }): Mail => ({
      subject: `Your choice for order ${p.orderNumber}`,
      body: excessResolvedBody(p),
    }),
    /** The same, to sales' inbox. */
    excessResolvedForSales: (p: { orderNumber: string; clientName: string; choice: ExcessChoice }): Mail => ({
      subject: `Order ${p.orderNumber}: ${p.choice.kind === 'replacement_shipment' ? 'replacement shipment' : 'credit on next order'}`,
      body: excessResolvedBody(p),
    }),
    /** The approval summary of a money credit above the four-eyes threshold. */
    creditSummary: (p: { amount: string; units: number; orderRef: string }) =>
      `Credit of ${p.amount} on the next order for ${p.units} excess units (order ${p.orderRef}).`,
    /** A confirmed batch defect: the maker remakes the units at its cost, outside the client's spares. */
    remakeOrdered: (p: {
      remakeNumber: string;
      orderNumber: string;
      lot: string;
      rootCause: string;
      units: number;
      totalUnits: number;
      mode: ShippingMode;
    }): Mail => ({
      subject: `Remake ${p.remakeNumber} for order ${p.orderNumber}`,
      body:
        `A batch defect of lot ${p.lot} (${p.rootCause} cause) is confirmed. We remake ${p.units} unit${p.units === 1 ? '' : 's'} ` +
        `of order ${p.orderNumber} and ship them ${shippingModes[p.mode]} at our cost (${p.remakeNumber}, ${p.totalUnits} units in all). ` +
        `These units do not use your spares.`,
    }),
    /** The client's units left, with the carrier and the waybill (an air waybill by air) to follow them. */
    shipped: (p: {
      what: ShipmentKind;
      number: string;
      orderNumber: string;
      units: number;
      shippedOn: string;
      mode: ShippingMode;
      carrier: string;
      waybill: string;
    }): Mail => ({
      subject: `${shipments(p.what, p.number)} for order ${p.orderNumber} has shipped`,
      body:
        `${shipments(p.what, p.number)} (${units(p.units)} for order ${p.orderNumber}) left on ${p.shippedOn} ${shippingModes[p.mode]} ` +
        `with ${p.carrier}, ${p.mode === 'air' ? 'air waybill' : 'tracking number'} ${p.waybill}.` +
        (p.what === 'remake' ? ' The maker bears the whole cost.' : ''),
    }),
    delivered: (p: {
      what: ShipmentKind;
      number: string;
      orderNumber: string;
      units: number;
      deliveredOn: string;
      carrier: string;
      waybill: string;
    }): Mail => ({
      subject: `${shipments(p.what, p.number)} for order ${p.orderNumber} was delivered`,
      body:
        `${shipments(p.what, p.number)} (${units(p.units)} for order ${p.orderNumber}, ${p.carrier} ${p.waybill}) ` +
        `was delivered on ${p.deliveredOn}. If anything is missing or damaged, tell us.`,
    }),
  },

  /** A claim's conversation (issue 16). */
  conversations: {
    /** To the customer: a staff reply, with its words, that they may answer by replying to the e-mail. */
    staffReplied: (p: {
      customerName: string;
      /** The maintenance number when the claim has an order, else null (the claim's product instead). */
      number: string | null;
      product: string;
      text: string;
      attachments: number;
    }): Mail => ({
      subject: p.number ? `A reply about maintenance order ${p.number}` : `A reply about your ${p.product}`,
      body:
        `Dear ${p.customerName}, we wrote about ${p.number ? `maintenance order ${p.number}` : `your ${p.product}`}:\n\n` +
        `${p.text}\n\n` +
        (p.attachments > 0 ? `(${p.attachments} file(s) attached: see them on your claim's page.)\n` : '') +
        'Reply to this e-mail to answer; your reply and its photos go into the conversation about your repair.',
    }),
  },
  webhooks: {
    /** To each admin when an endpoint failed for three days and was switched off. */
    endpointDisabled: (p: { url: string; failingSince: string; lastError: string }): Mail => ({
      subject: `Webhook endpoint disabled: ${p.url}`,
      body:
        `Every delivery to the webhook endpoint ${p.url} has failed since ${p.failingSince}, so it was ` +
        `disabled and receives no more events. The last answer was: ${p.lastError}. Fix the receiver, ` +
        'then enable the endpoint again in the admin console and redeliver the events it missed.',
    }),
  },
  satisfaction: {
    /** The one-question rating link, after a repair went back or a dealer's remedy was done. */
    ratingRequest: (p: {
      customerName: string;
      about: string;
      ratingUrl: string;
      expiresOn: string;
    }): Mail => ({
      subject: `How did we do? ${p.about}`,
      body:
        `Dear ${p.customerName}, ${p.about} is done. Would you rate our service from 1 to 5? One question, no account needed:\n` +
        `${p.ratingUrl}\nThe link works once, until ${p.expiresOn}.`,
    }),
    aboutOrder: (p: { number: string }) => `your maintenance order ${p.number}`,
    aboutRemedy: (p: { kind: DealerRemedyKind }) => `your ${p.kind === 'refund' ? 'refund' : 'replacement'}`,
  },
};

/** The shape every language's catalogue has: the same entries, taking the same facts. */
export type Catalogue = typeof en;
