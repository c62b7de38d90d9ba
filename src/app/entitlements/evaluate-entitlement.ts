import type { Database } from '../../db/client.js';
import { findProductBySku } from '../../db/policies.js';
import { type CalendarLength, isValidTimeZone, parseCalendarInput } from '../../domain/calendar.js';
import { type Cause, type Decision, decide } from '../../domain/policy/evaluate.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { AppError } from '../errors.js';
import type { PolicySource } from '../policies/policy-source.js';

export type EvaluateEntitlementInput = {
  purchaseDate: string;
  reportDate: string;
  cause: Cause;
  timeZone?: string | undefined;
  productSku?: string | undefined;
};

export type EvaluateEntitlementDeps = { db: Database; policies: PolicySource; storeTimeZone: string };

/**
 * Reads the raw input and lets the engine decide, given the policy versions and the product's own
 * warranty length. No I/O: the command line uses it without opening the database.
 */
export function decideEntitlement(
  versions: readonly PolicyVersion[],
  input: EvaluateEntitlementInput,
  context: { storeTimeZone: string; warrantyOverride?: CalendarLength | null | undefined },
): Decision {
  const timeZone = input.timeZone ?? context.storeTimeZone;
  if (!isValidTimeZone(timeZone)) {
    throw new AppError('invalid', 'INVALID_TIME_ZONE', `"${timeZone}" is not an IANA time zone`, {
      field: 'timeZone',
    });
  }
  const purchaseDate = parseCalendarInput(input.purchaseDate, timeZone);
  if ('code' in purchaseDate) {
    throw new AppError('invalid', 'INVALID_DATE', `purchaseDate: ${purchaseDate.message}`, {
      field: 'purchaseDate',
    });
  }
  const reportDate = parseCalendarInput(input.reportDate, timeZone);
  if ('code' in reportDate) {
    throw new AppError('invalid', 'INVALID_DATE', `reportDate: ${reportDate.message}`, {
      field: 'reportDate',
    });
  }
  const result = decide(versions, {
    customerType: 'end_user',
    purchaseDate,
    reportDate,
    cause: input.cause,
    warrantyOverride: context.warrantyOverride ?? undefined,
  });
  if (!result.ok) throw new AppError('invalid', result.error.code, result.error.message);
  return result.value;
}

/** "Am I covered?" for an end user, with the policy versions and products in the database. */
export async function evaluateEntitlement(
  deps: EvaluateEntitlementDeps,
  input: EvaluateEntitlementInput,
): Promise<Decision> {
  const [versions, product] = await Promise.all([
    deps.policies.versions(),
    input.productSku === undefined ? Promise.resolve(undefined) : findProductBySku(deps.db, input.productSku),
  ]);
  if (input.productSku !== undefined && !product) {
    throw new AppError('invalid', 'UNKNOWN_PRODUCT', `no product has the SKU "${input.productSku}"`, {
      field: 'productSku',
    });
  }
  return decideEntitlement(versions, input, {
    storeTimeZone: deps.storeTimeZone,
    warrantyOverride: product?.warrantyOverride,
  });
}
