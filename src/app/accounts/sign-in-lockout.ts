import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { auditEvents, signInFailures } from '../../db/schema.js';
import { afterFailure, lockedForMs, type SignInFailures } from '../../domain/access/sign-in-lockout.js';
import type { Temporal } from '../../domain/calendar.js';

/** Failures are counted by address as typed, in any case: better-auth compares addresses in lower case. */
const keyOf = (email: string) => email.trim().toLowerCase();

const stateOf = (row: typeof signInFailures.$inferSelect): SignInFailures => ({
  failures: row.failures,
  firstFailedAt: row.firstFailedAt.getTime(),
  lockedUntil: row.lockedUntil?.getTime() ?? null,
});

/** Milliseconds the address must still wait before it may sign in (0: it may try now). */
export async function signInLockedForMs(db: Database, email: string, now: Temporal.Instant): Promise<number> {
  const [row] = await db
    .select()
    .from(signInFailures)
    .where(eq(signInFailures.emailKey, keyOf(email)));
  return lockedForMs(row && stateOf(row), now.epochMilliseconds);
}

/**
 * Counts a failed sign-in. Concurrent failures on one address are serialised by the row lock, so a
 * burst of guesses cannot slip past the count. The moment an address is locked is audited.
 */
export async function recordSignInFailure(db: Database, email: string, now: Temporal.Instant): Promise<void> {
  const emailKey = keyOf(email);
  await db.transaction(async (tx) => {
    await tx
      .insert(signInFailures)
      .values({ emailKey, failures: 0, firstFailedAt: new Date(now.epochMilliseconds) })
      .onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(signInFailures)
      .where(eq(signInFailures.emailKey, emailKey))
      .for('update');
    const before = row && row.failures > 0 ? stateOf(row) : undefined;
    const next = afterFailure(before, now.epochMilliseconds);
    await tx
      .update(signInFailures)
      .set({
        failures: next.failures,
        firstFailedAt: new Date(next.firstFailedAt),
        lockedUntil: next.lockedUntil === null ? null : new Date(next.lockedUntil),
      })
      .where(eq(signInFailures.emailKey, emailKey));
    if (next.lockedUntil !== null && before?.lockedUntil !== next.lockedUntil) {
      await tx.insert(auditEvents).values({
        actor: 'system',
        action: 'sign_in.locked_out',
        entityType: 'email',
        entityId: emailKey,
        data: { failures: next.failures, lockedUntil: new Date(next.lockedUntil).toISOString() },
      });
    }
  });
}

/** A successful sign-in forgets the address's failures. */
export async function clearSignInFailures(db: Database, email: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.emailKey, keyOf(email)));
}
