import { calendarDateIn, parsePlainDate, type Temporal } from '../../domain/calendar.js';
import { policyInForce } from '../../domain/policy/evaluate.js';
import type { PolicyVersion } from '../../domain/policy/schema.js';
import { AppError } from '../errors.js';
import type { PolicySource } from './policy-source.js';

export type ReadPoliciesDeps = { policies: PolicySource; storeTimeZone: string; now: () => Temporal.Instant };

/** The version in force on a day (today in the store's time zone unless given): what the support page shows. */
export async function policyInForceOn(deps: ReadPoliciesDeps, on?: string): Promise<PolicyVersion> {
  let day: Temporal.PlainDate;
  if (on === undefined) {
    day = calendarDateIn(deps.now(), deps.storeTimeZone);
  } else {
    const parsed = parsePlainDate(on);
    if ('code' in parsed)
      throw new AppError('invalid', 'INVALID_DATE', `on: ${parsed.message}`, { field: 'on' });
    day = parsed;
  }
  const result = policyInForce(await deps.policies.versions(), day);
  if (!result.ok) throw new AppError('not_found', result.error.code, result.error.message);
  return result.value;
}

export async function listPolicyVersions(deps: Pick<ReadPoliciesDeps, 'policies'>): Promise<PolicyVersion[]> {
  const versions = await deps.policies.versions();
  return [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

export async function policyVersionById(
  deps: Pick<ReadPoliciesDeps, 'policies'>,
  id: string,
): Promise<PolicyVersion> {
  const found = (await deps.policies.versions()).find((v) => v.id === id);
  if (!found) throw new AppError('not_found', 'POLICY_VERSION_NOT_FOUND', `no policy version "${id}"`);
  return found;
}
