import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { maintenanceOrders, outbox, satisfactionRatings, serviceCenters } from '../../src/db/schema.js';
import { DEMO_END_USERS, DEMO_SERVICE_CENTERS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type { MaintenanceOrderResponse } from '../../src/http/maintenance/schemas.js';
import type { ServiceLevelReportBody } from '../../src/http/insight/schemas.js';
import { sentText, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { claimOn, insertOrder, purchaseFor, TEST_TODAY, wangFangPurchase } from '../support/maintenance.js';
import { demoSession, ORIGIN } from '../support/sessions.js';
import { lenientRiskSettings } from '../support/service-fixtures.js';

const DASHBOARD = '/api/v1/insight/service-levels';

describe.each(testDatabases())('insight: the service-level dashboard and ratings on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let shenzhen: string;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TEST_TODAY });
    await lenientRiskSettings(t.db.db);
    for (const role of ['admin', 'support', 'qa', 'sales', 'technician', 'customer', 'dealer'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    const [center] = await t.db.db
      .select({ id: serviceCenters.id })
      .from(serviceCenters)
      .where(eq(serviceCenters.nameEn, DEMO_SERVICE_CENTERS[0].nameEn));
    shenzhen = center?.id ?? '';
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const get = (role: Role | null, url: string) =>
    t.app.inject({ method: 'GET', url, headers: role ? as(role) : { origin: ORIGIN } });
  const post = (url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: { origin: ORIGIN }, payload });

  /** Walks a new mail-in order of a purchase at Shenzhen to `returned`, as the center's technician. */
  async function returnedOrder(purchaseId: string): Promise<MaintenanceOrderResponse> {
    const claimId = await claimOn(t.app, t.db.db, purchaseId, 'mail_in_repair');
    const issued = await t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claimId}/maintenance-order`,
      headers: as('support'),
      payload: { mode: 'mail_in', location: { cityId: 'shenzhen' } },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    let order = issued.json<MaintenanceOrderResponse>();
    for (const step of [
      { to: 'received' },
      { to: 'diagnosing' },
      { to: 'repairing' },
      { to: 'repaired' },
      { to: 'returned', returnTracking: 'SF0000000001' },
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/maintenance-orders/${order.id}/transitions`,
        headers: as('technician'),
        payload: { ...step, expectedVersion: order.version },
      });
      expect(res.statusCode, res.body).toBe(200);
      order = res.json<MaintenanceOrderResponse>();
    }
    return order;
  }

  /** The rating link the customer was sent about an order, as the mail server gets it. */
  async function ratingTokenOf(orderId: string): Promise<string> {
    const rows = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'satisfaction.rating_requested'));
    const [row] = rows
      .filter((r) => {
        const payload = r.payload as { ratingId?: string };
        return payload.ratingId !== undefined;
      })
      .filter((r) => (r.payload as { claimId: string }).claimId === orderClaims.get(orderId));
    expect(row?.body).not.toMatch(/token=[A-Za-z0-9_-]{20}/); // the row keeps the link sealed
    const token = /\/rate\?token=([A-Za-z0-9_-]+)/.exec(sentText(row))?.[1];
    expect(token).toBeDefined();
    return token ?? '';
  }
  const orderClaims = new Map<string, string>();

  it('lets support, QA and admins read the dashboard and its CSV, and no technician, dealer, customer or sales', async () => {
    for (const role of ['technician', 'dealer', 'customer', 'sales'] as const) {
      for (const url of [DASHBOARD, `${DASHBOARD}/export`]) {
        const res = await get(role, url);
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      }
    }
    expect((await get(null, DASHBOARD)).statusCode).toBe(401);
    for (const role of ['support', 'qa', 'admin'] as const) {
      expect((await get(role, DASHBOARD)).statusCode, role).toBe(200);
    }
  });

  it('refuses a reversed or overlong period and a malformed filter with a code', async () => {
    expect((await get('support', `${DASHBOARD}?from=2026-11-10&to=2026-11-01`)).json()).toMatchObject({
      error: { code: 'PERIOD_REVERSED' },
    });
    const long = await get('support', `${DASHBOARD}?from=2024-01-01&to=2026-11-01`);
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ error: { code: 'PERIOD_TOO_LONG' } });
    expect((await get('support', `${DASHBOARD}?serviceCenterId=nope`)).statusCode).toBe(400);
  });

  it('sends a rating link with the return, in its transaction; the customer rates once, and it shows per center and technician', async () => {
    const order = await returnedOrder(await wangFangPurchase(t.db.db));
    orderClaims.set(order.id, order.claimId);
    const [row] = await t.db.db
      .select()
      .from(satisfactionRatings)
      .where(eq(satisfactionRatings.maintenanceOrderId, order.id));
    expect(row).toMatchObject({ subject: 'maintenance_order', serviceCenterId: shenzhen, score: null });
    expect(row?.technicianId).toBeTruthy();
    const token = await ratingTokenOf(order.id);
    // Only the hash is kept.
    expect(JSON.stringify(row)).not.toContain(token);

    const opened = await post('/api/v1/ratings/open', { token });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json()).toMatchObject({
      subject: 'maintenance_order',
      maintenanceNumber: order.maintenanceNumber,
    });

    // Two answers at once: one is kept, the other told the link is used.
    const answers = await Promise.all([
      post('/api/v1/ratings', { token, score: 4, comment: 'Quick and\nfriendly' }),
      post('/api/v1/ratings', { token, score: 1 }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.statusCode === 409)?.json()).toMatchObject({
      error: { code: 'RATING_ALREADY_GIVEN' },
    });
    const again = await post('/api/v1/ratings', { token, score: 5 });
    expect(again.statusCode).toBe(409);
    expect((await post('/api/v1/ratings/open', { token })).json()).toMatchObject({
      error: { code: 'RATING_ALREADY_GIVEN' },
    });

    // Today only: the demo's ratings are older.
    const report = (
      await get('qa', `${DASHBOARD}?from=2026-11-25&to=2026-11-25`)
    ).json<ServiceLevelReportBody>();
    const [rated] = await t.db.db
      .select()
      .from(satisfactionRatings)
      .where(eq(satisfactionRatings.id, row?.id ?? ''));
    const score = rated?.score ?? 0;
    expect([1, 4]).toContain(score);
    expect(report.ratings.byCenter.find((c) => c.centerId === shenzhen)).toMatchObject({
      ratings: 1,
      average: score,
    });
    expect(report.ratings.byTechnician).toHaveLength(1);
    expect(report.ratings.byTechnician[0]).toMatchObject({
      technician: { id: row?.technicianId },
      ratings: 1,
    });
  });

  it('refuses a forged, expired or overlong rating, a control character, and a body naming another order', async () => {
    const forged = await post('/api/v1/ratings', { token: 'x'.repeat(43), score: 5 });
    expect(forged.statusCode).toBe(404);
    expect(forged.json()).toMatchObject({ error: { code: 'RATING_LINK_NOT_FOUND' } });

    const order = await returnedOrder(await purchaseFor(t.db.db, DEMO_END_USERS[3].name));
    orderClaims.set(order.id, order.claimId);
    const token = await ratingTokenOf(order.id);
    const other = await returnedOrder(await purchaseFor(t.db.db, DEMO_END_USERS[0].name));
    orderClaims.set(other.id, other.claimId);

    const control = await post('/api/v1/ratings', { token, score: 5, comment: 'ok\u0007' });
    expect(control.statusCode).toBe(400);
    const long = await post('/api/v1/ratings', { token, score: 5, comment: 'a'.repeat(1001) });
    expect(long.statusCode).toBe(400);
    expect((await post('/api/v1/ratings', { token, score: 6 })).statusCode).toBe(400);
    // The token decides what is rated: a body cannot point it at another customer's order.
    const redirected = await post('/api/v1/ratings', { token, score: 1, maintenanceOrderId: other.id });
    expect(redirected.statusCode).toBe(400);
    const [untouched] = await t.db.db
      .select()
      .from(satisfactionRatings)
      .where(eq(satisfactionRatings.maintenanceOrderId, other.id));
    expect(untouched?.ratedAt).toBeNull();
    // Signed in as another customer changes nothing: this link rates this order only.
    const asOther = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ratings',
      headers: as('customer'),
      payload: { token, score: 2 },
    });
    expect(asOther.statusCode).toBe(200);
    const rows = await t.db.db
      .select({ orderId: satisfactionRatings.maintenanceOrderId, score: satisfactionRatings.score })
      .from(satisfactionRatings)
      .where(sql`${satisfactionRatings.maintenanceOrderId} in (${order.id}, ${other.id})`);
    expect(rows.find((r) => r.orderId === order.id)?.score).toBe(2);
    expect(rows.find((r) => r.orderId === other.id)?.score).toBeNull();

    // Expired: the other order's link, aged past its day.
    const otherToken = await ratingTokenOf(other.id);
    await t.db.db
      .update(satisfactionRatings)
      .set({ expiresAt: new Date('2026-11-01T00:00:00Z') })
      .where(eq(satisfactionRatings.maintenanceOrderId, other.id));
    const expired = await post('/api/v1/ratings', { token: otherToken, score: 5 });
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: { code: 'RATING_LINK_EXPIRED' } });
    expect((await post('/api/v1/ratings/open', { token: otherToken })).statusCode).toBe(410);
  });

  it('shows per center and week what a naive count over the rows gives, and exports it as formula-safe CSV', async () => {
    // Orders straight in the table: one back on time, one back late, one still open past its day.
    const purchase = await wangFangPurchase(t.db.db);
    for (const [receivedOn, returnedOn, dueOn] of [
      ['2026-11-13', '2026-11-17', '2026-11-18'],
      ['2026-11-13', '2026-11-24', '2026-11-18'],
      ['2026-11-16', null, '2026-11-20'],
    ] as const) {
      await insertOrder(t.db.db, {
        claimId: await claimOn(t.app, t.db.db, purchase),
        serviceCenterId: shenzhen,
        mode: 'mail_in',
        state: returnedOn ? 'returned' : 'repairing',
        receivedOn,
        dueOn,
        returnedOn,
      });
    }
    const from = '2026-11-01';
    const to = '2026-11-25';
    const res = await get('support', `${DASHBOARD}?from=${from}&to=${to}&serviceCenterId=${shenzhen}`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json<ServiceLevelReportBody>();
    const rows = await t.db.db
      .select()
      .from(maintenanceOrders)
      .where(eq(maintenanceOrders.serviceCenterId, shenzhen));
    const inPeriod = (d: string | null) => d !== null && d >= from && d <= to;
    const sum = (k: 'received' | 'returned' | 'misses') => report.weeks.reduce((n, w) => n + w[k], 0);
    expect(report.weeks.every((w) => w.centerId === shenzhen)).toBe(true);
    expect(sum('received')).toBe(rows.filter((r) => inPeriod(r.receivedOn)).length);
    expect(sum('returned')).toBe(rows.filter((r) => inPeriod(r.returnedOn)).length);
    expect(sum('misses')).toBe(
      rows.filter(
        (r) =>
          inPeriod(r.dueOn) &&
          r.state !== 'cancelled' &&
          (r.returnedOn === null ? (r.dueOn ?? '') < to : r.returnedOn > (r.dueOn ?? '')),
      ).length,
    );
    const open = report.openByAge.find((o) => o.centerId === shenzhen);
    expect(open?.total).toBe(
      rows.filter(
        (r) =>
          r.receivedOn !== null &&
          r.receivedOn <= to &&
          (r.returnedOn === null || r.returnedOn > to) &&
          r.state !== 'cancelled',
      ).length,
    );
    expect(report.claimsByMonth.reduce((n, c) => n + c.claims, 0)).toBeGreaterThan(0);

    const csv = await get('support', `${DASHBOARD}/export?from=${from}&to=${to}&serviceCenterId=${shenzhen}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'center,week_of,received,returned,median_turnaround_business_days,p90_turnaround_business_days,returned_within_commitment,share_within_commitment,median_first_contact_business_days,misses',
    );
    expect(lines).toHaveLength(report.weeks.length + 1);
  });

  it('writes a center name that starts a formula as text in the CSV', async () => {
    await t.db.db
      .update(serviceCenters)
      .set({ nameEn: '=HYPERLINK("http://evil")' })
      .where(eq(serviceCenters.id, shenzhen));
    try {
      const csv = await get(
        'admin',
        `${DASHBOARD}/export?from=2026-11-01&to=2026-11-25&serviceCenterId=${shenzhen}`,
      );
      const lines = csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n')
        .slice(1);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line.startsWith(`"'=HYPERLINK`)).toBe(true);
    } finally {
      await t.db.db
        .update(serviceCenters)
        .set({ nameEn: DEMO_SERVICE_CENTERS[0].nameEn })
        .where(eq(serviceCenters.id, shenzhen));
    }
  });
});
