import { eq, ne } from 'drizzle-orm';
import { recordEvent } from '../../src/app/events/record-event.js';
import type { Database } from '../../src/db/client.js';
import { endUsers, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';

type Scopes = {
  dealer: { own: string; other: string };
  technician: { own: string; other: string };
  oem: { own: string; other: string };
};

const AT = new Date('2026-11-25T04:00:00Z');

/**
 * For the access matrix: for each scoped role, an event of a kind it reads in its own scope and one in
 * another's, so the feed (GET /api/v1/events) is checked to list the first and not the second. The data
 * is a stand-in: the feed hands back whatever object was stored, and the scope is what is tested here
 * (test/integration/event-journeys.test.ts checks real objects against their schemas).
 */
export async function eventMatrixFixtures(
  db: Database,
  scopes: Scopes,
): Promise<[string, { role: Role; own: string; other: string }[]][]> {
  const customerEmail = DEMO_ACCOUNTS.find((a) => a.role === 'customer')?.email ?? '';
  const [customer] = await db
    .select({ id: users.endUserId })
    .from(users)
    .where(eq(users.email, customerEmail));
  const ownCustomer = customer?.id ?? '';
  const [otherCustomer] = await db
    .select({ id: endUsers.id })
    .from(endUsers)
    .where(ne(endUsers.id, ownCustomer));
  const pairs = {
    dealer: { type: 'purchase.recorded', key: 'dealerId', ...scopes.dealer },
    technician: { type: 'maintenance_order.issued', key: 'serviceCenterId', ...scopes.technician },
    oem: { type: 'oem_order.booked', key: 'oemClientId', ...scopes.oem },
    customer: { type: 'claim.submitted', key: 'endUserId', own: ownCustomer, other: otherCustomer?.id ?? '' },
  } as const;
  const fixtures: { role: Role; own: string; other: string }[] = [];
  for (const [role, pair] of Object.entries(pairs)) {
    const ids = await db.transaction(async (tx) => {
      const write = async (scopeId: string) =>
        (
          await recordEvent(tx, {
            type: pair.type,
            subjectId: scopeId,
            scope: { [pair.key]: scopeId },
            data: { id: scopeId } as never,
            occurredAt: AT,
          })
        ).id;
      return { own: await write(pair.own), other: await write(pair.other) };
    });
    fixtures.push({ role: role as Role, ...ids });
  }
  return [['/api/v1/events/:id', fixtures]];
}
