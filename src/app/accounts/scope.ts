import { eq } from 'drizzle-orm';
import type { Transaction } from '../../db/client.js';
import { dealers, oemClients, serviceCenters } from '../../db/schema.js';
import { type InvitableRole, scopeKeyOfRole } from '../../domain/access/access.js';
import { AppError } from '../errors.js';

export type StaffScopeInput = {
  dealerId?: string | null | undefined;
  serviceCenterId?: string | null | undefined;
  oemClientId?: string | null | undefined;
};

export type StaffScope = {
  dealerId: string | null;
  serviceCenterId: string | null;
  oemClientId: string | null;
};

/**
 * The scope columns for a role: exactly the one its role is confined to, which must name an existing
 * party. Caught here as a 400 rather than left to a CHECK or foreign key to fail as a 500.
 */
export async function resolveStaffScope(
  tx: Transaction,
  role: InvitableRole,
  input: StaffScopeInput,
): Promise<StaffScope> {
  const wanted = role in scopeKeyOfRole ? scopeKeyOfRole[role as keyof typeof scopeKeyOfRole] : undefined;
  const scope: StaffScope = { dealerId: null, serviceCenterId: null, oemClientId: null };
  for (const key of ['dealerId', 'serviceCenterId', 'oemClientId'] as const) {
    const value = input[key] ?? null;
    if (key === wanted) {
      if (value === null) {
        throw new AppError('invalid', 'SCOPE_REQUIRED', `the role ${role} needs ${key}`, { field: key });
      }
      scope[key] = value;
    } else if (value !== null) {
      throw new AppError('invalid', 'SCOPE_NOT_ALLOWED', `the role ${role} takes no ${key}`, { field: key });
    }
  }
  if (scope.dealerId !== null) {
    const [row] = await tx.select({ id: dealers.id }).from(dealers).where(eq(dealers.id, scope.dealerId));
    if (!row) throw new AppError('invalid', 'UNKNOWN_DEALER', 'no such dealer', { field: 'dealerId' });
  }
  if (scope.serviceCenterId !== null) {
    const [row] = await tx
      .select({ id: serviceCenters.id })
      .from(serviceCenters)
      .where(eq(serviceCenters.id, scope.serviceCenterId));
    if (!row) {
      throw new AppError('invalid', 'UNKNOWN_SERVICE_CENTER', 'no such service center', {
        field: 'serviceCenterId',
      });
    }
  }
  if (scope.oemClientId !== null) {
    const [row] = await tx
      .select({ id: oemClients.id })
      .from(oemClients)
      .where(eq(oemClients.id, scope.oemClientId));
    if (!row)
      throw new AppError('invalid', 'UNKNOWN_OEM_CLIENT', 'no such OEM client', { field: 'oemClientId' });
  }
  return scope;
}
