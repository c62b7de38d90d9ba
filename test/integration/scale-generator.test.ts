import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScaleData, SCALE_NOW } from '../../bench/generate.js';
import { listMaintenanceOrders } from '../../src/app/maintenance/read-maintenance-orders.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';
import { DEMO_REPAIRS, DEMO_SERVICE_HISTORY_ORDERS } from '../../src/db/seed.js';
import { testDatabases } from '../support/databases.js';

/** The scale generator at a thousand purchases: the shape it promises, so it cannot rot unnoticed. */
describe.each(testDatabases())('scale data generator ($name)', (testDb) => {
  let handle: DatabaseHandle;
  let counts: Record<string, number>;

  beforeAll(async () => {
    handle = await testDb.open();
    ({ counts } = await generateScaleData(handle, { purchases: 1000 }));
  }, 120_000);
  afterAll(async () => {
    await handle.close();
  });

  const one = async (query: ReturnType<typeof sql>) => {
    const [row] = rowsOf(await handle.db.execute(query));
    return Number(Object.values(row ?? {})[0]);
  };

  it('makes the volumes it scales from the purchases (the demo rows on top)', () => {
    // The demo's four sales and its one registration waiting for a check, by its own customer, and its
    // repairs: each a customer's sale, claim and maintenance order.
    const repairs = DEMO_REPAIRS.length;
    // The service-level history's finished repairs: a claim and an order each, on two of those sales.
    const history = DEMO_SERVICE_HISTORY_ORDERS;
    expect(counts['purchases']).toBe(1000 + 5 + repairs);
    expect(counts['claims']).toBe(350 + repairs + history);
    expect(counts['maintenance_orders']).toBe(200 + repairs + history);
    expect(counts['end_users']).toBe(800 + 5 + repairs);
    expect(counts['service_centers']).toBe(4);
    expect(counts['dealers']).toBe(20);
    expect(counts['oem_orders']).toBe(10 + 4);
    expect(counts['oem_defect_reports']).toBe(30 + 7);
    expect(counts['maintenance_order_events']).toBeGreaterThan(counts['maintenance_orders'] ?? 0);
    expect(counts['guest_access_tokens']).toBe(200);
    expect(counts['outbox']).toBeGreaterThan(counts['claims'] ?? 0);
  });

  it('keeps claims, purchases and orders consistent with one another', async () => {
    // A claim is its purchase's customer's, reported on or after the purchase.
    expect(
      await one(sql`select count(*) from claims c join purchases p on p.id = c.purchase_id
                    where c.end_user_id <> p.end_user_id or c.reported_on < p.purchase_date`),
    ).toBe(0);
    // A repair's claim chose a repair, and its decision is the one-year window.
    expect(
      await one(sql`select count(*) from maintenance_orders m join claims c on c.id = m.claim_id
                    where c.chosen_remedy not in ('maintenance_order', 'mail_in_repair')
                       or c.decision ->> 'window' <> '1_year'`),
    ).toBe(0);
    // Its timeline ends in the state it is in, and a deadline exists once the product came in.
    expect(
      await one(sql`select count(*) from maintenance_orders m
                    where m.state <> (select e.to_state from maintenance_order_events e
                                      where e.order_id = m.id order by e.id desc limit 1)
                       or (m.received_on is null) <> (m.due_on is null)`),
    ).toBe(0);
    // A dealer's remedy is on a sale of that dealer.
    expect(
      await one(sql`select count(*) from dealer_remedies r join claims c on c.id = r.claim_id
                    join purchases p on p.id = c.purchase_id where p.dealer_id <> r.dealer_id`),
    ).toBe(0);
    // An escalation names an order that was escalated.
    expect(
      await one(sql`select count(*) from outbox o where o.topic = 'maintenance_order.commitment_missed'
                    and not exists (select 1 from maintenance_orders m
                                    where m.id = (o.payload ->> 'maintenanceOrderId')::uuid and m.escalated_at is not null)`),
    ).toBe(0);
  });

  it('has most repairs closed and a realistic few open, some of them late', async () => {
    const open = await one(
      sql`select count(*) from maintenance_orders where state not in ('closed', 'cancelled')`,
    );
    const closed = await one(sql`select count(*) from maintenance_orders where state = 'closed'`);
    expect(closed).toBeGreaterThan(150);
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThan(40);
  });

  it('books OEM orders of about 2,000 units, their lots adding up to the order', async () => {
    const units = counts['oem_units'] ?? 0;
    expect(units / 10).toBeGreaterThan(1500);
    expect(units / 10).toBeLessThan(3000);
    expect(
      await one(sql`select count(*) from oem_orders o
                    where o.quantity <> (select sum((l ->> 'units')::int) from jsonb_array_elements(o.lot_details) l)`),
    ).toBe(0);
    // Each order's lots are the maker's lots, allocated from them, never past what a lot holds.
    expect(counts['lot_allocations']).toBeGreaterThanOrEqual(20);
    expect(
      await one(sql`select count(*) from lots lt
                    where lt.quantity < (select coalesce(sum(a.units), 0) from lot_allocations a where a.lot_id = lt.id)`),
    ).toBe(0);
  });

  it('gives the technician queue open orders only when asked for them', async () => {
    const { items: orders } = await listMaintenanceOrders(
      { db: handle.db, now: () => SCALE_NOW },
      { userId: 'bench-support', role: 'support', scope: {} },
      { open: true },
    );
    const open = await one(
      sql`select count(*) from maintenance_orders where state not in ('closed', 'cancelled')`,
    );
    expect(orders).toHaveLength(open);
    expect(orders.every((o) => o.state !== 'closed' && o.state !== 'cancelled')).toBe(true);
  });
});
