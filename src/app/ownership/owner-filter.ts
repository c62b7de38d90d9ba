import { eq, isNull, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { type Actor, isScopedRole } from '../../domain/access/access.js';
import { AppError } from '../errors.js';

/**
 * The "mine" filter of the claims and orders lists, as one WHERE condition: `me`, and for staff also
 * `none` and a user's id. A scoped role asking about anyone else is refused rather than ignored.
 */
export function ownerCondition(actor: Actor, owner: string | undefined, column: PgColumn): SQL | undefined {
  if (owner === undefined) return undefined;
  if (owner === 'me') return eq(column, actor.userId);
  if (isScopedRole(actor.role)) {
    throw new AppError(
      'forbidden',
      'OWNER_FILTER_FORBIDDEN',
      'you may only ask for what you work (owner=me)',
    );
  }
  return owner === 'none' ? isNull(column) : eq(column, owner);
}
