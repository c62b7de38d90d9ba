/*
 * One sale, one free remedy chain. A sale that got its money back or a new unit at the dealer has had
 * its remedy: a second claim on it — or on the replacement unit, which carries on the same sale and its
 * warranty — cannot get another refund or replacement at the counter, so a third claim cannot produce a
 * third reimbursement. Repairs under the remaining warranty (maintenance orders) are not dealer
 * remedies and are not limited here.
 *
 * A remedy whose approval was refused never happened and does not count; one still waiting for its
 * approval does (a second one must not start beside it).
 */

export type EarlierRemedy = {
  claimId: string;
  kind: 'refund' | 'replacement';
  approval: 'none' | 'awaiting' | 'approved' | 'rejected';
};

export type ChainDecision =
  { ok: true } | { ok: false; code: 'PURCHASE_ALREADY_REMEDIED'; blocking: EarlierRemedy };

/** Whether a new dealer remedy may start on a sale that already had `earlier` ones. */
export function mayStartRemedy(earlier: readonly EarlierRemedy[]): ChainDecision {
  const blocking =
    earlier.find((r) => r.approval !== 'rejected' && r.kind === 'refund') ??
    earlier.find((r) => r.approval !== 'rejected');
  return blocking ? { ok: false, code: 'PURCHASE_ALREADY_REMEDIED', blocking } : { ok: true };
}
