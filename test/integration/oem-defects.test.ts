import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLotRates } from '../../src/app/oem/lot-defect-rates.js';
import { oemDefectReports, outbox } from '../../src/db/schema.js';
import { lotDefectSignal } from '../../src/domain/oem/early-warning.js';
import { DEMO_FLAGGED_OEM_ORDER, DEMO_OEM_ORDER, DEMO_SKUS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import type { OemDefectReport, OemOrder, OemOrderLedger } from '../../src/http/oem-orders/schemas.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import {
  acceptAllReported,
  bookOrder,
  type OemWorld,
  oemWorld,
  uploadEvidence,
} from '../support/oem-fixtures.js';
import { TODAY } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

type ErrorBody = {
  error: {
    code: string;
    details?: { field?: string; rows?: { row: number; field: string; code: string }[] };
  };
};

describe.each(testDatabases())('OEM defect reports on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let w: OemWorld;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['oem', 'support', 'sales', 'qa'] as const)
      cookies.set(role, await demoSession(t.app, role));
    w = await oemWorld(t.db.db);
  });

  const as = (role: Role, headers: Record<string, string> = {}) => ({
    origin: ORIGIN,
    cookie: cookies.get(role) ?? '',
    ...headers,
  });
  const get = (role: Role, url: string) => t.app.inject({ method: 'GET', url, headers: as(role) });
  const report = (role: Role, orderId: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/oem-orders/${orderId}/defect-reports`,
      headers: as(role),
      payload,
    });
  const csv = (role: Role, body: string, type = 'text/csv') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/oem-defect-reports/import',
      headers: as(role, { 'content-type': type }),
      payload: body,
    });
  const reportCount = async () =>
    (await t.db.db.select({ id: oemDefectReports.id }).from(oemDefectReports)).length;

  it('takes a report with its evidence files; the client’s own uploads only', async () => {
    const photo = await uploadEvidence(t.app, cookies.get('oem') ?? '');
    const res = await report('oem', w.demoOrder, {
      lot: 'BTH500-L2501B',
      units: 1,
      failureMode: 'Charging case does not close',
      reportedOn: TODAY.subtract({ days: 3 }).toString(),
      evidenceUploadIds: [photo],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<OemDefectReport>()).toMatchObject({
      order: { id: w.demoOrder, orderNumber: DEMO_OEM_ORDER.orderNumber },
      lot: 'BTH500-L2501B',
      units: 1,
      source: 'api',
      evidenceUploadIds: [photo],
      remakeOrder: null,
    });
    const list = (await get('oem', `/api/v1/oem-orders/${w.demoOrder}/defect-reports`)).json<
      OemDefectReport[]
    >();
    expect(list).toHaveLength(DEMO_OEM_ORDER.defects.length + 1);
    // Someone else's upload is not evidence this client can attach.
    const supportUpload = await uploadEvidence(t.app, cookies.get('support') ?? '');
    const foreign = await report('oem', w.demoOrder, {
      lot: 'BTH500-L2501B',
      units: 1,
      failureMode: 'x',
      evidenceUploadIds: [supportUpload],
    });
    expect(foreign.json<ErrorBody>().error.code).toBe('EVIDENCE_NOT_FOUND');
    // Support may record a report for the client, with any upload.
    const bySupport = await report('support', w.demoOrder, {
      lot: 'BTH500-L2501B',
      units: 1,
      failureMode: 'Hiss',
      evidenceUploadIds: [supportUpload],
    });
    expect(bySupport.statusCode, bySupport.body).toBe(201);
  });

  it('refuses what the order does not allow, naming the field', async () => {
    const code = async (payload: object, orderId = w.demoOrder) => {
      const res = await report('oem', orderId, { failureMode: 'No sound', ...payload });
      const body = res.json<ErrorBody>();
      return [res.statusCode, body.error.code, body.error.details?.field];
    };
    expect(await code({ lot: 'BTH500-L9999X', units: 1 })).toEqual([400, 'LOT_NOT_ON_ORDER', 'lot']);
    expect(await code({ units: 1 })).toEqual([400, 'LOT_REQUIRED', 'lot']);
    expect(await code({ serials: ['BTH500-2501-009999'] })).toEqual([400, 'LOT_REQUIRED', 'lot']);
    expect(await code({ lot: 'BTH500-L2501A', serials: ['BTH500-2501-001500'] })).toEqual([
      400,
      'SERIAL_NOT_IN_LOT',
      'serials',
    ]);
    expect(await code({ serials: ['BTH500-2501-000112'] })).toEqual([
      400,
      'SERIAL_ALREADY_REPORTED',
      'serials',
    ]);
    expect(await code({ lot: 'BTH500-L2501B', units: 900 })).toEqual([400, 'UNITS_EXCEED_LOT', 'units']);
    expect(await code({ lot: 'BTH500-L2501B', units: 799 })).toEqual([400, 'UNITS_EXCEED_LOT', 'units']);
    expect(await code({ lot: 'BTH500-L2501B', units: 1, reportedOn: '2020-01-01' })).toEqual([
      400,
      'REPORTED_BEFORE_DELIVERY',
      'reportedOn',
    ]);
    expect(
      await code({ lot: 'BTH500-L2501B', units: 1, reportedOn: TODAY.add({ days: 1 }).toString() }),
    ).toEqual([400, 'REPORTED_ON_IN_FUTURE', 'reportedOn']);
    expect(await code({ units: 1 }, w.otherOrder)).toEqual([404, 'OEM_ORDER_NOT_FOUND', undefined]);
    expect(
      (await report('sales', w.demoOrder, { units: 1, lot: 'BTH500-L2501B', failureMode: 'x' })).statusCode,
    ).toBe(403);
  });

  it('counts a report on the window’s last day and marks the next day out of the window (paid service)', async () => {
    const order = (await bookOrder(
      t.app,
      { oem: cookies.get('oem'), sales: cookies.get('sales') ?? '', qa: cookies.get('qa') ?? '' },
      {
        sku: DEMO_SKUS.chargerModule,
        quantity: 400,
        spareRateBps: 50,
        deliveryDate: '2025-11-24',
        lots: [{ lot: 'CHG-L2511A' }],
      },
    )) as unknown as OemOrder;
    expect(order).toMatchObject({ spareUnits: 2, defectWindowEndsOn: '2026-11-24' });
    for (const [reportedOn, units] of [
      ['2026-11-24', 3],
      ['2026-11-25', 4],
    ] as const) {
      expect(
        (await report('oem', order.id, { units, failureMode: 'Fan noise', reportedOn })).statusCode,
      ).toBe(201);
    }
    // The unit beyond the spares waits for QA; once accepted it is excess.
    const waiting = (await get('oem', `/api/v1/oem-orders/${order.id}/ledger`)).json<OemOrderLedger>();
    expect(waiting).toMatchObject({ coveredBySpares: 2, awaitingQa: 1, excess: 0, outOfWindow: 4 });
    await acceptAllReported(t.app, cookies.get('qa') ?? '', order.id);
    const ledger = (await get('oem', `/api/v1/oem-orders/${order.id}/ledger`)).json<OemOrderLedger>();
    expect(ledger).toMatchObject({
      windowEndsOn: '2026-11-24',
      defectsReported: 7,
      defectsInWindow: 3,
      coveredBySpares: 2,
      excess: 1,
      outOfWindow: 4,
    });
    expect(ledger.lines.map((l) => [l.reportedOn, l.status])).toEqual([
      ['2026-11-24', 'partly_excess'],
      ['2026-11-25', 'out_of_window'],
    ]);
  });

  it('refuses a whole CSV file with one bad row, naming every problem by row and column', async () => {
    const before = await reportCount();
    const file = [
      'order_number,lot,units,serials,failure_mode,reported_on',
      `${DEMO_OEM_ORDER.orderNumber},BTH500-L2501B,2,,Static on both sides,${TODAY.subtract({ days: 1 }).toString()}`,
      `${DEMO_OEM_ORDER.orderNumber},BTH500-L2501Q,1,,Static,`,
      `NL-7001,BTH500-L2502N,1,,Static,`,
      `${DEMO_FLAGGED_OEM_ORDER.orderNumber},,abc,,,`,
      '',
      `${DEMO_OEM_ORDER.orderNumber},,,BTH500-2501-001700;BTH500-2501-001701,Dead on arrival,`,
      `${DEMO_OEM_ORDER.orderNumber},,,BTH500-2501-001701,Dead on arrival,`,
    ].join('\n');
    const res = await csv('oem', file);
    expect(res.statusCode).toBe(400);
    const body = res.json<ErrorBody>();
    expect(body.error.code).toBe('IMPORT_REJECTED');
    expect(body.error.details?.rows?.map((r) => [r.row, r.field, r.code])).toEqual([
      [3, 'lot', 'LOT_NOT_ON_ORDER'],
      [4, 'order_number', 'OEM_ORDER_NOT_FOUND'],
      [5, 'units', 'INVALID_UNITS'],
      [5, 'failure_mode', 'FAILURE_MODE_REQUIRED'],
      [8, 'serials', 'SERIAL_ALREADY_REPORTED'],
    ]);
    expect(await reportCount()).toBe(before);
    expect((await csv('oem', file, 'text/plain')).statusCode).toBe(415);
    expect((await csv('oem', 'order,lot\nx,y')).json<ErrorBody>().error.code).toBe('CSV_HEADER_INVALID');
    expect((await csv('oem', 'order_number,failure_mode\n')).json<ErrorBody>().error.code).toBe(
      'IMPORT_EMPTY',
    );
  });

  it('writes a good CSV file in one go, and the ledger counts it', async () => {
    const before = (await get('oem', `/api/v1/oem-orders/${w.flaggedOrder}/ledger`)).json<OemOrderLedger>();
    const file = [
      'failure_mode,order_number,units,serials',
      `Left channel dead,${DEMO_FLAGGED_OEM_ORDER.orderNumber},2,`,
      `"Crackle, then silence",${DEMO_OEM_ORDER.orderNumber},,BTH500-2501-001800 BTH500-2501-001801`,
    ].join('\r\n');
    const res = await csv('oem', `\uFEFF${file}\r\n`);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ imported: 2 });
    const after = (await get('oem', `/api/v1/oem-orders/${w.flaggedOrder}/ledger`)).json<OemOrderLedger>();
    expect(after.defectsReported).toBe(before.defectsReported + 2);
    const reports = (await get('oem', `/api/v1/oem-orders/${w.demoOrder}/defect-reports`)).json<
      OemDefectReport[]
    >();
    expect(reports.find((r) => r.serials.includes('BTH500-2501-001800'))).toMatchObject({
      lot: 'BTH500-L2501B',
      units: 2,
      failureMode: 'Crackle, then silence',
      source: 'csv',
      reportedOn: TODAY.toString(),
    });
    const rows = await t.db.db.select().from(oemDefectReports).where(eq(oemDefectReports.source, 'csv'));
    expect(rows).toHaveLength(2);
  });

  it('flags a lot to QA once, with its numbers, when reports push it over the spare rate', async () => {
    const lot = DEMO_OEM_ORDER.lots[1];
    const flagsOf = () =>
      t.db.db
        .select()
        .from(outbox)
        .where(eq(outbox.topic, 'oem_lot.flagged'))
        .then((rows) => rows.filter((r) => r.payload.lot === lot));
    const [before] = await computeLotRates(t.db.db, { lot });
    if (!before) throw new Error(`the demo order ships lot ${lot}`);
    expect(before.flagged).toBe(false);
    // The fewest more defective units that put the lower bound of the lot's rate above its spare rate.
    let more = 1;
    while (!lotDefectSignal(before.defects + more, before.unitsShipped, before.spareRateBps).flagged) more++;
    const send = async (units: number) => {
      const res = await report('oem', w.demoOrder, { lot, units, failureMode: 'Right channel hums' });
      expect(res.statusCode, res.body).toBe(201);
    };
    if (more > 1) await send(more - 1);
    expect(await flagsOf()).toHaveLength(0);
    await send(1);
    const [flag, ...others] = await flagsOf();
    expect(others).toHaveLength(0);
    expect(flag?.recipient).toBe('role:qa');
    expect(flag?.payload).toMatchObject({
      defects: before.defects + more,
      unitsShipped: before.unitsShipped,
      spareRateBps: before.spareRateBps,
    });
    expect(flag?.body).toContain(`${before.defects + more} of ${before.unitsShipped} units defective`);
    // Already flagged: more reports on it say nothing new.
    await send(1);
    expect(await flagsOf()).toHaveLength(1);
  });
});
