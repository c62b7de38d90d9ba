import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, dealers, oemClients, serviceCenters, users } from '../../src/db/schema.js';
import {
  DEMO_ACCOUNTS,
  DEMO_DEALERS,
  DEMO_OEM_CLIENT,
  DEMO_PRODUCTS,
  DEMO_SERVICE_CENTERS,
  seedDemoData,
} from '../../src/db/seed.js';
import { type Role, roles } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * The admin console's reference data over HTTP: dealers, service centers, OEM clients and products.
 * Who may read and change each (scoped roles see only their own party), what is refused as invalid,
 * and that every change leaves an audit event naming the admin who made it.
 */

type Caller = Role | 'anonymous';
type Method = 'GET' | 'POST' | 'PATCH';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

describe.each(testDatabases())('reference data on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let adminId = '';
  const ids = { ownDealer: '', otherDealer: '', ownCenter: '', otherCenter: '', ownClient: '' };

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    for (const role of roles) cookies.set(role, await demoSession(t.app, role));
    const [admin] = await t.db.db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS[0].email));
    adminId = admin?.id ?? '';
    const dealerRows = await t.db.db.select().from(dealers);
    ids.ownDealer = dealerRows.find((d) => d.name === DEMO_DEALERS[0].name)?.id ?? '';
    ids.otherDealer = dealerRows.find((d) => d.name === DEMO_DEALERS[1].name)?.id ?? '';
    const centerRows = await t.db.db.select().from(serviceCenters);
    ids.ownCenter = centerRows.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[0].nameEn)?.id ?? '';
    ids.otherCenter = centerRows.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[1].nameEn)?.id ?? '';
    const [client] = await t.db.db.select().from(oemClients);
    ids.ownClient = client?.id ?? '';
  });

  const api = (caller: Caller, method: Method, url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      headers:
        caller === 'anonymous' ? { origin: ORIGIN } : { origin: ORIGIN, cookie: cookies.get(caller) ?? '' },
      ...(payload === undefined ? {} : { payload }),
    });

  /** The audit events of one entity, oldest first. */
  const auditOf = (entityType: string, entityId: string) =>
    t.db.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, entityType), eq(auditEvents.entityId, entityId)))
      .orderBy(auditEvents.id);

  const statusesFor = async (method: Method, url: string, payload?: object) => {
    const result: Partial<Record<Caller, number>> = {};
    for (const caller of ['anonymous', ...roles] as const) {
      result[caller] = (await api(caller, method, url, payload)).statusCode;
    }
    return result;
  };

  describe('dealers', () => {
    const newDealer = {
      name: 'Guangzhou Pearl River Power Co., Ltd.',
      city: 'Guangzhou',
      email: 'service@pearl-power.example.com',
      phone: '+86 20 8888 1234',
      timeZone: 'Asia/Shanghai',
    };

    it('lets each role list dealers as the permission table says', async () => {
      expect(await statusesFor('GET', '/api/v1/dealers')).toEqual({
        anonymous: 401,
        admin: 200,
        support: 200,
        qa: 200,
        sales: 200,
        dealer: 200,
        technician: 403,
        oem: 403,
        customer: 403,
      });
    });

    it('lets only an admin add one, with an audit event naming the admin', async () => {
      const refused = await statusesFor('POST', '/api/v1/dealers', newDealer);
      expect(refused).toMatchObject({ anonymous: 401, support: 403, dealer: 403, customer: 403 });
      // statusesFor made the admin's dealer too; it is the one created.
      const rows = await t.db.db.select().from(dealers).where(eq(dealers.name, newDealer.name));
      expect(rows).toHaveLength(1);
      expect(refused.admin).toBe(201);
      const [event] = await auditOf('dealer', rows[0]?.id ?? '');
      expect(event).toMatchObject({
        actor: `user:${adminId}`,
        action: 'dealer.created',
        data: { name: newDealer.name, timeZone: 'Asia/Shanghai' },
      });
    });

    it('shows a dealer its own dealer only, and another dealer as missing', async () => {
      const list = await api('dealer', 'GET', '/api/v1/dealers');
      expect(list.json()).toEqual([
        expect.objectContaining({ id: ids.ownDealer, name: DEMO_DEALERS[0].name }),
      ]);
      expect((await api('dealer', 'GET', `/api/v1/dealers/${ids.ownDealer}`)).statusCode).toBe(200);
      const other = await api('dealer', 'GET', `/api/v1/dealers/${ids.otherDealer}`);
      expect(other.statusCode).toBe(404);
      expect(other.json()).toMatchObject({ error: { code: 'DEALER_NOT_FOUND' } });
      const staff = await api('sales', 'GET', '/api/v1/dealers');
      expect(staff.json<unknown[]>().length).toBeGreaterThanOrEqual(DEMO_DEALERS.length);
      expect((await api('sales', 'GET', `/api/v1/dealers/${ids.otherDealer}`)).statusCode).toBe(200);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const missing = await api('admin', 'GET', `/api/v1/dealers/${NO_SUCH_ID}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ error: { code: 'DEALER_NOT_FOUND' } });
      const patched = await api('admin', 'PATCH', `/api/v1/dealers/${NO_SUCH_ID}`, { city: 'Xi’an' });
      expect(patched.json()).toMatchObject({ error: { code: 'DEALER_NOT_FOUND' } });
      const malformed = await api('admin', 'GET', '/api/v1/dealers/not-a-uuid');
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    });

    it('refuses invalid dealers with 400 and the field at fault', async () => {
      const cases: [object, string][] = [
        [{ ...newDealer, timeZone: 'Asia/Atlantis' }, 'timeZone'],
        [{ ...newDealer, timeZone: '+08:00' }, 'timeZone'],
        [{ ...newDealer, name: '   ' }, 'name'],
        [{ ...newDealer, email: 'not-an-address' }, 'email'],
        [{ ...newDealer, phone: 'call me' }, 'phone'],
        [{ ...newDealer, region: 'south' }, ''],
      ];
      for (const [body, field] of cases) {
        const res = await api('admin', 'POST', '/api/v1/dealers', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        const error = res.json<{ error: { code: string; details: { issues: { path: string }[] } } }>().error;
        expect(error.code).toBe('VALIDATION_FAILED');
        if (field) expect(error.details.issues.map((i) => i.path)).toContain(field);
      }
      const empty = await api('admin', 'PATCH', `/api/v1/dealers/${ids.otherDealer}`, {});
      expect(empty.statusCode).toBe(400);
    });

    it('changes only the fields sent, clears one with null, and audits before and after', async () => {
      const res = await api('admin', 'PATCH', `/api/v1/dealers/${ids.otherDealer}`, {
        city: 'Ningbo',
        email: null,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        id: ids.otherDealer,
        name: DEMO_DEALERS[1].name,
        city: 'Ningbo',
        email: null,
        phone: DEMO_DEALERS[1].phone,
      });
      const events = await auditOf('dealer', ids.otherDealer);
      expect(events.at(-1)).toMatchObject({
        actor: `user:${adminId}`,
        action: 'dealer.updated',
        data: {
          before: { city: DEMO_DEALERS[1].city, email: DEMO_DEALERS[1].email },
          after: { city: 'Ningbo', email: null },
        },
      });
      // The same edit again changes nothing and records nothing.
      await api('admin', 'PATCH', `/api/v1/dealers/${ids.otherDealer}`, { city: 'Ningbo' });
      expect(await auditOf('dealer', ids.otherDealer)).toHaveLength(events.length);
      // A dealer may read its dealer, not change it.
      const own = await api('dealer', 'PATCH', `/api/v1/dealers/${ids.ownDealer}`, { city: 'X' });
      expect(own.statusCode).toBe(403);
    });
  });

  describe('dealers’ Chinese names', () => {
    it('keeps the demo dealers’ Chinese names, and an admin gives, changes and clears one, audited', async () => {
      // The seed names the demo dealers in Chinese; the APIs return it beside the given name.
      const own = await api('dealer', 'GET', `/api/v1/dealers/${ids.ownDealer}`);
      expect(own.json()).toMatchObject({ name: DEMO_DEALERS[0].name, nameZh: DEMO_DEALERS[0].nameZh });
      const directory = await api('customer', 'GET', '/api/v1/dealers/directory');
      expect(directory.json<{ id: string; nameZh: string | null }[]>()).toContainEqual(
        expect.objectContaining({ id: ids.ownDealer, nameZh: '深圳华强电力设备有限公司' }),
      );

      const created = await api('admin', 'POST', '/api/v1/dealers', {
        name: 'Xiamen Haixi Power Co., Ltd.',
        nameZh: '厦门海西电力有限公司',
        city: 'Xiamen',
        timeZone: 'Asia/Shanghai',
      });
      expect(created.statusCode, created.body).toBe(201);
      const dealer = created.json<{ id: string; nameZh: string | null }>();
      expect(dealer.nameZh).toBe('厦门海西电力有限公司');
      // Cleared: the Chinese screens fall back to the given name (web/src/parties.ts dealerName).
      const cleared = await api('admin', 'PATCH', `/api/v1/dealers/${dealer.id}`, { nameZh: null });
      expect(cleared.json()).toMatchObject({ nameZh: null });
      expect((await auditOf('dealer', dealer.id)).at(-1)).toMatchObject({
        actor: `user:${adminId}`,
        action: 'dealer.updated',
        data: { before: { nameZh: '厦门海西电力有限公司' }, after: { nameZh: null } },
      });
      // Blank, too long or with a control character: refused with the field at fault.
      for (const nameZh of ['  ', '名'.repeat(201), '华\u0007强']) {
        const res = await api('admin', 'PATCH', `/api/v1/dealers/${dealer.id}`, { nameZh });
        expect(res.statusCode, res.body).toBe(400);
      }
      // Only an admin names a dealer.
      const byDealer = await api('dealer', 'PATCH', `/api/v1/dealers/${ids.ownDealer}`, { nameZh: '某某' });
      expect(byDealer.statusCode).toBe(403);
    });
  });

  describe('service centers', () => {
    const newCenter = {
      kind: 'office',
      nameEn: 'Halotek Xi’an Maintenance Office',
      nameZh: 'Halotek 西安维修点',
      city: 'Xi’an',
      address: '66 Keji Road, Yanta District, Xi’an, Shaanxi 710065',
      latitude: 34.2324,
      longitude: 108.8888,
      timeZone: 'Asia/Shanghai',
      committedServiceDays: 7,
      businessDays: [5, 1, 3, 2, 4],
      email: 'service.xa@halotek.example.com',
      phone: '+86 29 8833 4455',
    };

    it('lets each role list centers as the permission table says', async () => {
      expect(await statusesFor('GET', '/api/v1/service-centers')).toEqual({
        anonymous: 401,
        admin: 200,
        support: 200,
        qa: 200,
        sales: 200,
        dealer: 403,
        technician: 200,
        oem: 403,
        customer: 403,
      });
    });

    it('shows a technician its own center only, and another center as missing', async () => {
      const list = await api('technician', 'GET', '/api/v1/service-centers');
      expect(list.json()).toEqual([expect.objectContaining({ id: ids.ownCenter })]);
      expect((await api('technician', 'GET', `/api/v1/service-centers/${ids.ownCenter}`)).statusCode).toBe(
        200,
      );
      const other = await api('technician', 'GET', `/api/v1/service-centers/${ids.otherCenter}`);
      expect(other.statusCode).toBe(404);
      expect(other.json()).toMatchObject({ error: { code: 'SERVICE_CENTER_NOT_FOUND' } });
      const all = await api('support', 'GET', '/api/v1/service-centers');
      expect(all.json<unknown[]>().length).toBeGreaterThanOrEqual(DEMO_SERVICE_CENTERS.length);
    });

    it('adds a center for an admin only, business days in weekday order, audited', async () => {
      expect((await api('support', 'POST', '/api/v1/service-centers', newCenter)).statusCode).toBe(403);
      expect((await api('technician', 'POST', '/api/v1/service-centers', newCenter)).statusCode).toBe(403);
      const res = await api('admin', 'POST', '/api/v1/service-centers', newCenter);
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json<{ id: string }>();
      expect(created).toMatchObject({ ...newCenter, businessDays: [1, 2, 3, 4, 5] });
      const [event] = await auditOf('service_center', created.id);
      expect(event).toMatchObject({ actor: `user:${adminId}`, action: 'service_center.created' });
      expect((await api('admin', 'GET', `/api/v1/service-centers/${created.id}`)).json()).toEqual(res.json());
    });

    it('refuses invalid centers with 400 and the field at fault', async () => {
      const cases: [object, string][] = [
        [{ ...newCenter, latitude: 90.5 }, 'latitude'],
        [{ ...newCenter, longitude: -181 }, 'longitude'],
        [{ ...newCenter, committedServiceDays: 0 }, 'committedServiceDays'],
        [{ ...newCenter, committedServiceDays: 61 }, 'committedServiceDays'],
        [{ ...newCenter, committedServiceDays: 2.5 }, 'committedServiceDays'],
        [{ ...newCenter, businessDays: [] }, 'businessDays'],
        [{ ...newCenter, businessDays: [1, 1, 2] }, 'businessDays'],
        [{ ...newCenter, businessDays: [0, 1] }, 'businessDays.0'],
        [{ ...newCenter, businessDays: [1, 8] }, 'businessDays.1'],
        [{ ...newCenter, kind: 'depot' }, 'kind'],
        [{ ...newCenter, timeZone: 'China/Beijing' }, 'timeZone'],
        [{ ...newCenter, email: undefined }, 'email'],
      ];
      for (const [body, field] of cases) {
        const res = await api('admin', 'POST', '/api/v1/service-centers', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        const error = res.json<{ error: { code: string; details: { issues: { path: string }[] } } }>().error;
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details.issues.map((i) => i.path)).toContain(field);
      }
      const patch = await api('admin', 'PATCH', `/api/v1/service-centers/${ids.otherCenter}`, {
        latitude: -91,
      });
      expect(patch.statusCode).toBe(400);
    });

    it('changes a center’s commitment and opening days, audited with the old values', async () => {
      const res = await api('admin', 'PATCH', `/api/v1/service-centers/${ids.otherCenter}`, {
        committedServiceDays: 4,
        businessDays: [6, 2, 1, 3, 4, 5],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        nameEn: DEMO_SERVICE_CENTERS[1].nameEn,
        committedServiceDays: 4,
        businessDays: [1, 2, 3, 4, 5, 6],
      });
      const events = await auditOf('service_center', ids.otherCenter);
      // The opening days are the same set as before: only the commitment changed.
      expect(events.at(-1)).toMatchObject({
        actor: `user:${adminId}`,
        action: 'service_center.updated',
        data: { before: { committedServiceDays: 5 }, after: { committedServiceDays: 4 } },
      });
      expect(events.at(-1)?.data).not.toHaveProperty('after.businessDays');
      const missing = await api('admin', 'PATCH', `/api/v1/service-centers/${NO_SUCH_ID}`, { city: 'X' });
      expect(missing.statusCode).toBe(404);
    });
    it('keeps a center’s holidays and make-up working days in date order, and refuses a day that is both', async () => {
      const seeded = await api('admin', 'GET', `/api/v1/service-centers/${ids.otherCenter}`);
      const before = seeded.json<{ closedOn: string[]; openOn: string[] }>();
      // The demo centers carry mainland China's 2026 arrangement: National Day, and its make-up days.
      expect(before.closedOn).toContain('2026-10-07');
      expect(before.openOn).toEqual(expect.arrayContaining(['2026-09-20', '2026-10-10']));
      const res = await api('admin', 'PATCH', `/api/v1/service-centers/${ids.otherCenter}`, {
        closedOn: ['2027-02-08', '2027-02-05', '2027-02-09'],
        openOn: ['2027-02-20'],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        closedOn: ['2027-02-05', '2027-02-08', '2027-02-09'],
        openOn: ['2027-02-20'],
      });
      const events = await auditOf('service_center', ids.otherCenter);
      expect(events.at(-1)).toMatchObject({
        action: 'service_center.updated',
        data: { before: { closedOn: before.closedOn, openOn: before.openOn } },
      });

      const both = await api('admin', 'PATCH', `/api/v1/service-centers/${ids.otherCenter}`, {
        openOn: ['2027-02-08', '2027-02-20'],
      });
      expect(both.statusCode).toBe(400);
      expect(both.json()).toMatchObject({
        error: { code: 'CALENDAR_DAY_BOTH_CLOSED_AND_OPEN', details: { days: ['2027-02-08'] } },
      });
      for (const [body, field] of [
        [{ closedOn: ['2027-02-30'] }, 'closedOn.0'],
        [{ openOn: ['2027-02-20', '2027-02-20'] }, 'openOn'],
        [{ closedOn: ['8 Feb 2027'] }, 'closedOn.0'],
      ] as const) {
        const bad = await api('admin', 'PATCH', `/api/v1/service-centers/${ids.otherCenter}`, body);
        expect(bad.statusCode, JSON.stringify(body)).toBe(400);
        const error = bad.json<{ error: { details: { issues: { path: string }[] } } }>().error;
        expect(error.details.issues.map((i) => i.path)).toContain(field);
      }
      // Nothing of the refused edits was kept.
      const kept = await api('admin', 'GET', `/api/v1/service-centers/${ids.otherCenter}`);
      expect(kept.json()).toMatchObject({ openOn: ['2027-02-20'] });
    });
  });

  describe('OEM clients', () => {
    const newClient = {
      name: 'Nordlicht Elektronik GmbH',
      country: 'DE',
      contactName: 'Jonas Weber',
      email: 'einkauf@nordlicht.example.com',
      phone: '+49 30 1234 5678',
    };

    it('lets each role list clients as the permission table says', async () => {
      expect(await statusesFor('GET', '/api/v1/oem-clients')).toEqual({
        anonymous: 401,
        admin: 200,
        support: 200,
        qa: 200,
        sales: 200,
        dealer: 403,
        technician: 403,
        oem: 200,
        customer: 403,
      });
    });

    it('adds a client for an admin only, audited', async () => {
      expect((await api('sales', 'POST', '/api/v1/oem-clients', newClient)).statusCode).toBe(403);
      expect((await api('oem', 'POST', '/api/v1/oem-clients', newClient)).statusCode).toBe(403);
      const res = await api('admin', 'POST', '/api/v1/oem-clients', newClient);
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json<{ id: string }>();
      expect(created).toMatchObject(newClient);
      const [event] = await auditOf('oem_client', created.id);
      expect(event).toMatchObject({
        actor: `user:${adminId}`,
        action: 'oem_client.created',
        data: { name: newClient.name, country: 'DE' },
      });
    });

    it('shows an OEM user its own client only, and another client as missing', async () => {
      const list = await api('oem', 'GET', '/api/v1/oem-clients');
      expect(list.json()).toEqual([
        expect.objectContaining({ id: ids.ownClient, name: DEMO_OEM_CLIENT.name }),
      ]);
      const [other] = await t.db.db.select().from(oemClients).where(eq(oemClients.name, newClient.name));
      const hidden = await api('oem', 'GET', `/api/v1/oem-clients/${other?.id}`);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json()).toMatchObject({ error: { code: 'OEM_CLIENT_NOT_FOUND' } });
      expect((await api('oem', 'GET', `/api/v1/oem-clients/${ids.ownClient}`)).statusCode).toBe(200);
      expect((await api('qa', 'GET', `/api/v1/oem-clients/${other?.id}`)).statusCode).toBe(200);
    });

    it('refuses a country that is not an ISO 3166 alpha-2 code', async () => {
      for (const country of ['UK', 'gb', 'GBR', 'EU', '']) {
        const res = await api('admin', 'POST', '/api/v1/oem-clients', { ...newClient, country });
        expect(res.statusCode, country).toBe(400);
        expect(res.json()).toMatchObject({
          error: {
            code: 'VALIDATION_FAILED',
            details: { issues: [expect.objectContaining({ path: 'country' })] },
          },
        });
      }
    });

    it('clears the contact with null and audits the change', async () => {
      const res = await api('admin', 'PATCH', `/api/v1/oem-clients/${ids.ownClient}`, {
        contactName: null,
        country: 'IE',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ name: DEMO_OEM_CLIENT.name, contactName: null, country: 'IE' });
      const events = await auditOf('oem_client', ids.ownClient);
      expect(events.at(-1)).toMatchObject({
        actor: `user:${adminId}`,
        action: 'oem_client.updated',
        data: {
          before: { contactName: DEMO_OEM_CLIENT.contactName, country: 'GB' },
          after: { contactName: null, country: 'IE' },
        },
      });
    });
  });

  describe('products', () => {
    const newProduct = {
      sku: 'DCP-110-24',
      nameEn: '110 V DC Power Panel, 24 V output',
      nameZh: '110V 直流屏（24V 输出）',
      category: 'dc_power_panel',
      warrantyOverride: { years: 3 },
    };

    it('lists products with their ids for an admin only', async () => {
      expect(await statusesFor('GET', '/api/v1/products/admin')).toEqual({
        anonymous: 401,
        admin: 200,
        support: 403,
        qa: 403,
        sales: 403,
        dealer: 403,
        technician: 403,
        oem: 403,
        customer: 403,
      });
      const res = await api('admin', 'GET', '/api/v1/products/admin');
      const inverter = DEMO_PRODUCTS.find((p) => p.sku === 'INV-3000');
      const listed = res.json<Record<string, unknown>[]>().find((p) => p.sku === 'INV-3000');
      expect(Object.keys(listed ?? {}).sort()).toEqual(
        ['category', 'createdAt', 'id', 'nameEn', 'nameZh', 'price', 'sku', 'warrantyOverride'].sort(),
      );
      expect(listed).toMatchObject({
        nameEn: inverter?.nameEn,
        nameZh: inverter?.nameZh,
        category: 'inverter',
        warrantyOverride: { years: 2 },
      });
      expect(listed?.id).toMatch(/^[0-9a-f-]{36}$/);
      // The public list keeps its shape: no ids, no warranty.
      const publicList = await api('anonymous', 'GET', '/api/v1/products');
      expect(Object.keys(publicList.json<object[]>()[0] ?? {}).sort()).toEqual(['category', 'name', 'sku']);
    });

    it('adds a product for an admin only; its warranty decides at once', async () => {
      expect((await api('support', 'POST', '/api/v1/products', newProduct)).statusCode).toBe(403);
      expect((await api('anonymous', 'POST', '/api/v1/products', newProduct)).statusCode).toBe(401);
      const res = await api('admin', 'POST', '/api/v1/products', newProduct);
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json<{ id: string }>();
      expect(created).toMatchObject(newProduct);
      const [event] = await auditOf('product', created.id);
      expect(event).toMatchObject({
        actor: `user:${adminId}`,
        action: 'product.created',
        data: { sku: newProduct.sku, warrantyOverride: { years: 3 } },
      });
      // Two and a half years after purchase, the three-year warranty still repairs it.
      const decision = await api('anonymous', 'POST', '/api/v1/entitlements/evaluate', {
        customerType: 'end_user',
        purchaseDate: '2024-01-10',
        reportDate: '2026-07-10',
        cause: 'quality',
        productSku: newProduct.sku,
      });
      expect(decision.json()).toMatchObject({ window: '1_year', paid: false });
    });

    it('answers 409 SKU_TAKEN for a SKU in use, on create and on change', async () => {
      const twice = await api('admin', 'POST', '/api/v1/products', { ...newProduct, nameEn: 'Another' });
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({ error: { code: 'SKU_TAKEN', details: { field: 'sku' } } });
      const list = await api('admin', 'GET', '/api/v1/products/admin');
      const headset = list.json<{ id: string; sku: string }[]>().find((p) => p.sku === 'HS-200');
      const renamed = await api('admin', 'PATCH', `/api/v1/products/${headset?.id}`, { sku: newProduct.sku });
      expect(renamed.statusCode).toBe(409);
      expect(renamed.json()).toMatchObject({ error: { code: 'SKU_TAKEN' } });
    });

    it('refuses invalid products with 400', async () => {
      const cases: [object, string][] = [
        [{ ...newProduct, sku: 'dcp-110-24' }, 'sku'],
        [{ ...newProduct, category: 'toaster' }, 'category'],
        [{ ...newProduct, warrantyOverride: { years: 0 } }, 'warrantyOverride'],
        [{ ...newProduct, warrantyOverride: { weeks: 2 } }, 'warrantyOverride'],
        [{ ...newProduct, nameZh: '' }, 'nameZh'],
      ];
      for (const [body, field] of cases) {
        const res = await api('admin', 'POST', '/api/v1/products', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        const error = res.json<{ error: { code: string; details: { issues: { path: string }[] } } }>().error;
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details.issues.map((i) => i.path.split('.')[0])).toContain(field);
      }
      expect(
        (await api('admin', 'PATCH', `/api/v1/products/${NO_SUCH_ID}`, { nameEn: 'X' })).json(),
      ).toMatchObject({ error: { code: 'PRODUCT_NOT_FOUND' } });
      expect((await api('admin', 'PATCH', '/api/v1/products/HS-200', { nameEn: 'X' })).statusCode).toBe(400);
    });

    it('returns a product to the policy’s warranty with null, audited', async () => {
      const list = await api('admin', 'GET', '/api/v1/products/admin');
      const inverter = list.json<{ id: string; sku: string }[]>().find((p) => p.sku === 'INV-3000');
      const res = await api('admin', 'PATCH', `/api/v1/products/${inverter?.id}`, { warrantyOverride: null });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ sku: 'INV-3000', warrantyOverride: null });
      const events = await auditOf('product', inverter?.id ?? '');
      expect(events.at(-1)).toMatchObject({
        actor: `user:${adminId}`,
        action: 'product.updated',
        data: { before: { warrantyOverride: { years: 2 } }, after: { warrantyOverride: null } },
      });
    });
  });
});
