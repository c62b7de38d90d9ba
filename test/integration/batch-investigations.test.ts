import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, outbox } from '../../src/db/schema.js';
import { DEMO_FLAGGED_OEM_ORDER, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type {
  BatchDefectInvestigation,
  LotDefectRate,
  MakerCostLedger,
} from '../../src/http/batch-investigations/schemas.js';
import type { OemOrder, OemOrderLedger, RemakeOrder } from '../../src/http/oem-orders/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { type OemWorld, oemWorld, uploadEvidence } from '../support/oem-fixtures.js';
import { TODAY } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

type ErrorBody = { error: { code: string; details?: Record<string, unknown> } };
const FLAGGED_LOT = DEMO_FLAGGED_OEM_ORDER.lots[0];

describe.each(testDatabases())('batch defects, from flag to air-shipped remake, on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let w: OemWorld;
  let headset: string;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['qa', 'oem', 'sales', 'support'] as const)
      cookies.set(role, await demoSession(t.app, role));
    w = await oemWorld(t.db.db);
    headset = w.product(DEMO_SKUS.headset);
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const get = (role: Role, url: string) => t.app.inject({ method: 'GET', url, headers: as(role) });
  const post = (role: Role, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: as(role), payload });

  it('flags the lot whose defect rate is surely above its spares, with the numbers behind the flag', async () => {
    const res = await get('qa', '/api/v1/lot-defect-rates');
    expect(res.statusCode, res.body).toBe(200);
    const rates = res.json<LotDefectRate[]>();
    expect(rates[0]).toMatchObject({
      product: { sku: DEMO_SKUS.headset },
      lot: FLAGGED_LOT,
      unitsShipped: 1000,
      defects: 14,
      rate: 0.014,
      spareRateBps: 30,
      flagged: true,
      orders: 1,
      clients: 1,
      investigation: null,
    });
    expect(rates[0]?.lower).toBeGreaterThan(0.003);
    // Lot A of the other demo order runs at 0.75 % against 0.5 % spares: not enough evidence yet.
    expect(rates.find((r) => r.lot === 'BTH500-L2501A')).toMatchObject({ defects: 9, flagged: false });
    const flagged = (await get('qa', '/api/v1/lot-defect-rates?flagged=true')).json<LotDefectRate[]>();
    expect(flagged.map((r) => r.lot)).toEqual([FLAGGED_LOT]);
    // A page of the most alarming lots, and how many there are in all.
    expect(res.headers['x-total-count']).toBe(String(rates.length));
    const firstTwo = await get('qa', '/api/v1/lot-defect-rates?limit=2');
    expect(firstTwo.json<LotDefectRate[]>()).toEqual(rates.slice(0, 2));
    expect(firstTwo.headers['x-total-count']).toBe(String(rates.length));
    expect((await get('qa', '/api/v1/lot-defect-rates?limit=0')).statusCode).toBe(400);
    expect((await get('oem', '/api/v1/lot-defect-rates')).statusCode).toBe(403);
  });

  it('journey: QA turns the flag into an investigation, confirms a production cause, the remake goes by air at the maker’s cost', async () => {
    const ledgerUrl = `/api/v1/oem-orders/${w.flaggedOrder}/ledger`;
    expect((await get('oem', ledgerUrl)).json<OemOrderLedger>()).toMatchObject({
      allowance: 3,
      coveredBySpares: 3,
      excess: 11,
      coveredByRemake: 0,
    });

    const unflagged = await post('qa', '/api/v1/batch-investigations/proposals', {
      productId: w.product(DEMO_SKUS.bluetoothHeadset),
      lot: 'BTH500-L2501A',
    });
    expect(unflagged.statusCode).toBe(409);
    expect(unflagged.json()).toMatchObject({ error: { code: 'LOT_NOT_FLAGGED', details: { defects: 9 } } });

    const proposed = await post('qa', '/api/v1/batch-investigations/proposals', {
      productId: headset,
      lot: FLAGGED_LOT,
    });
    expect(proposed.statusCode, proposed.body).toBe(201);
    let inv = proposed.json<BatchDefectInvestigation>();
    expect(inv).toMatchObject({
      state: 'proposed',
      origin: 'early_warning',
      lots: [FLAGGED_LOT],
      signal: [{ lot: FLAGGED_LOT, defects: 14, unitsShipped: 1000, spareRateBps: 30 }],
      allowedMoves: ['open', 'dismissed'],
    });
    const twice = await post('qa', '/api/v1/batch-investigations', {
      productId: headset,
      lots: [FLAGGED_LOT],
    });
    expect(twice.json()).toMatchObject({
      error: { code: 'LOT_UNDER_INVESTIGATION', details: { investigationId: inv.id } },
    });
    expect(
      (await get('qa', '/api/v1/lot-defect-rates?flagged=true')).json<LotDefectRate[]>()[0]?.investigation,
    ).toEqual({
      id: inv.id,
      state: 'proposed',
    });

    const moveUrl = `/api/v1/batch-investigations/${inv.id}/transitions`;
    const illegal = await post('qa', moveUrl, {
      to: 'confirmed',
      expectedVersion: inv.version,
      rootCause: 'production',
    });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json()).toMatchObject({
      error: { code: 'ILLEGAL_TRANSITION', details: { allowed: ['open', 'dismissed'] } },
    });
    const opened = await post('qa', moveUrl, { to: 'open', expectedVersion: inv.version });
    expect(opened.statusCode, opened.body).toBe(200);
    inv = opened.json<BatchDefectInvestigation>();
    expect(inv.state).toBe('open');
    expect(
      (await post('qa', moveUrl, { to: 'dismissed', expectedVersion: 1, findings: 'x' })).json<ErrorBody>()
        .error.code,
    ).toBe('VERSION_CONFLICT');

    const costs = {
      unitCost: { amountMinor: 4_200, currency: 'CNY' },
      airFreightPerShipment: { amountMinor: 86_000, currency: 'CNY' },
    };
    const noEvidence = await post('qa', moveUrl, {
      to: 'confirmed',
      expectedVersion: inv.version,
      rootCause: 'production',
      costs,
    });
    expect(noEvidence.json<ErrorBody>().error.code).toBe('EVIDENCE_REQUIRED');
    const photo = await uploadEvidence(t.app, cookies.get('qa') ?? '');
    const attached = await post('qa', `/api/v1/batch-investigations/${inv.id}/evidence`, {
      uploadIds: [photo],
      expectedVersion: inv.version,
    });
    expect(attached.statusCode, attached.body).toBe(200);
    inv = attached.json<BatchDefectInvestigation>();
    expect(inv.evidenceUploadIds).toEqual([photo]);
    const other = await post('qa', moveUrl, {
      to: 'confirmed',
      expectedVersion: inv.version,
      rootCause: 'other',
      costs,
    });
    expect(other.json()).toMatchObject({
      error: { code: 'ROOT_CAUSE_NOT_COVERED', details: { covered: ['production', 'electrical'] } },
    });
    const noCosts = await post('qa', moveUrl, {
      to: 'confirmed',
      expectedVersion: inv.version,
      rootCause: 'production',
    });
    expect(noCosts.json<ErrorBody>().error.code).toBe('COSTS_REQUIRED');
    expect((await post('sales', moveUrl, { to: 'confirmed', expectedVersion: inv.version })).statusCode).toBe(
      403,
    );

    const confirmed = await post('qa', moveUrl, {
      to: 'confirmed',
      expectedVersion: inv.version,
      rootCause: 'production',
      findings: 'Solder joint at the plug cracks: a reflow profile fault on line 3',
      costs,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    inv = confirmed.json<BatchDefectInvestigation>();
    expect(inv).toMatchObject({
      state: 'confirmed',
      rootCause: 'production',
      confirmedOn: TODAY.toString(),
      costs,
      allowedMoves: ['closed'],
      remakeOrders: [
        {
          order: { id: w.flaggedOrder, orderNumber: DEMO_FLAGGED_OEM_ORDER.orderNumber },
          lot: FLAGGED_LOT,
          units: 14,
          shippingMode: 'air',
        },
      ],
    });
    const remake = inv.remakeOrders[0] as RemakeOrder;
    expect(remake.remakeNumber).toMatch(/^RMK-2026-\d{6}$/);

    // Those units no longer use the client's spares.
    expect((await get('oem', ledgerUrl)).json<OemOrderLedger>()).toMatchObject({
      allowance: 3,
      coveredBySpares: 0,
      excess: 0,
      coveredByRemake: 14,
      sparesLeft: 3,
    });
    const orderView = (await get('oem', `/api/v1/oem-orders/${w.flaggedOrder}`)).json<OemOrder>();
    expect(orderView.remakeOrders).toMatchObject([{ id: remake.id, units: 14, shippingMode: 'air' }]);
    const told = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'remake_order.units'));
    expect(told[0]).toMatchObject({ recipient: 'procurement@brightwave-audio.example.com' });
    expect(told[0]?.body).toContain('by air at our cost');

    // Every cost on the maker's ledger, per client, product and lot.
    const ledger = (await get('qa', '/api/v1/maker-costs')).json<MakerCostLedger>();
    expect(ledger.entries.map((e) => [e.kind, e.units, e.amount.amountMinor])).toEqual([
      ['air_freight', null, 86_000],
      ['remake_units', 14, 58_800],
    ]);
    expect(ledger.totals).toEqual([
      {
        client: { id: w.demoClient, name: 'Brightwave Audio Ltd.' },
        product: { id: headset, sku: DEMO_SKUS.headset },
        lot: FLAGGED_LOT,
        currency: 'CNY',
        amountMinor: 144_800,
        units: 14,
      },
    ]);
    expect(ledger.total).toEqual([{ amountMinor: 144_800, currency: 'CNY' }]);

    // A later report on the lot joins the remake at once: still no spares used.
    const late = await post('oem', `/api/v1/oem-orders/${w.flaggedOrder}/defect-reports`, {
      units: 2,
      failureMode: 'Crackles',
    });
    expect(late.json()).toMatchObject({ remakeOrder: { id: remake.id } });
    expect((await get('oem', ledgerUrl)).json<OemOrderLedger>()).toMatchObject({
      coveredByRemake: 16,
      coveredBySpares: 0,
      excess: 0,
    });
    expect((await get('qa', `/api/v1/remake-orders/${remake.id}`)).json<RemakeOrder>().units).toBe(16);

    // A further cost booked by QA, and the ledger as CSV.
    const customs = await post('qa', `/api/v1/remake-orders/${remake.id}/costs`, {
      kind: 'other',
      amount: { amountMinor: 12_050, currency: 'CNY' },
      note: '=HYPERLINK("x")',
    });
    expect(customs.statusCode, customs.body).toBe(201);
    const filtered = (
      await get(
        'sales',
        `/api/v1/maker-costs?clientId=${w.demoClient}&productId=${headset}&lot=${FLAGGED_LOT}`,
      )
    ).json<MakerCostLedger>();
    expect(filtered.total).toEqual([{ amountMinor: 144_800 + 2 * 4_200 + 12_050, currency: 'CNY' }]);
    expect((await get('qa', `/api/v1/maker-costs?lot=NO-SUCH-LOT`)).json<MakerCostLedger>().entries).toEqual(
      [],
    );
    const csv = await get('qa', '/api/v1/maker-costs/export');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'booked_on,client,product_sku,lot,remake_number,kind,units,amount,amount_minor,currency,note',
    );
    expect(lines).toHaveLength(5);
    expect(lines).toContain(
      `${TODAY.toString()},Brightwave Audio Ltd.,${DEMO_SKUS.headset},${FLAGGED_LOT},${remake.remakeNumber},remake_units,14,588.00,58800,CNY,14 remade units of lot ${FLAGGED_LOT} at CNY 42.00`,
    );
    // A cell a spreadsheet would run as a formula is written as text.
    expect(lines.at(-1)?.endsWith(`,other,,120.50,12050,CNY,"'=HYPERLINK(""x"")"`)).toBe(true);
    expect((await get('oem', '/api/v1/maker-costs')).statusCode).toBe(403);

    const closed = await post('qa', moveUrl, { to: 'closed', expectedVersion: inv.version });
    expect(closed.json<BatchDefectInvestigation>()).toMatchObject({ state: 'closed', allowedMoves: [] });
    const actions = (await t.db.db.select().from(auditEvents).where(eq(auditEvents.entityId, inv.id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual([
      'batch_investigation.proposed',
      'batch_investigation.open',
      'batch_investigation.evidence_attached',
      'batch_investigation.confirmed',
      'batch_investigation.closed',
    ]);
  });

  it('dismisses an investigation QA opened, with its findings; a finished one moves no more', async () => {
    const bth = w.product(DEMO_SKUS.bluetoothHeadset);
    const unknown = await post('qa', '/api/v1/batch-investigations', {
      productId: bth,
      lots: ['BTH500-L0000X'],
    });
    expect(unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_LOT' } });
    const opened = await post('qa', '/api/v1/batch-investigations', {
      productId: bth,
      lots: ['BTH500-L2501A', 'BTH500-L2501B'],
      note: 'Pairing complaints from two markets',
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const inv = opened.json<BatchDefectInvestigation>();
    expect(inv).toMatchObject({ state: 'open', origin: 'qa', signal: null });
    const url = `/api/v1/batch-investigations/${inv.id}/transitions`;
    expect(
      (await post('qa', url, { to: 'dismissed', expectedVersion: inv.version })).json<ErrorBody>().error.code,
    ).toBe('FINDINGS_REQUIRED');
    const dismissed = await post('qa', url, {
      to: 'dismissed',
      expectedVersion: inv.version,
      rootCause: 'other',
      findings: 'A phone firmware bug, fixed by its maker',
    });
    expect(dismissed.json<BatchDefectInvestigation>()).toMatchObject({
      state: 'dismissed',
      rootCause: 'other',
      remakeOrders: [],
    });
    const after = await post('qa', url, { to: 'open', expectedVersion: inv.version + 1 });
    expect(after.json()).toMatchObject({ error: { code: 'ILLEGAL_TRANSITION', details: { allowed: [] } } });
    const list = (await get('support', '/api/v1/batch-investigations?state=dismissed')).json<
      BatchDefectInvestigation[]
    >();
    expect(list.map((i) => i.id)).toEqual([inv.id]);
    expect((await get('oem', '/api/v1/batch-investigations')).statusCode).toBe(403);
  });
});
