import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../../src/domain/calendar.js';
import { decide } from '../../src/domain/policy/evaluate.js';
import { builtInPolicyVersions } from '../../src/domain/policy/halotek.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';

type Body = Record<string, unknown>;
const valid = {
  customerType: 'end_user',
  purchaseDate: '2026-01-02',
  reportDate: '2026-01-09',
  cause: 'quality',
};

describe.each(testDatabases())('POST /api/v1/entitlements/evaluate on $name', (testDb) => {
  const t = useTestApp(testDb);

  const evaluate = (payload: Body | string, query = '', headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/entitlements/evaluate${query}`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  it('answers the contract: version, window, days, paid and remedies with clauses', async () => {
    const res = await evaluate(valid);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      policyVersion: 'halotek-2018-01',
      window: '7_days',
      daysSincePurchase: 7,
      paid: false,
      remedies: [
        {
          code: 'refund',
          performedBy: 'dealer',
          costBearer: 'maker',
          clause:
            'Terminal clients 1(A): Go to the dealer who sold you the product and ask for a full refund.',
        },
        {
          code: 'replacement',
          performedBy: 'dealer',
          costBearer: 'maker',
          clause: expect.stringContaining('Terminal clients 1(B)') as string,
        },
        {
          code: 'service_center',
          performedBy: 'service_center',
          costBearer: 'maker',
          clause: expect.stringContaining('Terminal clients 1(C)') as string,
        },
      ],
    });
  });

  it.each([
    ['2026-01-09', '7_days', 7],
    ['2026-01-10', '60_days', 8],
    ['2026-03-03', '60_days', 60],
    ['2026-03-04', '1_year', 61],
    ['2027-01-02', '1_year', 365],
    ['2027-01-03', 'expired', 366],
  ])('reported on %s: window %s, day %i', async (reportDate, window, days) => {
    const res = await evaluate({ ...valid, reportDate });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ window, daysSincePurchase: days, paid: window === 'expired' });
  });

  it('covers a 29 February purchase until 28 February, inclusive', async () => {
    const last = await evaluate({ ...valid, purchaseDate: '2024-02-29', reportDate: '2025-02-28' });
    expect(last.json()).toMatchObject({ window: '1_year' });
    const after = await evaluate({ ...valid, purchaseDate: '2024-02-29', reportDate: '2025-03-01' });
    expect(after.json()).toMatchObject({
      window: 'expired',
      paid: true,
      remedies: [{ code: 'paid_service' }],
    });
  });

  it('gives paid service through sales for human damage, even on day one', async () => {
    const res = await evaluate({ ...valid, reportDate: '2026-01-03', cause: 'human_damage' });
    expect(res.json()).toMatchObject({
      window: '7_days',
      paid: true,
      remedies: [{ code: 'paid_service', performedBy: 'sales', costBearer: 'customer' }],
    });
  });

  it('quotes clauses in Chinese for lang=zh and for Accept-Language: zh-CN', async () => {
    const firstClause = async (query: string, headers: Record<string, string> = {}) =>
      (await evaluate(valid, query, headers)).json<{ remedies: { clause: string }[] }>().remedies[0]?.clause;
    const zh = '终端客户第 1 条（A）：到购买产品的经销商处申请全额退款。';
    expect(await firstClause('?lang=zh')).toBe(zh);
    expect(await firstClause('?lang=zh-CN')).toBe(zh);
    expect(await firstClause('', { 'accept-language': 'zh-CN,zh;q=0.9' })).toBe(zh);
    expect(await firstClause('?lang=en', { 'accept-language': 'zh-CN' })).toMatch(/^Terminal clients 1\(A\)/);
  });

  it('takes a date-time as the day it falls on in the store’s time zone', async () => {
    // 23:30 UTC on 9 January is 10 January in Shanghai: day 8, no longer the 7-day window.
    const res = await evaluate({ ...valid, reportDate: '2026-01-09T23:30:00Z' });
    expect(res.json()).toMatchObject({ window: '60_days', daysSincePurchase: 8 });
    const utc = await evaluate({ ...valid, reportDate: '2026-01-09T23:30:00Z', timeZone: 'UTC' });
    expect(utc.json()).toMatchObject({ window: '7_days', daysSincePurchase: 7 });
  });

  const refusals: [string, Body | string, string, RegExp?][] = [
    ['a malformed date', { ...valid, purchaseDate: '02/01/2026' }, 'INVALID_DATE', /purchaseDate/],
    ['an impossible date', { ...valid, reportDate: '2026-02-30' }, 'INVALID_DATE', /reportDate/],
    ['a date-time without offset', { ...valid, reportDate: '2026-01-09T10:00:00' }, 'INVALID_DATE'],
    ['an unknown cause', { ...valid, cause: 'lightning' }, 'VALIDATION_FAILED', /cause/],
    ['an unknown customer type', { ...valid, customerType: 'oem' }, 'VALIDATION_FAILED', /customerType/],
    ['a report before the purchase', { ...valid, reportDate: '2026-01-01' }, 'REPORT_BEFORE_PURCHASE'],
    [
      'a missing field',
      { customerType: 'end_user', purchaseDate: '2026-01-02', cause: 'quality' },
      'VALIDATION_FAILED',
      /reportDate/,
    ],
    ['an unknown field', { ...valid, purchase_date: '2026-01-02' }, 'VALIDATION_FAILED'],
    ['a number for a date', { ...valid, purchaseDate: 20260102 }, 'VALIDATION_FAILED', /purchaseDate/],
    ['an unknown time zone', { ...valid, timeZone: 'Mars/Base' }, 'INVALID_TIME_ZONE'],
    ['an unknown product', { ...valid, productSku: 'NOPE-1' }, 'UNKNOWN_PRODUCT'],
    [
      'a purchase before any policy',
      { ...valid, purchaseDate: '2017-12-31', reportDate: '2018-01-02' },
      'NO_POLICY_IN_FORCE',
    ],
    ['malformed JSON', '{"customerType": "end_user",', 'MALFORMED_JSON'],
    ['an array', '[]', 'VALIDATION_FAILED'],
    ['null', 'null', 'VALIDATION_FAILED'],
  ];
  it.each(refusals)(
    'refuses %s with 400 and a machine-readable code',
    async (_what, payload, code, message) => {
      const res = await evaluate(payload);
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe(code);
      expect(body.error.message.length).toBeGreaterThan(5);
      if (message) expect(body.error.message).toMatch(message);
    },
  );

  it('refuses an unknown language and a wrong content type with 4xx, never 500', async () => {
    expect((await evaluate(valid, '?lang=fr')).statusCode).toBe(400);
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/entitlements/evaluate',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const huge = await evaluate({ ...valid, productSku: 'x'.repeat(300_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('agrees with the engine for any pair of dates (property)', async () => {
    const day = fc
      .integer({ min: 0, max: 4000 })
      .map((n) => Temporal.PlainDate.from('2018-01-01').add({ days: n }));
    await fc.assert(
      fc.asyncProperty(
        day,
        fc.integer({ min: -3, max: 500 }),
        fc.constantFrom('quality', 'human_damage'),
        async (p, n, cause) => {
          const r = p.add({ days: n });
          const res = await evaluate({
            ...valid,
            purchaseDate: p.toString(),
            reportDate: r.toString(),
            cause,
          });
          const expected = decide(builtInPolicyVersions, {
            customerType: 'end_user',
            purchaseDate: p,
            reportDate: r,
            cause: cause,
          });
          if (expected.ok) {
            expect(res.statusCode).toBe(200);
            expect(res.json()).toMatchObject({
              window: expected.value.window,
              daysSincePurchase: expected.value.daysSincePurchase,
              paid: expected.value.paid,
              remedies: expected.value.remedies.map((x) => ({ code: x.code })),
            });
          } else {
            expect(res.statusCode).toBe(400);
            expect(res.json()).toMatchObject({ error: { code: expected.error.code } });
          }
        },
      ),
      { numRuns: 60, seed: 20261125 },
    );
  });
});

describe.each(testDatabases())('the rest of the public API on $name', (testDb) => {
  const t = useTestApp(testDb);

  it('serves the policy in force, which the support page renders', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/policies/current' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'halotek-2018-01', oem: { spareRateBps: { min: 30, max: 50 } } });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/policies/current?on=2017-01-01' })).statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/policies/current?on=bad' })).json(),
    ).toMatchObject({
      error: { code: 'INVALID_DATE' },
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/policies/halotek-2018-01' })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/policies/nope' })).json()).toMatchObject({
      error: { code: 'POLICY_VERSION_NOT_FOUND' },
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/policies' })).json()).toEqual([
      { id: 'halotek-2018-01', effectiveFrom: '2018-01-01', maker: 'Halotek' },
      { id: 'halotek-2026-12', effectiveFrom: '2026-12-01', maker: 'Halotek' },
    ]);
    // From December 2026 the replacement clause says the new unit keeps the remaining warranty.
    const v2 = await t.app.inject({ method: 'GET', url: '/api/v1/policies/current?on=2026-12-01' });
    const replacement = v2
      .json<{
        endUser: {
          windows: { remedies: { code: string; clause: { text: { en: string; zh: string } } }[] }[];
        };
      }>()
      .endUser.windows[1]?.remedies.find((r) => r.code === 'replacement');
    expect(replacement?.clause.text.en).toContain('remaining warranty of your original purchase');
    expect(replacement?.clause.text.zh).toContain('保修期不重新计算');
  });

  it('is healthy and ready while the database answers', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ready',
      database: testDb.name,
    });
  });

  it('documents the evaluate contract in the OpenAPI document, with the docs UI beside it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    const op = doc.paths['/api/v1/entitlements/evaluate']?.post;
    expect(op).toBeDefined();
    expect(JSON.stringify(op)).toContain('EvaluateEntitlementRequest');
    const req = JSON.stringify(doc.components.schemas.EvaluateEntitlementRequest);
    for (const field of ['customerType', 'purchaseDate', 'reportDate', 'cause', 'timeZone', 'productSku'])
      expect(req).toContain(field);
    const resp = JSON.stringify(doc.components.schemas.EntitlementDecision);
    for (const v of [
      '7_days',
      '60_days',
      '1_year',
      'expired',
      'maintenance_order',
      'mail_in_repair',
      'paid_service',
    ])
      expect(resp).toContain(v);
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('answers unknown API paths with the error object, not a page', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/nothing-here',
      headers: { accept: 'text/html' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('sends security headers with a Content-Security-Policy', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Plain HTTP on a LAN address must keep working: no forced upgrade of asset requests.
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
