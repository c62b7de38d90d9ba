import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { rowsOf } from '../../db/rows.js';
import { ADDRESS_WIDE, auditEvents, outbox, signInDevices, signInFailures, users } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import {
  admitSignIn,
  afterSignIn,
  ownerNoticeDue,
  SIGN_IN_LOCKOUT,
  type SignInClient,
  withoutFailure,
} from '../../domain/access/sign-in-lockout.js';
import { signInCeilingMessage } from './messages.js';

/** Failures are counted by address as typed, in any case: better-auth compares addresses in lower case. */
export const emailKeyOf = (email: string) => email.trim().toLowerCase();

/** Who is signing in: the key its failures are counted under, and whether the owner's device it is. */
export type SignInClientId = { kind: SignInClient; key: string };

/** Whether this device (the hash of its cookie's id) has signed in to the account at this address. */
export async function isKnownDevice(db: Database, email: string, deviceHash: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: signInDevices.userId })
    .from(signInDevices)
    .innerJoin(users, eq(users.id, signInDevices.userId))
    .where(and(eq(users.email, emailKeyOf(email)), eq(signInDevices.deviceHash, deviceHash)))
    .limit(1);
  return row !== undefined;
}

/** Remembers that this device signed in to the account at this address (nothing when there is none). */
export async function rememberDevice(
  db: Database,
  email: string,
  deviceHash: string,
  now: Temporal.Instant,
): Promise<void> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, emailKeyOf(email)));
  if (!user) return;
  const at = new Date(now.epochMilliseconds);
  await db
    .insert(signInDevices)
    .values({ userId: user.id, deviceHash, firstSignedInAt: at, lastSignedInAt: at })
    .onConflictDoUpdate({
      target: [signInDevices.userId, signInDevices.deviceHash],
      set: { lastSignedInAt: at },
    });
}

/** An attempt let through, counted as a failure until its outcome is known. */
export type SignInAttempt = {
  emailKey: string;
  client: SignInClientId;
  at: number;
  /** Which doors this attempt closes should it turn out a wrong password. */
  closes: { client: boolean; address: boolean };
};

export type SignInAdmission =
  | { admitted: true; attempt: SignInAttempt }
  | { admitted: false; lock: 'client' | 'address'; retryAfterMs: number };

/**
 * Lets an attempt through, or not, and counts it as a failure at once — before its password is tried —
 * so that a burst of concurrent guesses cannot all pass the check before any is counted. The address's
 * row and the client's are locked (address first, always, so two attempts cannot deadlock); the
 * outcome settles the count (settleSignInAttempt).
 */
export async function beginSignInAttempt(
  db: Database,
  email: string,
  client: SignInClientId,
  now: Temporal.Instant,
): Promise<SignInAdmission> {
  const emailKey = emailKeyOf(email);
  const nowMs = now.epochMilliseconds;
  return db.transaction(async (tx) => {
    await tx
      .insert(signInFailures)
      .values([
        { emailKey, clientKey: ADDRESS_WIDE, failures: [] },
        { emailKey, clientKey: client.key, failures: [] },
      ])
      // A no-op update rather than "do nothing": it locks an existing row from here on, so the purge
      // (purgeStaleSignInFailures) skips it instead of deleting it under this attempt's count.
      .onConflictDoUpdate({
        target: [signInFailures.emailKey, signInFailures.clientKey],
        set: { emailKey: sql`excluded.email_key` },
      });
    const rows = await tx
      .select()
      .from(signInFailures)
      .where(
        and(
          eq(signInFailures.emailKey, emailKey),
          inArray(signInFailures.clientKey, [ADDRESS_WIDE, client.key]),
        ),
      )
      .orderBy(asc(signInFailures.clientKey))
      .for('update');
    const locks = {
      address: rows.find((r) => r.clientKey === ADDRESS_WIDE)?.failures ?? [],
      client: rows.find((r) => r.clientKey === client.key)?.failures ?? [],
    };
    const admission = admitSignIn(locks, client.kind, nowMs);
    if (!admission.admitted) {
      // A stranger turned away by the ceiling before its first guess leaves no row of its own behind.
      if (locks.client.length === 0) {
        await tx
          .delete(signInFailures)
          .where(and(eq(signInFailures.emailKey, emailKey), eq(signInFailures.clientKey, client.key)));
      }
      return admission;
    }
    const provisional = afterSignIn(locks, 'wrong_password', nowMs);
    await writeLog(tx, emailKey, ADDRESS_WIDE, provisional.locks.address);
    await writeLog(tx, emailKey, client.key, provisional.locks.client);
    return {
      admitted: true,
      attempt: { emailKey, client, at: nowMs, closes: provisional.closed },
    } satisfies SignInAdmission;
  });
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

async function writeLog(tx: Tx | Database, emailKey: string, clientKey: string, failures: readonly number[]) {
  await tx
    .update(signInFailures)
    .set({ failures: [...failures] })
    .where(and(eq(signInFailures.emailKey, emailKey), eq(signInFailures.clientKey, clientKey)));
}

async function lockedLog(tx: Tx, emailKey: string, clientKey: string) {
  const [row] = await tx
    .select()
    .from(signInFailures)
    .where(and(eq(signInFailures.emailKey, emailKey), eq(signInFailures.clientKey, clientKey)))
    .for('update');
  return row;
}

/**
 * What the attempt turned out to be. A wrong password keeps the failure counted, and the moment it
 * closes a door is audited (for the address-wide ceiling, the account's owner is told, at most once a
 * day). A right one forgets the client's own failures — and only that: the address's count is not the
 * owner's to reset. Anything else (an unverified address, a deactivated account, better-auth refusing
 * the request) was not a guess: its provisional count is taken back.
 */
export async function settleSignInAttempt(
  db: Database,
  attempt: SignInAttempt,
  outcome: 'wrong_password' | 'signed_in' | 'not_a_guess',
  options: { publicUrl: URL },
): Promise<void> {
  const { emailKey, client, at } = attempt;
  await db.transaction(async (tx) => {
    const address = await lockedLog(tx, emailKey, ADDRESS_WIDE);
    if (outcome === 'wrong_password') {
      if (attempt.closes.client) {
        await tx.insert(auditEvents).values({
          actor: 'system',
          action: 'sign_in.locked_out',
          entityType: 'email',
          entityId: emailKey,
          data: {
            client: client.kind === 'known_device' ? 'known device' : client.key,
            failures: SIGN_IN_LOCKOUT.perClient.maxFailures,
            withinMinutes: SIGN_IN_LOCKOUT.perClient.windowMs / 60_000,
          },
        });
      }
      if (attempt.closes.address && address) {
        await tx.insert(auditEvents).values({
          actor: 'system',
          action: 'sign_in.address_locked_out',
          entityType: 'email',
          entityId: emailKey,
          data: {
            failures: SIGN_IN_LOCKOUT.perAddress.maxFailures,
            withinMinutes: SIGN_IN_LOCKOUT.perAddress.windowMs / 60_000,
          },
        });
        const lastNotice = address.ownerNotifiedAt?.getTime() ?? null;
        const [owner] = await tx
          .select({ email: users.email, name: users.name })
          .from(users)
          .where(eq(users.email, emailKey));
        if (owner && ownerNoticeDue(lastNotice, at)) {
          await tx.insert(outbox).values(
            signInCeilingMessage({
              email: owner.email,
              name: owner.name,
              failures: SIGN_IN_LOCKOUT.perAddress.maxFailures,
              withinMinutes: SIGN_IN_LOCKOUT.perAddress.windowMs / 60_000,
              resetLink: new URL('/forgot-password', options.publicUrl).toString(),
            }),
          );
          await tx
            .update(signInFailures)
            .set({ ownerNotifiedAt: new Date(at) })
            .where(and(eq(signInFailures.emailKey, emailKey), eq(signInFailures.clientKey, ADDRESS_WIDE)));
        }
      }
      return;
    }
    if (address) await writeLog(tx, emailKey, ADDRESS_WIDE, withoutFailure(address.failures, at));
    const own = await lockedLog(tx, emailKey, client.key);
    if (!own) return;
    if (outcome === 'signed_in') {
      await tx
        .delete(signInFailures)
        .where(and(eq(signInFailures.emailKey, emailKey), eq(signInFailures.clientKey, client.key)));
    } else {
      await writeLog(tx, emailKey, client.key, withoutFailure(own.failures, at));
    }
  });
}

/**
 * Forgets the logs that no longer count: every failure in them older than the longest window, and no
 * owner notice still holding back the next one (ownerNoticeDue). Without this the table keeps a row
 * for every address and client that ever mistyped. Rows an attempt holds are skipped (it locks them
 * from its upsert on), so a purge never drops a failure being counted; the next run takes them.
 */
export async function purgeStaleSignInFailures(db: Database, nowMs: number): Promise<number> {
  const oldestCounted =
    nowMs - Math.max(SIGN_IN_LOCKOUT.perClient.windowMs, SIGN_IN_LOCKOUT.perAddress.windowMs);
  const noticeCutoff = new Date(nowMs - SIGN_IN_LOCKOUT.ownerNoticeEveryMs);
  const deleted = await db.execute(sql`
    delete from sign_in_failures d
     using (select email_key, client_key
              from sign_in_failures f
             where not exists (select 1 from jsonb_array_elements_text(f.failures) t(at)
                                where t.at::bigint > ${oldestCounted})
               and (f.owner_notified_at is null or f.owner_notified_at <= ${noticeCutoff})
               for update skip locked) stale
     where d.email_key = stale.email_key and d.client_key = stale.client_key
    returning d.email_key`);
  return rowsOf(deleted).length;
}
