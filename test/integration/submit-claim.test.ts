import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedPolicySource } from '../../src/app/policies/policy-source.js';
import { submitClaim, type SubmitClaimDeps } from '../../src/app/claims/submit-claim.js';
import { TEST_MESSAGE_KEY } from '../support/app.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { auditEvents, claims, outbox, purchases } from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { Temporal } from '../../src/domain/calendar.js';
import { testDatabases } from '../support/databases.js';

const TODAY = Temporal.PlainDate.from('2026-11-25');

describe.each(testDatabases())('submitting a claim on $name', (testDb) => {
  let handle: DatabaseHandle;
  let deps: SubmitClaimDeps;
  /** Demo purchases by how many days ago they were made. */
  const purchaseMadeDaysAgo = new Map<number, { id: string; endUserId: string }>();

  beforeAll(async () => {
    handle = await testDb.open();
    await seedDemoData(handle.db, { today: TODAY });
    deps = {
      db: handle.db,
      policies: cachedPolicySource(handle.db, { maxAgeMs: 60_000 }),
      storeTimeZone: 'Asia/Shanghai',
      now: () => Temporal.Instant.from('2026-11-25T04:00:00Z'),
      publicUrl: new URL('http://localhost:3000'),
      messageKey: TEST_MESSAGE_KEY,
    };
    const rows = await handle.db
      .select({ id: purchases.id, endUserId: purchases.endUserId, purchaseDate: purchases.purchaseDate })
      .from(purchases)
      .orderBy(asc(purchases.purchaseDate));
    for (const r of rows) {
      purchaseMadeDaysAgo.set(Temporal.PlainDate.from(r.purchaseDate).until(TODAY).days, {
        id: r.id,
        endUserId: r.endUserId,
      });
    }
  });
  afterAll(async () => {
    await handle.close();
  });

  const purchase = (daysAgo: number) => {
    const p = purchaseMadeDaysAgo.get(daysAgo);
    if (!p) throw new Error(`the demo seed has a purchase made ${daysAgo} days ago`);
    return p;
  };
  const input = (daysAgo: number, extra: Partial<Parameters<typeof submitClaim>[1]> = {}) => ({
    purchaseId: purchase(daysAgo).id,
    endUserId: purchase(daysAgo).endUserId,
    cause: 'quality' as const,
    description: 'No sound from the left ear cup',
    actor: 'customer:test',
    ...extra,
  });

  it('decides, and writes the claim, its audit event and the acknowledgement together', async () => {
    const claim = await submitClaim(deps, input(3));
    expect(claim).toMatchObject({
      replayed: false,
      reportedOn: '2026-11-25',
      status: 'open',
      decision: { window: '7_days', paid: false, policyVersion: 'halotek-2018-01' },
    });
    expect(claim.decision.remedies.map((r) => r.code)).toEqual(['refund', 'replacement', 'service_center']);
    const [stored] = await handle.db.select().from(claims).where(eq(claims.id, claim.id));
    expect(stored?.decision).toEqual(JSON.parse(JSON.stringify(claim.decision)));
    expect(stored?.policyVersionId).toBe('halotek-2018-01');
    const audit = await handle.db.select().from(auditEvents).where(eq(auditEvents.entityId, claim.id));
    expect(audit).toMatchObject([{ action: 'claim.submitted', actor: 'customer:test', entityType: 'claim' }]);
    const messages = await handle.db.select().from(outbox);
    expect(
      messages.some(
        (m) =>
          m.payload.claimId === claim.id && m.body.includes('full refund') && m.body.includes('全额退款'),
      ),
    ).toBe(true);
  });

  it('offers paid service after the warranty and for misuse, instead of refusing', async () => {
    expect((await submitClaim(deps, input(400))).decision).toMatchObject({ window: 'expired', paid: true });
    expect((await submitClaim(deps, input(30, { cause: 'human_damage' }))).decision).toMatchObject({
      paid: true,
      remedies: [{ code: 'paid_service' }],
    });
    expect((await submitClaim(deps, input(200))).decision.remedies.map((r) => r.code)).toEqual([
      'maintenance_order',
      'mail_in_repair',
    ]);
  });

  it('never makes a second claim for a retried key, even when the retries race', async () => {
    const key = `retry-${testDb.name}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => submitClaim(deps, input(30, { idempotencyKey: key }))),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const stored = await handle.db.select().from(claims).where(eq(claims.idempotencyKey, key));
    expect(stored).toHaveLength(1);
    const audit = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, stored[0]?.id ?? ''));
    expect(audit).toHaveLength(1);
  });

  it('refuses a reused key with other content, and someone else’s purchase, leaving nothing behind', async () => {
    const key = `reuse-${testDb.name}`;
    await submitClaim(deps, input(30, { idempotencyKey: key }));
    await expect(
      submitClaim(deps, input(30, { idempotencyKey: key, description: 'other' })),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const before = (await handle.db.select().from(claims)).length;
    const stranger = purchase(3).endUserId === purchase(400).endUserId ? purchase(30) : purchase(400);
    await expect(submitClaim(deps, { ...input(3), endUserId: stranger.endUserId })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'PURCHASE_NOT_FOUND',
    });
    await expect(submitClaim(deps, input(3, { reportedOn: '2020-01-01' }))).rejects.toMatchObject({
      code: 'REPORT_BEFORE_PURCHASE',
    });
    expect((await handle.db.select().from(claims)).length).toBe(before);
  });
});
