import type { MaintenanceState } from '../maintenance/state-machine.js';

/*
 * Parts and labour on a maintenance order: what may be recorded, and what it costs. Pure: amounts are
 * integer minor units, hours hundredths of an hour, and every product is computed exactly.
 */

/** The most hours one order may record: 200 h (a month of a technician's days, far past any repair). */
export const MAX_LABOUR_HOURS = 200;
export const MAX_LABOUR_HUNDREDTHS = MAX_LABOUR_HOURS * 100;
/** The most of one part one order may use. */
export const MAX_PART_QUANTITY = 1_000;
/** The most distinct parts on one order. */
export const MAX_PART_LINES = 50;
/** The highest labour rate an admin may set: 1,000,000.00 an hour. */
export const MAX_LABOUR_RATE_MINOR = 100_000_000;

/** The center holds the product: parts and hours are recorded as the repair goes. */
export const workStates: readonly MaintenanceState[] = [
  'received',
  'diagnosing',
  'paidService',
  'repairing',
  'repaired',
];
/** The product went back: a change is a correction, with its reason, by support. */
export const correctionStates: readonly MaintenanceState[] = ['returned', 'closed'];

export type WorkRule = 'record' | 'correct' | 'refused';

/** Whether parts and hours may be recorded on an order in this state, and how. */
export function workRuleFor(state: MaintenanceState): WorkRule {
  if (workStates.includes(state)) return 'record';
  if (correctionStates.includes(state)) return 'correct';
  return 'refused';
}

export type PartLineInput = { partId: string; quantity: number };

export type WorkInputError =
  | { code: 'DUPLICATE_PART'; message: string; partId: string }
  | { code: 'QUANTITY_OUT_OF_RANGE'; message: string; partId: string }
  | { code: 'LABOUR_OUT_OF_RANGE'; message: string }
  | { code: 'TOO_MANY_PARTS'; message: string };

/** Hours as hundredths: 1.25 → 125; undefined when not a whole number of hundredths. */
export function hoursToHundredths(hours: number): number | undefined {
  if (!Number.isFinite(hours)) return undefined;
  const hundredths = Math.round(hours * 100);
  // 0.1 + 0.2 style noise is fine; 1.234 is not a whole number of hundredths.
  return Math.abs(hundredths - hours * 100) < 1e-6 ? hundredths : undefined;
}

export function hundredthsToHours(hundredths: number): number {
  return hundredths / 100;
}

/** Checks what a technician sends: each part once, quantities and hours within their bounds. */
export function checkWorkInput(input: {
  parts: readonly PartLineInput[];
  labourHours: number;
}): { ok: true; labourHundredths: number } | { ok: false; error: WorkInputError } {
  if (input.parts.length > MAX_PART_LINES) {
    return {
      ok: false,
      error: { code: 'TOO_MANY_PARTS', message: `at most ${MAX_PART_LINES} different parts on one order` },
    };
  }
  const seen = new Set<string>();
  for (const line of input.parts) {
    if (seen.has(line.partId)) {
      return {
        ok: false,
        error: {
          code: 'DUPLICATE_PART',
          message: 'each part is listed once, with its quantity',
          partId: line.partId,
        },
      };
    }
    seen.add(line.partId);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_PART_QUANTITY) {
      return {
        ok: false,
        error: {
          code: 'QUANTITY_OUT_OF_RANGE',
          message: `a quantity is a whole number from 1 to ${MAX_PART_QUANTITY}`,
          partId: line.partId,
        },
      };
    }
  }
  const hundredths = hoursToHundredths(input.labourHours);
  if (hundredths === undefined || hundredths < 0 || hundredths > MAX_LABOUR_HUNDREDTHS) {
    return {
      ok: false,
      error: {
        code: 'LABOUR_OUT_OF_RANGE',
        message: `hours of labour are 0 to ${MAX_LABOUR_HOURS}, in hundredths of an hour at most`,
      },
    };
  }
  return { ok: true, labourHundredths: hundredths };
}

/** Hours × rate, rounded half up to a minor unit, computed exactly. */
export function labourCostMinor(labourHundredths: number, ratePerHourMinor: number): number {
  const exact = BigInt(labourHundredths) * BigInt(ratePerHourMinor);
  return Number((exact + 50n) / 100n);
}

/** Quantity × unit cost of one part line. */
export function partLineCostMinor(quantity: number, unitCostMinor: number): number {
  return Number(BigInt(quantity) * BigInt(unitCostMinor));
}
