import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from './client.js';
import { instanceSettings } from './schema.js';

/**
 * A secret this installation makes once: the first process to ask writes a random one, every later
 * process (and restart) reads the same, so sessions survive restarts and work behind a load balancer
 * without anyone having to configure a secret.
 */
export async function instanceSecret(db: Database, key: string): Promise<string> {
  await db
    .insert(instanceSettings)
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db
    .select({ value: instanceSettings.value })
    .from(instanceSettings)
    .where(eq(instanceSettings.key, key));
  if (!row) throw new Error(`instance setting ${key} was not stored`);
  return row.value;
}
