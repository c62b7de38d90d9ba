import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { accounts, CREDENTIAL_PROVIDER, users } from '../../db/schema.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { normalizeEmail } from './tokens.js';

export const MIN_PASSWORD_LENGTH = 10;

/**
 * An administrator made from the command line: how a real installation (no demo data) gets the first
 * admin, who then invites everyone else. Whoever runs the CLI already holds the database, so no
 * session is asked for; the audit log names the system.
 */
export async function createAdmin(
  deps: { db: Database; hashPassword: (password: string) => Promise<string> },
  input: { email: string; name: string; password: string },
): Promise<{ userId: string; email: string }> {
  const email = normalizeEmail(input.email);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw new AppError('invalid', 'INVALID_EMAIL', 'give a valid e-mail address');
  }
  if (input.name.trim() === '') throw new AppError('invalid', 'NAME_REQUIRED', 'give a name');
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > 128) {
    throw new AppError('invalid', 'WEAK_PASSWORD', `a password has ${MIN_PASSWORD_LENGTH} to 128 characters`);
  }
  const passwordHash = await deps.hashPassword(input.password);
  const userId = randomUUID();
  try {
    await deps.db.transaction(async (tx) => {
      await tx.insert(users).values({
        id: userId,
        name: input.name.trim(),
        email,
        emailVerified: true,
        role: 'admin',
      });
      await tx.insert(accounts).values({
        id: randomUUID(),
        accountId: userId,
        providerId: CREDENTIAL_PROVIDER,
        userId,
        password: passwordHash,
      });
      await recordAudit(tx, 'system', {
        action: 'user.admin_created',
        entityType: 'user',
        entityId: userId,
        data: { email },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_unique')) {
      throw new AppError(
        'conflict',
        'USER_EXISTS',
        'someone already has an account with this e-mail address',
      );
    }
    throw error;
  }
  return { userId, email };
}
