import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { endUsers, users } from '../../db/schema.js';
import { normalizeEmail } from './tokens.js';

/**
 * The customer record a self-signed-up account speaks for: the oldest one with this e-mail address
 * that no account speaks for yet (purchases a dealer recorded before the customer signed up), or a
 * new one. Safe only because sign-in waits for the address to be verified: until then, nobody can
 * use the account to read that record's purchases.
 */
export async function customerRecordFor(
  db: Database,
  input: { email: string; name: string },
): Promise<string> {
  const email = normalizeEmail(input.email);
  const [existing] = await db
    .select({ id: endUsers.id })
    .from(endUsers)
    .leftJoin(users, eq(users.endUserId, endUsers.id))
    .where(and(eq(sql`lower(${endUsers.email})`, email), isNull(users.id)))
    .orderBy(asc(endUsers.createdAt))
    .limit(1);
  if (existing) return existing.id;
  const [created] = await db
    .insert(endUsers)
    .values({ name: input.name, email })
    .returning({ id: endUsers.id });
  if (!created) throw new Error('insert returned no end user');
  return created.id;
}
