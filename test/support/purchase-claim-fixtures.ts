import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { submitClaim } from '../../src/app/claims/submit-claim.js';
import type { Database } from '../../src/db/client.js';
import { endUsers, purchases, units } from '../../src/db/schema.js';
import { DEMO_END_USERS, DEMO_REGISTRATION } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { TEST_NOW } from './app.js';

type ScopedFixture = { role: Role; own: string; other: string };

/**
 * For the access matrix: Li Wei's demo purchase (the demo customer's, sold by the demo dealer) and
 * Zhang Min's (another customer's, sold by another dealer), and a claim on each.
 */
export async function purchaseAndClaimMatrixFixtures(
  app: FastifyInstance,
  db: Database,
): Promise<[string, ScopedFixture[]][]> {
  const purchaseOf = async (name: string) => {
    const [row] = await db
      .select({ id: purchases.id, endUserId: purchases.endUserId })
      .from(purchases)
      .innerJoin(endUsers, eq(endUsers.id, purchases.endUserId))
      .where(eq(endUsers.name, name))
      .limit(1);
    if (!row) throw new Error(`the demo seed has a purchase by ${name}`);
    return row;
  };
  const own = await purchaseOf(DEMO_END_USERS[0].name);
  const other = await purchaseOf(DEMO_END_USERS[1].name);
  const claimOn = async (purchase: { id: string; endUserId: string }) =>
    (
      await submitClaim(
        {
          db,
          policies: app.policies,
          storeTimeZone: app.config.storeTimeZone,
          now: () => TEST_NOW,
          publicUrl: app.config.publicUrl,
          messageKey: app.messageKey,
        },
        {
          purchaseId: purchase.id,
          endUserId: purchase.endUserId,
          cause: 'quality',
          description: 'Fixture for the access matrix',
          actor: 'system',
        },
      )
    ).id;
  const ownClaim = await claimOn(own);
  const otherClaim = await claimOn(other);
  const byDealerAndCustomer = (ownId: string, otherId: string): ScopedFixture[] => [
    { role: 'dealer', own: ownId, other: otherId },
    { role: 'customer', own: ownId, other: otherId },
  ];
  // Registrations to check: the demo's (naming the demo dealer) and one naming another dealer.
  const [ownRegistration] = await db
    .select({ id: purchases.id })
    .from(purchases)
    .innerJoin(units, eq(units.id, purchases.unitId))
    .where(eq(units.serial, DEMO_REGISTRATION.serial));
  const [otherSale] = await db.select().from(purchases).where(eq(purchases.id, other.id));
  if (!ownRegistration || !otherSale) throw new Error('the demo seed has a registration to check');
  const [otherRegistration] = await db
    .insert(purchases)
    .values({
      productId: otherSale.productId,
      dealerId: otherSale.dealerId,
      endUserId: otherSale.endUserId,
      purchaseDate: otherSale.purchaseDate,
      verification: 'pending',
      recordedBy: 'fixture',
    })
    .returning({ id: purchases.id });
  const byDealer = [{ role: 'dealer' as const, own: ownRegistration.id, other: otherRegistration?.id ?? '' }];
  return [
    ['/api/v1/purchase-verifications/:id', byDealer],
    ['/api/v1/purchase-verifications/:id/decision', byDealer],
    ['/api/v1/purchases/:id', byDealerAndCustomer(own.id, other.id)],
    ['/api/v1/claims/:id', byDealerAndCustomer(ownClaim, otherClaim)],
    ['/api/v1/claims/:id/remedy', [{ role: 'customer', own: ownClaim, other: otherClaim }]],
    ['/api/v1/claims/:id/context', [{ role: 'dealer', own: ownClaim, other: otherClaim }]],
  ];
}
