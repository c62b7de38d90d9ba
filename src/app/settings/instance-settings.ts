import { eq, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { instanceSettings } from '../../db/schema.js';

/*
 * The rows of `instance_settings` that admins edit (the fraud rules' thresholds, the four-eyes
 * thresholds): each area parses its own value and audits its own change; reading and writing the row
 * is the same for all.
 */

/** A setting's stored text, or undefined until an admin sets it. */
export async function storedSetting(db: Database | Transaction, key: string): Promise<string | undefined> {
  const [row] = await db
    .select({ value: instanceSettings.value })
    .from(instanceSettings)
    .where(eq(instanceSettings.key, key))
    .limit(1);
  return row?.value;
}

/**
 * Locks the setting's row (when it exists) for the rest of the transaction: two admins saving at once
 * are taken one after the other, and each audit names what it really replaced.
 */
export async function lockSetting(tx: Transaction, key: string): Promise<void> {
  await tx.execute(sql`select 1 from ${instanceSettings} where ${instanceSettings.key} = ${key} for update`);
}

export async function storeSetting(tx: Transaction, key: string, value: string): Promise<void> {
  await tx
    .insert(instanceSettings)
    .values({ key, value })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value } });
}
