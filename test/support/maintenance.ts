import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { submitClaim } from '../../src/app/claims/submit-claim.js';
import type { Database } from '../../src/db/client.js';
import { scalarOf } from '../../src/db/rows.js';
import {
  claims,
  endUsers,
  type MaintenanceOrder,
  maintenanceOrders,
  type NewMaintenanceOrder,
  products,
  purchases,
} from '../../src/db/schema.js';
import { DEMO_END_USERS, DEMO_SKUS } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { maintenanceNumberFor } from '../../src/domain/maintenance/maintenance-number.js';
import type { MaintenanceState } from '../../src/domain/maintenance/state-machine.js';
import type { RemedyCode } from '../../src/domain/policy/schema.js';
import { TEST_MESSAGE_KEY, TEST_NOW } from './app.js';

/*
 * Claims and maintenance orders for tests of the repair flow, made without the claims API (built
 * separately): a purchase of the demo seed, or a new one, gets a claim through submitClaim, and the
 * remedy the customer would have chosen is set in the database.
 */

export const TEST_TODAY = Temporal.PlainDate.from('2026-11-25');

/** The moves of a repair, from the product's arrival at the center to closing: each one version up. */
export const REPAIR_PATH: readonly MaintenanceState[] = [
  'received',
  'diagnosing',
  'repairing',
  'repaired',
  'returned',
  'closed',
];

export async function endUserIdOf(db: Database, name: string): Promise<string> {
  const [row] = await db.select({ id: endUsers.id }).from(endUsers).where(eq(endUsers.name, name));
  if (!row) throw new Error(`no end user ${name}`);
  return row.id;
}

/** A DC power panel bought `daysAgo` days before TEST_TODAY by a demo end user, at no dealer. */
export async function purchaseFor(db: Database, endUserName: string, daysAgo = 200): Promise<string> {
  const [product] = await db
    .select({ id: products.id })
    .from(products)
    .where(eq(products.sku, DEMO_SKUS.dcPowerPanel));
  const [row] = await db
    .insert(purchases)
    .values({
      productId: product?.id ?? '',
      endUserId: await endUserIdOf(db, endUserName),
      purchaseDate: TEST_TODAY.subtract({ days: daysAgo }).toString(),
    })
    .returning({ id: purchases.id });
  if (!row) throw new Error('no purchase');
  return row.id;
}

/** A claim on a purchase, decided by the engine, with the remedy chosen (or not). */
export async function claimOn(
  app: FastifyInstance,
  db: Database,
  purchaseId: string,
  chosenRemedy: RemedyCode | null = 'mail_in_repair',
): Promise<string> {
  const [purchase] = await db.select().from(purchases).where(eq(purchases.id, purchaseId));
  if (!purchase) throw new Error('no purchase');
  const claim = await submitClaim(
    {
      db,
      policies: app.policies,
      storeTimeZone: 'Asia/Shanghai',
      now: () => TEST_NOW,
      publicUrl: new URL('http://localhost:3000'),
      messageKey: TEST_MESSAGE_KEY,
    },
    {
      purchaseId,
      endUserId: purchase.endUserId,
      cause: 'quality',
      description: 'Output voltage drops under load',
      actor: 'system',
    },
  );
  if (chosenRemedy) {
    await db.update(claims).set({ chosenRemedy, status: 'remedy_chosen' }).where(eq(claims.id, claim.id));
  }
  return claim.id;
}

/** Wang Fang's demo purchase: the one in the one-year window, with an e-mail address on record. */
export async function wangFangPurchase(db: Database): Promise<string> {
  const [row] = await db.select().from(purchases).where(eq(purchases.buyerName, DEMO_END_USERS[2].name));
  if (!row) throw new Error('demo purchases');
  return row.id;
}

/** An order written straight to the table, numbered from the real sequence so it never collides. */
export async function insertOrder(
  db: Database,
  values: Omit<NewMaintenanceOrder, 'maintenanceNumber'>,
): Promise<MaintenanceOrder> {
  const n = scalarOf(await db.execute(sql`select nextval('maintenance_number_seq')::text as n`), 'n');
  const [row] = await db
    .insert(maintenanceOrders)
    .values({ ...values, maintenanceNumber: maintenanceNumberFor(BigInt(String(n))) })
    .returning();
  if (!row) throw new Error('no order');
  return row;
}

/**
 * For the access matrix: a claim and an order of the demo customer (Li Wei) at the demo technician's
 * center, and a claim and an order of another customer (Zhang Min) at another center.
 */
export async function maintenanceOrderFixtures(
  app: FastifyInstance,
  db: Database,
  centers: { own: string; other: string },
): Promise<{ ownClaim: string; otherClaim: string; ownOrder: string; otherOrder: string }> {
  const purchaseOf = async (name: string) => {
    const [row] = await db.select({ id: purchases.id }).from(purchases).where(eq(purchases.buyerName, name));
    if (!row) throw new Error(`no demo purchase of ${name}`);
    return row.id;
  };
  const ownClaim = await claimOn(app, db, await purchaseOf(DEMO_END_USERS[0].name), null);
  const otherClaim = await claimOn(app, db, await purchaseOf(DEMO_END_USERS[1].name), null);
  const ownOrder = await insertOrder(db, {
    claimId: ownClaim,
    serviceCenterId: centers.own,
    mode: 'walk_in',
  });
  const otherOrder = await insertOrder(db, {
    claimId: otherClaim,
    serviceCenterId: centers.other,
    mode: 'mail_in',
  });
  return { ownClaim, otherClaim, ownOrder: ownOrder.id, otherOrder: otherOrder.id };
}
