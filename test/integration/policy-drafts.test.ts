import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { submitClaim } from '../../src/app/claims/submit-claim.js';
import {
  auditEvents,
  claims,
  dealerRemedies,
  dealers,
  endUsers,
  policyVersions,
  products,
  purchases,
  reimbursementClaims,
} from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { evaluate } from '../../src/domain/policy/evaluate.js';
import { builtInPolicyVersions } from '../../src/domain/policy/halotek.js';
import type { PolicyVersion, RemedyCode } from '../../src/domain/policy/schema.js';
import { TEST_MESSAGE_KEY, TEST_NOW, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { colleagueSession, demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Draft policy versions: never in force however their date falls, published once however many try at
 * once, and replayed over the stored claims ("what if") with figures checked on a small known data set.
 */

const TODAY = TEST_NOW.toZonedDateTimeISO('Asia/Shanghai').toPlainDate();
const current = builtInPolicyVersions.filter((v) => v.effectiveFrom <= TODAY.toString()).at(-1);
if (!current) throw new Error('no built-in policy version');
const base: PolicyVersion = current;

/** A copy of the version in force with its first window (7 days: refund) stretched to 15 days. */
function draftDoc(id: string, effectiveFrom: string, change?: (doc: PolicyVersion) => void): PolicyVersion {
  const doc = structuredClone<PolicyVersion>(base);
  doc.id = id;
  doc.effectiveFrom = effectiveFrom;
  const [first] = doc.endUser.windows;
  if (first) first.within = { days: 15 };
  change?.(doc);
  return doc;
}

type DraftBody = { id: string; version: number; status: string; document: PolicyVersion };

describe.each(testDatabases())('draft policy versions on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  let admin = '';
  let support = '';

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    admin = await demoSession(t.app, 'admin');
    support = await demoSession(t.app, 'support');
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, cookie: string | null = admin) =>
    t.app.inject({
      method,
      url,
      headers: cookie ? { origin: ORIGIN, cookie } : { origin: ORIGIN },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const createDraft = async (document: PolicyVersion) => {
    const res = await call('POST', '/api/v1/policy-drafts', { document, basedOn: base.id });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<DraftBody>();
  };

  it('answers admins only: others 403, nobody 401', async () => {
    const draft = await createDraft(draftDoc('halotek-scope', TODAY.add({ days: 40 }).toString()));
    for (const [method, url, body] of [
      ['GET', '/api/v1/policy-drafts', undefined],
      ['POST', '/api/v1/policy-drafts', { document: draftDoc('x', '2030-01-01') }],
      ['GET', `/api/v1/policy-drafts/${draft.id}`, undefined],
      ['PUT', `/api/v1/policy-drafts/${draft.id}`, { document: draft.document, version: draft.version }],
      ['POST', `/api/v1/policy-drafts/${draft.id}/publish`, { version: draft.version }],
      ['POST', `/api/v1/policy-drafts/${draft.id}/discard`, { version: draft.version }],
      ['GET', `/api/v1/insight/what-if?draft=${draft.id}&months=6`, undefined],
    ] as const) {
      const refused = await call(method, url, body, support);
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect((await call(method, url, body, null)).statusCode, `${method} ${url}`).toBe(401);
    }
    // Untouched by the refused calls.
    expect((await call('GET', `/api/v1/policy-drafts/${draft.id}`)).json()).toMatchObject({
      status: 'draft',
      version: 1,
    });
  });

  it('never decides with a draft, even one whose effective date has passed', async () => {
    // In force "since" January under the draft: a 40-day refund window. Nothing may use it.
    const draft = await createDraft(
      draftDoc('halotek-draft-past', '2026-01-01', (doc) => {
        const [first] = doc.endUser.windows;
        if (first) first.within = { days: 40 };
      }),
    );
    expect(draft).toMatchObject({ status: 'draft', version: 1 });
    const [sale] = await t.db.db
      .select({ id: purchases.id, endUserId: purchases.endUserId, purchaseDate: purchases.purchaseDate })
      .from(purchases)
      .where(eq(purchases.purchaseDate, TODAY.subtract({ days: 30 }).toString()));
    if (!sale) throw new Error('the demo seed has a purchase made 30 days ago');
    const claim = await submitClaim(
      {
        db: t.db.db,
        policies: t.app.policies,
        storeTimeZone: 'Asia/Shanghai',
        now: () => TEST_NOW,
        publicUrl: new URL(ORIGIN),
        messageKey: TEST_MESSAGE_KEY,
      },
      {
        purchaseId: sale.id,
        endUserId: sale.endUserId,
        cause: 'quality',
        description: 'Hums',
        actor: 'customer:test',
      },
    );
    // Day 30: past the published 7-day window, inside the draft's 40 days — decided by the published one.
    expect(claim.decision).toMatchObject({ policyVersion: base.id, window: '60_days' });
    expect(claim.decision.remedies.map((r) => r.code)).not.toContain('refund');
    const [row] = await t.db.db.select().from(claims).where(eq(claims.id, claim.id));
    expect(row?.policyVersionId).toBe(base.id);

    const asked = await call('POST', '/api/v1/entitlements/evaluate', {
      customerType: 'end_user',
      purchaseDate: sale.purchaseDate,
      reportDate: TODAY.toString(),
      cause: 'quality',
    });
    expect(asked.json()).toMatchObject({ policyVersion: base.id, window: '60_days' });
    // The public lists do not show it.
    expect((await call('GET', '/api/v1/policies', undefined, null)).body).not.toContain('halotek-draft-past');
    expect((await call('GET', '/api/v1/policies/halotek-draft-past', undefined, null)).statusCode).toBe(404);
    expect(
      (await call('GET', '/api/v1/policies/current?on=2026-06-01', undefined, null)).json(),
    ).toMatchObject({
      id: base.id,
    });
    // Publishing it as it stands is refused: its date has passed.
    const publish = await call('POST', `/api/v1/policy-drafts/${draft.id}/publish`, { version: 1 });
    expect(publish.statusCode).toBe(400);
    expect(publish.json()).toMatchObject({ error: { code: 'EFFECTIVE_FROM_NOT_IN_FUTURE' } });
    expect((await call('GET', `/api/v1/policy-drafts/${draft.id}`)).json()).toMatchObject({
      status: 'draft',
    });
  });

  it('edits with the version read, refuses a stale edit, and audits both the edit and the publish', async () => {
    const draft = await createDraft(draftDoc('halotek-edited', TODAY.add({ days: 50 }).toString()));
    const changed = structuredClone(draft.document);
    changed.serviceCommitmentDays = 3;
    const edited = await call('PUT', `/api/v1/policy-drafts/${draft.id}`, { document: changed, version: 1 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2, document: { serviceCommitmentDays: 3 } });
    const stale = await call('PUT', `/api/v1/policy-drafts/${draft.id}`, {
      document: draft.document,
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      error: { code: 'VERSION_CONFLICT', details: { currentVersion: 2 } },
    });
    // The policy schema still guards the document.
    const broken = { ...changed, endUser: { ...changed.endUser, windows: [] } };
    const invalid = await call('PUT', `/api/v1/policy-drafts/${draft.id}`, { document: broken, version: 2 });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });

    const published = await call('POST', `/api/v1/policy-drafts/${draft.id}/publish`, { version: 2 });
    expect(published.statusCode, published.body).toBe(201);
    expect(published.json()).toMatchObject({
      draft: { status: 'published', version: 3 },
      published: { id: 'halotek-edited', serviceCommitmentDays: 3 },
    });
    expect((await call('GET', '/api/v1/policies/halotek-edited', undefined, null)).json()).toMatchObject({
      serviceCommitmentDays: 3,
    });
    const afterPublish = await call('PUT', `/api/v1/policy-drafts/${draft.id}`, {
      document: changed,
      version: 3,
    });
    expect(afterPublish.json()).toMatchObject({ error: { code: 'POLICY_DRAFT_CLOSED' } });
    const events = await t.db.db
      .select({ action: auditEvents.action, entityId: auditEvents.entityId, data: auditEvents.data })
      .from(auditEvents)
      .where(eq(auditEvents.entityType, 'policy_draft'))
      .orderBy(asc(auditEvents.id));
    const mine = events.filter((e) => e.entityId === draft.id);
    expect(mine.map((e) => e.action)).toEqual([
      'policy_draft.created',
      'policy_draft.edited',
      'policy_draft.published',
    ]);
    expect(mine[1]?.data).toMatchObject({ changed: ['serviceCommitmentDays'], version: 2 });
    const [created] = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityId, 'halotek-edited'));
    expect(created).toMatchObject({ action: 'policy_version.created', data: { draftId: draft.id } });
  });

  it('publishes a draft once when two admins publish it at the same moment', async () => {
    const draft = await createDraft(draftDoc('halotek-race', TODAY.add({ days: 60 }).toString()));
    const answers = await Promise.all(
      [1, 2, 3].map(() => call('POST', `/api/v1/policy-drafts/${draft.id}/publish`, { version: 1 })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409, 409]);
    for (const lost of answers.filter((a) => a.statusCode === 409)) {
      expect(lost.json()).toMatchObject({ error: { code: 'POLICY_DRAFT_CLOSED' } });
    }
    const versions = await t.db.db.select().from(policyVersions).where(eq(policyVersions.id, 'halotek-race'));
    expect(versions).toHaveLength(1);
    const published = await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, draft.id));
    expect(published.filter((e) => e.action === 'policy_draft.published')).toHaveLength(1);
  });

  it('of two drafts for the same day published at once, one wins and the other stays a draft', async () => {
    const day = TODAY.add({ days: 70 }).toString();
    const a = await createDraft(draftDoc('halotek-day-a', day));
    const b = await createDraft(draftDoc('halotek-day-b', day));
    const answers = await Promise.all(
      [a, b].map((d) => call('POST', `/api/v1/policy-drafts/${d.id}/publish`, { version: 1 })),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const lost = answers.find((r) => r.statusCode === 409);
    expect(lost?.json()).toMatchObject({ error: { code: 'POLICY_EFFECTIVE_FROM_TAKEN' } });
    const statuses = await Promise.all(
      [a, b].map(async (d) => (await call('GET', `/api/v1/policy-drafts/${d.id}`)).json<DraftBody>().status),
    );
    expect(statuses.sort()).toEqual(['draft', 'published']);
    const onDay = await t.db.db.select().from(policyVersions).where(eq(policyVersions.effectiveFrom, day));
    expect(onDay).toHaveLength(1);
  });

  it('discards a draft once; a discarded draft is listed no more and cannot be published', async () => {
    const draft = await createDraft(draftDoc('halotek-discard', TODAY.add({ days: 80 }).toString()));
    const discarded = await call('POST', `/api/v1/policy-drafts/${draft.id}/discard`, { version: 1 });
    expect(discarded.statusCode, discarded.body).toBe(200);
    expect(discarded.json()).toMatchObject({ status: 'discarded', version: 2 });
    const listed = await call('GET', '/api/v1/policy-drafts');
    expect(listed.json<DraftBody[]>().map((d) => d.id)).not.toContain(draft.id);
    const publish = await call('POST', `/api/v1/policy-drafts/${draft.id}/publish`, { version: 2 });
    expect(publish.statusCode).toBe(409);
    expect(publish.json()).toMatchObject({
      error: { code: 'POLICY_DRAFT_CLOSED', details: { status: 'discarded' } },
    });
    expect((await call('GET', '/api/v1/policies/halotek-discard', undefined, null)).statusCode).toBe(404);
  });

  it('bounds the months of a what-if and names a missing draft', async () => {
    const draft = await createDraft(draftDoc('halotek-bounds', TODAY.add({ days: 90 }).toString()));
    for (const months of ['0', '37', 'x', '-1']) {
      const res = await call('GET', `/api/v1/insight/what-if?draft=${draft.id}&months=${months}`);
      expect(res.statusCode, months).toBe(400);
    }
    const missing = await call('GET', '/api/v1/insight/what-if?draft=00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'POLICY_DRAFT_NOT_FOUND' } });
    const ok = await call('GET', `/api/v1/insight/what-if?draft=${draft.id}`);
    expect(ok.json()).toMatchObject({ months: 12, baselineVersionId: base.id });
  });
});

describe.each(testDatabases())('what-if figures on a small known data set on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  let admin = '';
  let headset = '';
  let panel = '';

  /*
   * Two products, claims at known days after purchase, and the approved reimbursements that price them:
   * headset replacements 300.00 and 320.00 (average 310.00), headset refund 299.00; panel none.
   */
  beforeAll(async () => {
    admin = (await colleagueSession(t.db.db, t.app, 'admin', 'what-if.admin@example.com')).cookie;
    const db = t.db.db;
    const [h, p] = await db
      .insert(products)
      .values([
        { sku: 'WI-HS', nameEn: 'Headset', nameZh: '耳机', category: 'headset' },
        { sku: 'WI-DCP', nameEn: 'Panel', nameZh: '直流屏', category: 'dc_power_panel' },
      ])
      .returning({ id: products.id });
    headset = h?.id ?? '';
    panel = p?.id ?? '';
    const [dealer] = await db
      .insert(dealers)
      .values({ name: 'Known Dealer', city: 'Shenzhen', timeZone: 'Asia/Shanghai' })
      .returning({ id: dealers.id });
    const [customer] = await db
      .insert(endUsers)
      .values({ name: 'Known Customer', phone: '+86 138 0000 0000' })
      .returning({ id: endUsers.id });
    if (!dealer || !customer) throw new Error('inserted');

    /** A purchase `daysBefore` the report, reported `reportedDaysAgo` days before today. */
    const claimOf = async (
      productId: string,
      reportedDaysAgo: number,
      daysAfterPurchase: number,
      chosen: RemedyCode | null,
    ) => {
      const reportedOn = TODAY.subtract({ days: reportedDaysAgo });
      const purchaseDate = reportedOn.subtract({ days: daysAfterPurchase });
      const [sale] = await db
        .insert(purchases)
        .values({
          productId,
          dealerId: dealer.id,
          endUserId: customer.id,
          purchaseDate: purchaseDate.toString(),
        })
        .returning({ id: purchases.id });
      const decided = evaluate(base, {
        customerType: 'end_user',
        purchaseDate,
        reportDate: reportedOn,
        cause: 'quality',
      });
      if (!sale || !decided.ok) throw new Error('decided');
      const [claim] = await db
        .insert(claims)
        .values({
          purchaseId: sale.id,
          endUserId: customer.id,
          reportedOn: reportedOn.toString(),
          cause: 'quality',
          description: 'known',
          decision: decided.value,
          policyVersionId: base.id,
          chosenRemedy: chosen,
          status: chosen ? 'remedy_chosen' : 'open',
        })
        .returning({ id: claims.id });
      return claim?.id ?? '';
    };
    const reimbursed = async (claimId: string, kind: 'refund' | 'replacement', amountMinor: number) => {
      const [remedy] = await db
        .insert(dealerRemedies)
        .values({
          claimId,
          dealerId: dealer.id,
          kind,
          ...(kind === 'refund'
            ? { refundMinor: amountMinor, currency: 'CNY' }
            : { replacementSerial: `R-${claimId.slice(0, 8)}` }),
          performedOn: TODAY.toString(),
          performedBy: 'dealer:test',
        })
        .returning({ id: dealerRemedies.id });
      await db.insert(reimbursementClaims).values({
        dealerRemedyId: remedy?.id ?? '',
        dealerId: dealer.id,
        status: 'approved',
        amountMinor,
        currency: 'CNY',
        decidedBy: 'user:test',
        decidedAt: new Date(),
      });
    };
    // Priced history (day 3 and 20 after purchase: within the published windows either way).
    await reimbursed(await claimOf(headset, 10, 20, 'replacement'), 'replacement', 30_000);
    await reimbursed(await claimOf(headset, 11, 30, 'replacement'), 'replacement', 32_000);
    await reimbursed(await claimOf(headset, 12, 3, 'refund'), 'refund', 29_900);
    // A replacement decided but its reimbursement still pending: not a decided cost.
    const pending = await claimOf(headset, 13, 25, 'replacement');
    const [remedy] = await db
      .insert(dealerRemedies)
      .values({
        claimId: pending,
        dealerId: dealer.id,
        kind: 'replacement',
        replacementSerial: 'R-pending',
        performedOn: TODAY.toString(),
        performedBy: 'dealer:test',
      })
      .returning({ id: dealerRemedies.id });
    await db.insert(reimbursementClaims).values({
      dealerRemedyId: remedy?.id ?? '',
      dealerId: dealer.id,
      status: 'pending',
      amountMinor: 99_900,
      currency: 'CNY',
    });
    // Days 61–90 after purchase: a repair under the published 60 days, a replacement under 90.
    await claimOf(headset, 20, 70, 'maintenance_order');
    await claimOf(headset, 21, 85, null);
    await claimOf(panel, 22, 75, 'mail_in_repair');
    // Day 120: a repair either way.
    await claimOf(headset, 23, 120, 'maintenance_order');
    // Reported 14 months ago: outside a 12-month replay, inside a 24-month one.
    await claimOf(headset, 430, 70, 'maintenance_order');
  });

  const whatIf = async (document: PolicyVersion, months?: number) => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/policy-drafts',
      headers: { origin: ORIGIN, cookie: admin },
      payload: { document },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: string }>();
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/insight/what-if?draft=${id}${months === undefined ? '' : `&months=${months}`}`,
      headers: { cookie: admin },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Record<string, unknown>>();
  };

  it('an unchanged copy of the version in force changes nothing', async () => {
    const copy = structuredClone<PolicyVersion>(base);
    copy.id = 'known-unchanged';
    copy.effectiveFrom = '2027-06-01';
    expect(await whatIf(copy)).toMatchObject({
      claims: 8,
      decisionsDiffer: 0,
      remediesMoved: 0,
      matrix: [],
      costDifference: [],
      baselineVersionId: base.id,
      decidedUnderOtherVersions: 0,
    });
  });

  it('replacement within 90 days instead of 60: three claims move, priced from approved reimbursements', async () => {
    const doc = structuredClone<PolicyVersion>(base);
    doc.id = 'known-ninety';
    doc.effectiveFrom = '2027-06-01';
    const second = doc.endUser.windows[1];
    if (second) second.within = { days: 90 };
    const report = await whatIf(doc);
    expect(report).toMatchObject({
      months: 12,
      from: TODAY.subtract({ months: 12 }).toString(),
      to: TODAY.toString(),
      claims: 8,
      undecidable: 0,
      decisionsDiffer: 3,
      newlyCovered: 0,
      newlyUncovered: 0,
      remediesMoved: 3,
      matrix: [
        { from: 'maintenance_order', to: 'replacement', claims: 2 },
        { from: 'mail_in_repair', to: 'replacement', claims: 1 },
      ],
      // A repair has no recorded cost yet (parts and labour arrive with issue 19 item 2): every move here
      // starts from one, so none is priced and all three are counted as unpriced.
      costDifference: [],
      uncostedMoves: 3,
    });
    // Over 24 months the claim of 14 months ago is in too.
    expect(await whatIf({ ...doc, id: 'known-ninety-24' }, 24)).toMatchObject({
      claims: 9,
      remediesMoved: 4,
    });
  });

  it('refund only within 60 days: replacements priced 310.00 on average become refunds priced 299.00', async () => {
    const doc = structuredClone<PolicyVersion>(base);
    doc.id = 'known-refund-60';
    doc.effectiveFrom = '2027-06-01';
    const [first, second] = doc.endUser.windows;
    const refund = first?.remedies.find((r) => r.code === 'refund');
    if (!second || !refund) throw new Error('the built-in version has a 60-day window and a refund');
    second.remedies = [refund];
    // The headset replacements of days 20, 25 and 30 move to refunds: (29 900 − 31 000) × 3. The pending
    // reimbursement of 999.00 is no decided cost and is not in the average.
    expect(await whatIf(doc)).toMatchObject({
      claims: 8,
      decisionsDiffer: 3,
      matrix: [{ from: 'replacement', to: 'refund', claims: 3 }],
      costDifference: [{ currency: 'CNY', differenceMinor: -3_300, claims: 3 }],
      uncostedMoves: 0,
    });
  });
});
