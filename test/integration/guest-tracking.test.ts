import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { submitClaim } from '../../src/app/claims/submit-claim.js';
import {
  guestAccessTokens,
  maintenanceOrders,
  outbox,
  purchases,
  serviceCenters,
} from '../../src/db/schema.js';
import { DEMO_END_USERS, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { maintenanceNumberFor } from '../../src/domain/maintenance/maintenance-number.js';
import { sentText, TEST_MESSAGE_KEY, TEST_NOW, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { statementsSentBy } from '../support/query-count.js';

const TODAY = Temporal.PlainDate.from('2026-11-25');

describe.each(testDatabases())('guest tracking on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  let trackingUrl: URL;
  let claimId: string;
  const maintenanceNumber = maintenanceNumberFor(42n);

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    // Wang Fang's DC power panel, 200 days old; then a maintenance order for its mailed-in parts.
    const fresh = (await t.db.db.select().from(purchases).orderBy(asc(purchases.createdAt))).find(
      (p) => p.buyerName === DEMO_END_USERS[2].name,
    );
    if (!fresh) throw new Error('demo purchases');
    const claim = await submitClaim(
      {
        db: t.db.db,
        policies: t.app.policies,
        storeTimeZone: 'Asia/Shanghai',
        now: () => TEST_NOW,
        publicUrl: new URL('http://localhost:3000'),
        messageKey: TEST_MESSAGE_KEY,
      },
      {
        purchaseId: fresh.id,
        endUserId: fresh.endUserId,
        cause: 'quality',
        description: 'Output voltage drops under load',
        actor: 'system',
      },
    );
    claimId = claim.id;
    trackingUrl = new URL(claim.trackingUrl ?? 'http://none');
    const [center] = await t.db.db.select().from(serviceCenters).limit(1);
    await t.db.db.insert(maintenanceOrders).values({
      claimId,
      maintenanceNumber,
      serviceCenterId: center?.id ?? '',
      mode: 'mail_in',
      state: 'received',
      receivedOn: '2026-11-25',
      dueOn: '2026-12-02',
    });
  });

  const byLink = (token: string | null) =>
    t.app.inject({ method: 'POST', url: '/api/v1/tracking/link', payload: { token } });
  const byNumber = (number: string, contact: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/lookup',
      payload: { maintenanceNumber: number, contact },
    });

  it('sends the tracking link in the acknowledgement and keeps only its hash', async () => {
    expect(trackingUrl.pathname).toBe('/track');
    const token = trackingUrl.searchParams.get('token') ?? '';
    expect(token.length).toBeGreaterThanOrEqual(43);
    const [message] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'claim.received'));
    // The row shows the link without its token; the e-mail carries it whole.
    expect(message?.body).not.toContain(token);
    expect(sentText(message)).toContain(trackingUrl.toString());
    const stored = await t.db.db
      .select()
      .from(guestAccessTokens)
      .where(eq(guestAccessTokens.claimId, claimId));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.tokenHash).not.toContain(token);
  });

  it('shows the claim and its maintenance order by the link, without personal data', async () => {
    const res = await byLink(trackingUrl.searchParams.get('token'));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      claim: {
        window: '1_year',
        status: 'open',
        paid: false,
        remedies: ['maintenance_order', 'mail_in_repair'],
      },
      maintenanceOrder: { maintenanceNumber, state: 'received', dueOn: '2026-12-02' },
    });
    expect(res.body).not.toContain(DEMO_END_USERS[2].name);
    expect(res.body).not.toContain(DEMO_END_USERS[2].email);
  });

  it('answers 404 to a made-up token and 410 to an expired one', async () => {
    expect((await byLink('x'.repeat(43))).json()).toMatchObject({ error: { code: 'GUEST_LINK_NOT_FOUND' } });
    await t.db.db
      .update(guestAccessTokens)
      .set({ expiresAt: new Date(TEST_NOW.epochMilliseconds - 1) })
      .where(eq(guestAccessTokens.claimId, claimId));
    const expired = await byLink(trackingUrl.searchParams.get('token'));
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ error: { code: 'GUEST_LINK_EXPIRED' } });
  });

  it('finds the order by its number and the contact on record, however they are typed', async () => {
    const lowerNoDashes = maintenanceNumber.toLowerCase().replaceAll('-', '');
    const res = await byNumber(lowerNoDashes, ` ${DEMO_END_USERS[2].email.toUpperCase()} `);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ maintenanceOrder: { maintenanceNumber } });
  });

  it('gives a wrong contact and an unknown number the same 404, and a typo a 400', async () => {
    const wrongContact = await byNumber(maintenanceNumber, 'someone.else@example.com');
    const unknownNumber = await byNumber(maintenanceNumberFor(43n), DEMO_END_USERS[2].email);
    expect(wrongContact.statusCode).toBe(404);
    expect(unknownNumber.statusCode).toBe(404);
    expect(wrongContact.json()).toEqual(unknownNumber.json());
    // Nor by how long they take: both send the same statements (the number is looked up with its
    // contacts in one query, the contact compared after it).
    const wrongContactSql = await statementsSentBy(t.db, () =>
      byNumber(maintenanceNumber, 'someone.else@example.com'),
    );
    const unknownNumberSql = await statementsSentBy(t.db, () =>
      byNumber(maintenanceNumberFor(43n), DEMO_END_USERS[2].email),
    );
    expect(wrongContactSql.length).toBeGreaterThan(0);
    expect(wrongContactSql).toEqual(unknownNumberSql);
    const typo = await byNumber(
      `${maintenanceNumber.slice(0, -1)}${maintenanceNumber.endsWith('0') ? '1' : '0'}`,
      'x@y.z',
    );
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({ error: { code: 'INVALID_MAINTENANCE_NUMBER' } });
  });
});

describe.each(testDatabases())('guest look-ups are rate limited on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  it('answers 429 with the one error shape once a client has tried too often', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tracking/lookup',
        payload: { maintenanceNumber: maintenanceNumberFor(7n), contact: 'guess@example.com' },
      });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    }
    expect(statuses).toEqual([404, 404, 404, 429]);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { origin: 'http://localhost:3000' },
      payload: { email: 'nobody@example.com', password: 'wrong-password' },
    });
    expect(signIn.statusCode).toBe(401);
  });
});
