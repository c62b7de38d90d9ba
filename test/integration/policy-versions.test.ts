import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, policyVersions, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { builtInPolicyVersions } from '../../src/domain/policy/halotek.js';
import type { PolicyVersion } from '../../src/domain/policy/schema.js';
import { TEST_NOW, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Publishing a policy version: only from a future day, never over an existing id or day, and the very
 * next decision about a purchase on or after that day uses it while earlier purchases keep the old one.
 */

const TODAY = TEST_NOW.toZonedDateTimeISO('Asia/Shanghai').toPlainDate();
const TOMORROW = TODAY.add({ days: 1 });

/** The built-in version in force today; later built-in ones take effect after the days these tests use. */
const current = builtInPolicyVersions.filter((v) => v.effectiveFrom <= TODAY.toString()).at(-1);
if (!current) throw new Error('no built-in policy version');
const laterBuiltIns = builtInPolicyVersions
  .filter((v) => v.effectiveFrom > TODAY.toString())
  .map((v) => v.id);

/** The built-in version with its first window stretched from 7 to 15 days, effective from `day`. */
function versionFrom(day: Temporal.PlainDate, id = `halotek-${day.toString()}`): PolicyVersion {
  const copy = structuredClone(current) as PolicyVersion;
  const [first] = copy.endUser.windows;
  if (!first) throw new Error('the built-in version has no windows');
  first.within = { days: 15 };
  return { ...copy, id, effectiveFrom: day.toString() };
}

describe.each(testDatabases())('policy versions on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  let admin = '';
  let support = '';
  let adminId = '';

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    admin = await demoSession(t.app, 'admin');
    support = await demoSession(t.app, 'support');
    const [row] = await t.db.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS[0].email));
    adminId = row?.id ?? '';
  });

  const publish = (body: unknown, cookie: string | null = admin) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/policies',
      headers: cookie ? { origin: ORIGIN, cookie } : { origin: ORIGIN },
      payload: body as object,
    });

  /** Reported 13 days after purchase: inside a 15-day first window, past a 7-day one. */
  const decideThirteenDaysAfter = async (purchase: Temporal.PlainDate) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/entitlements/evaluate',
      payload: {
        customerType: 'end_user',
        purchaseDate: purchase.toString(),
        reportDate: purchase.add({ days: 13 }).toString(),
        cause: 'quality',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ policyVersion: string; window: string; remedies: { code: string }[] }>();
  };

  it('lets an admin only publish', async () => {
    expect((await publish(versionFrom(TOMORROW), null)).statusCode).toBe(401);
    const refused = await publish(versionFrom(TOMORROW), support);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('decides purchases from tomorrow with the new version at once, earlier ones with the old', async () => {
    const afterDay = TOMORROW.add({ days: 1 });
    // Asked before publishing, so the old versions sit in the process's cache.
    expect(await decideThirteenDaysAfter(afterDay)).toMatchObject({
      policyVersion: current.id,
      window: '60_days',
    });

    const next = versionFrom(TOMORROW);
    const res = await publish(next);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual(next);

    const after = await decideThirteenDaysAfter(afterDay);
    expect(after).toMatchObject({ policyVersion: next.id, window: '7_days' });
    expect(after.remedies.map((r) => r.code)).toContain('refund');
    expect(await decideThirteenDaysAfter(TOMORROW)).toMatchObject({ policyVersion: next.id });
    // Bought today: the version in force today still decides, as it did before.
    expect(await decideThirteenDaysAfter(TODAY)).toMatchObject({
      policyVersion: current.id,
      window: '60_days',
    });

    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/policies' });
    expect(listed.json<{ id: string }[]>().map((v) => v.id)).toEqual([current.id, next.id, ...laterBuiltIns]);
    const inForce = await t.app.inject({ method: 'GET', url: '/api/v1/policies/current' });
    expect(inForce.json()).toMatchObject({ id: current.id });

    const events = await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, next.id));
    expect(events).toEqual([
      expect.objectContaining({
        actor: `user:${adminId}`,
        action: 'policy_version.created',
        entityType: 'policy_version',
        data: { effectiveFrom: TOMORROW.toString() },
      }),
    ]);
  });

  it('never rewrites the past: today or earlier is refused', async () => {
    for (const day of [TODAY, TODAY.subtract({ days: 1 }), Temporal.PlainDate.from('2018-01-01')]) {
      const res = await publish(versionFrom(day, `halotek-past-${day.toString()}`));
      expect(res.statusCode, day.toString()).toBe(400);
      expect(res.json()).toMatchObject({
        error: {
          code: 'EFFECTIVE_FROM_NOT_IN_FUTURE',
          details: { field: 'effectiveFrom', today: TODAY.toString() },
        },
      });
    }
  });

  it('answers 409 for an id or a day already taken', async () => {
    const day = TODAY.add({ days: 30 });
    expect((await publish(versionFrom(day))).statusCode).toBe(201);
    const sameId = await publish({ ...versionFrom(day.add({ days: 1 })), id: `halotek-${day.toString()}` });
    expect(sameId.statusCode).toBe(409);
    expect(sameId.json()).toMatchObject({ error: { code: 'POLICY_VERSION_EXISTS' } });
    const builtIn = await publish({ ...versionFrom(day.add({ days: 2 })), id: current.id });
    expect(builtIn.json()).toMatchObject({ error: { code: 'POLICY_VERSION_EXISTS' } });
    const sameDay = await publish(versionFrom(day, 'halotek-another'));
    expect(sameDay.statusCode).toBe(409);
    expect(sameDay.json()).toMatchObject({ error: { code: 'POLICY_EFFECTIVE_FROM_TAKEN' } });
    // The refused versions left nothing behind.
    const rows = await t.db.db.select({ id: policyVersions.id }).from(policyVersions);
    expect(rows.map((r) => r.id).sort()).toEqual(
      [current.id, ...laterBuiltIns, `halotek-${TOMORROW.toString()}`, `halotek-${day.toString()}`].sort(),
    );
  });

  it('lets one of two admins racing for the same day win, and tells the other 409', async () => {
    const day = TODAY.add({ days: 90 });
    const results = await Promise.all([
      publish(versionFrom(day, 'halotek-race-a')),
      publish(versionFrom(day, 'halotek-race-b')),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.statusCode === 409);
    expect(loser?.json()).toMatchObject({ error: { code: 'POLICY_EFFECTIVE_FROM_TAKEN' } });
  });

  it('refuses a document that is not a valid policy with 400', async () => {
    const day = TODAY.add({ days: 60 });
    const base = versionFrom(day);
    const [first, ...rest] = base.endUser.windows;
    const cases: [unknown, string][] = [
      [{ ...base, effectiveFrom: '2027-02-30' }, 'VALIDATION_FAILED'],
      [{ ...base, id: 'Not An Id' }, 'VALIDATION_FAILED'],
      [{ ...base, title: { en: 'Only English' } }, 'VALIDATION_FAILED'],
      // Windows out of order: the longest first.
      [{ ...base, endUser: { ...base.endUser, windows: [...rest, first] } }, 'VALIDATION_FAILED'],
      [{ ...base, extra: true }, 'VALIDATION_FAILED'],
      [{ ...base, storeTimeZone: 'Asia/Atlantis' }, 'INVALID_TIME_ZONE'],
    ];
    for (const [body, code] of cases) {
      const res = await publish(body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error: { code } });
    }
  });
});
