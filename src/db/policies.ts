import { asc, eq } from 'drizzle-orm';
import type { CalendarLength } from '../domain/calendar.js';
import { builtInPolicyVersions } from '../domain/policy/halotek.js';
import { type PolicyVersion, policyVersionSchema } from '../domain/policy/schema.js';
import type { Database } from './client.js';
import { policyVersions, products } from './schema.js';

/**
 * Adds the policy versions this build ships with. An existing version is never overwritten: claims
 * already decided under it must stay explainable by the text they were given.
 */
export async function ensureBuiltInPolicies(db: Database): Promise<void> {
  await db
    .insert(policyVersions)
    .values(builtInPolicyVersions.map((p) => ({ id: p.id, effectiveFrom: p.effectiveFrom, document: p })))
    .onConflictDoNothing();
}

/** All versions, oldest first, each validated: a hand-edited row fails loudly here, not in a decision. */
export async function loadPolicyVersions(db: Database): Promise<PolicyVersion[]> {
  const rows = await db
    .select({ id: policyVersions.id, document: policyVersions.document })
    .from(policyVersions)
    .orderBy(asc(policyVersions.effectiveFrom));
  return rows.map((row) => {
    const parsed = policyVersionSchema.safeParse(row.document);
    if (!parsed.success) {
      throw new Error(`policy version ${row.id} in the database is invalid: ${parsed.error.message}`);
    }
    return parsed.data;
  });
}

export async function findProductBySku(
  db: Database,
  sku: string,
): Promise<{ id: string; sku: string; warrantyOverride: CalendarLength | null } | undefined> {
  const [row] = await db
    .select({ id: products.id, sku: products.sku, warrantyOverride: products.warrantyOverride })
    .from(products)
    .where(eq(products.sku, sku))
    .limit(1);
  return row;
}
