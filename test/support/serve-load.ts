import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.js';
import { endUsers, oemOrders, products, purchases } from '../../src/db/schema.js';
import {
  DEMO_ACCOUNTS,
  DEMO_END_USERS,
  DEMO_FLAGGED_OEM_ORDER,
  DEMO_PASSWORD,
  DEMO_SKUS,
} from '../../src/db/seed.js';
import { calendarDateIn, Temporal } from '../../src/domain/calendar.js';
import { sessionCookie } from './sessions.js';

/*
 * What the tests that load real `aftersales serve` processes share: the demo data they aim at, and a
 * sign-in over HTTP.
 */

/** The origin the servers of these tests are told they are served from (PUBLIC_URL). */
export const SERVE_ORIGIN = 'http://localhost:3000';

export type LoadTargets = {
  /** The demo customer's recent purchase: a claim on it is in the seven-day window. */
  recentPurchase: string;
  /** A power panel bought 200 days ago: its claims are in the one-year window, where orders are issued. */
  olderPurchase: string;
  /** The seeded OEM order with a flagged lot, where defects are reported. */
  oemOrderId: string;
};

/** On a migrated, seeded database: the demo customer's purchases (adding the older one) and OEM order. */
export async function prepareLoadTargets(setup: DatabaseHandle): Promise<LoadTargets> {
  const [customer] = await setup.db
    .select({ id: endUsers.id })
    .from(endUsers)
    .where(eq(endUsers.email, DEMO_END_USERS[0].email));
  const [recent] = await setup.db
    .select({ id: purchases.id })
    .from(purchases)
    .where(eq(purchases.endUserId, customer?.id ?? ''));
  const [panel] = await setup.db
    .select({ id: products.id })
    .from(products)
    .where(eq(products.sku, DEMO_SKUS.dcPowerPanel));
  const today = calendarDateIn(Temporal.Now.instant(), 'Asia/Shanghai');
  const [older] = await setup.db
    .insert(purchases)
    .values({
      productId: panel?.id ?? '',
      endUserId: customer?.id ?? '',
      purchaseDate: today.subtract({ days: 200 }).toString(),
    })
    .returning({ id: purchases.id });
  const [order] = await setup.db
    .select({ id: oemOrders.id })
    .from(oemOrders)
    .where(eq(oemOrders.orderNumber, DEMO_FLAGGED_OEM_ORDER.orderNumber));
  if (!recent || !older || !order) throw new Error('the demo seed has its purchases and orders');
  return { recentPurchase: recent.id, olderPurchase: older.id, oemOrderId: order.id };
}

/** Signs a demo account in over HTTP and gives its session cookie. */
export async function signInOverHttp(url: string, role: string): Promise<string> {
  const found = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!found) throw new Error(`the demo seed has a ${role}`);
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SERVE_ORIGIN },
    body: JSON.stringify({ email: found.email, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`${role} could not sign in: ${res.status} ${await res.text()}`);
  return sessionCookie(res.headers.getSetCookie());
}
