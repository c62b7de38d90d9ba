import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { policyVersions } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn, isValidTimeZone, parsePlainDate, Temporal } from '../../domain/calendar.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import type { PolicySource } from './policy-source.js';

export type CreatePolicyVersionDeps = {
  db: Database;
  policies: PolicySource;
  storeTimeZone: string;
  now: () => Temporal.Instant;
};

const ID_CONSTRAINT = 'policy_versions_pkey';
const EFFECTIVE_FROM_CONSTRAINT = 'policy_versions_effective_from_unique';

function idTaken(id: string): AppError {
  return new AppError('conflict', 'POLICY_VERSION_EXISTS', `a policy version "${id}" already exists`, {
    field: 'id',
  });
}

function dayTaken(day: string): AppError {
  return new AppError(
    'conflict',
    'POLICY_EFFECTIVE_FROM_TAKEN',
    `another policy version already takes effect on ${day}`,
    { field: 'effectiveFrom' },
  );
}

/**
 * The last calendar day that has already begun in either the server's store time zone or the one the
 * new version names: a version may only start on a day no purchase has yet been made on in either.
 */
function latestToday(now: Temporal.Instant, zones: readonly string[]): Temporal.PlainDate {
  const days = zones.map((zone) => calendarDateIn(now, zone));
  return days.reduce((a, b) => (Temporal.PlainDate.compare(a, b) >= 0 ? a : b));
}

/**
 * What publishing asks of any version, however it arrives (a new version, a draft): a real time zone and
 * an effective date after today. Throws the refusal; touches nothing.
 */
export function assertPublishable(
  deps: Pick<CreatePolicyVersionDeps, 'storeTimeZone' | 'now'>,
  document: PolicyVersion,
): void {
  if (!isValidTimeZone(document.storeTimeZone)) {
    throw new AppError(
      'invalid',
      'INVALID_TIME_ZONE',
      `"${document.storeTimeZone}" is not an IANA time zone`,
      {
        field: 'storeTimeZone',
      },
    );
  }
  const effectiveFrom = parsePlainDate(document.effectiveFrom);
  if ('code' in effectiveFrom) {
    throw new AppError('invalid', 'INVALID_DATE', `effectiveFrom: ${effectiveFrom.message}`, {
      field: 'effectiveFrom',
    });
  }
  const today = latestToday(deps.now(), [deps.storeTimeZone, document.storeTimeZone]);
  if (Temporal.PlainDate.compare(effectiveFrom, today) <= 0) {
    throw new AppError(
      'invalid',
      'EFFECTIVE_FROM_NOT_IN_FUTURE',
      `effectiveFrom must be after today (${today.toString()}): versions already in force are never rewritten`,
      { field: 'effectiveFrom', today: today.toString() },
    );
  }
}

/**
 * Writes a version into `policy_versions` inside the caller's transaction, with its audit event. Asks
 * first for the clearer answer; the unique constraints still decide a race (see `publishConflictOf`).
 */
export async function insertPolicyVersion(
  tx: Transaction,
  actor: Actor,
  document: PolicyVersion,
  audit: Record<string, unknown> = {},
): Promise<void> {
  const [sameId] = await tx
    .select({ id: policyVersions.id })
    .from(policyVersions)
    .where(eq(policyVersions.id, document.id));
  if (sameId) throw idTaken(document.id);
  const [sameDay] = await tx
    .select({ id: policyVersions.id })
    .from(policyVersions)
    .where(eq(policyVersions.effectiveFrom, document.effectiveFrom));
  if (sameDay) throw dayTaken(document.effectiveFrom);
  await tx
    .insert(policyVersions)
    .values({ id: document.id, effectiveFrom: document.effectiveFrom, document });
  await recordAudit(tx, actor, {
    action: 'policy_version.created',
    entityType: 'policy_version',
    entityId: document.id,
    data: { effectiveFrom: document.effectiveFrom, ...audit },
  });
}

/** A unique violation from `insertPolicyVersion` that lost a race, as the refusal it stands for. */
export function publishConflictOf(error: unknown, document: PolicyVersion): AppError | undefined {
  if (isUniqueViolation(error, ID_CONSTRAINT)) return idTaken(document.id);
  if (isUniqueViolation(error, EFFECTIVE_FROM_CONSTRAINT)) return dayTaken(document.effectiveFrom);
  return undefined;
}

/**
 * Adds a policy version taking effect after today. Versions are never changed or back-dated: a claim
 * stores the version that decided it, and every decision about a purchase made before the new date
 * must keep coming out the same. After the commit the process's cached versions are dropped, so the
 * next decision for a purchase on or after the date uses the new one (other processes within
 * POLICY_CACHE_SECONDS).
 */
export async function createPolicyVersion(
  deps: CreatePolicyVersionDeps,
  actor: Actor,
  document: PolicyVersion,
): Promise<PolicyVersion> {
  assertAllowed(actor, 'policyVersions.create', {}, { code: 'NOT_FOUND', message: 'not found' });
  assertPublishable(deps, document);
  try {
    await deps.db.transaction(async (tx) => {
      await insertPolicyVersion(tx, actor, document);
    });
  } catch (error) {
    throw publishConflictOf(error, document) ?? error;
  }
  deps.policies.invalidate();
  return document;
}
