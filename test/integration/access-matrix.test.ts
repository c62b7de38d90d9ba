import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dealers, oemClients, serviceCenters, users } from '../../src/db/schema.js';
import {
  DEMO_ACCOUNTS,
  DEMO_DEALERS,
  DEMO_OEM_CLIENT,
  DEMO_SERVICE_CENTERS,
  seedDemoData,
} from '../../src/db/seed.js';
import { apiKeyRoles, type ApiKeyRole } from '../../src/domain/access/api-keys.js';
import { type Action, grantOf, permissions, type Role, roles } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import type { RouteAccess } from '../../src/http/auth/actor.js';
import { useTestApp } from '../support/app.js';
import { maintenanceOrderFixtures } from '../support/maintenance.js';
import { endUserServiceMatrixFixtures } from '../support/service-fixtures.js';
import { purchaseAndClaimMatrixFixtures } from '../support/purchase-claim-fixtures.js';
import { oemMatrixFixtures } from '../support/oem-fixtures.js';
import { uploadMatrixFixtures } from '../support/upload-fixtures.js';
import { eventMatrixFixtures } from '../support/event-fixtures.js';
import { conversationMatrixFixtures } from '../support/conversation-fixtures.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * Every API route × every role, and nobody: the route answers 401 to nobody unless it is public, 403
 * to a role the permission table leaves out, and lets the others through to the use case. Routes whose
 * action some role holds only for its own objects are then asked for one object of that role's scope
 * (allowed) and one of another scope (404, as if it did not exist). The table of routes is the
 * server's own, so a new route is in this test — and in docs/access-matrix.md — the moment it exists.
 */

type Route = { method: string; url: string; access: RouteAccess };
type Caller = Role | 'anonymous';
const callers: readonly Caller[] = ['anonymous', ...roles];

/** What a caller gets at the door of a route, before any object is looked at. */
function expectedAtDoor(access: RouteAccess, caller: Caller): 'through' | 401 | 403 {
  if (access === 'public') return 'through';
  if (caller === 'anonymous') return 401;
  return grantOf(caller, access) === undefined ? 403 : 'through';
}

function cell(access: RouteAccess, caller: Caller): string {
  if (access === 'public') return 'yes';
  if (caller === 'anonymous') return '401';
  const grant = grantOf(caller, access);
  return grant === undefined ? '403' : grant === 'all' ? 'yes' : 'own';
}

/** The matrix as the docs show it; the test fails when the file and the server disagree. */
function renderMatrix(routes: readonly Route[]): string {
  const header = ['Route', 'Action', ...callers];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const routeRows = routes.map((r) =>
    line([`\`${r.method} ${r.url}\``, `\`${r.access}\``, ...callers.map((c) => cell(r.access, c))]),
  );
  const actionRows = (Object.keys(permissions) as Action[]).map((action) =>
    line([`\`${action}\``, ...roles.map((role) => grantOf(role, action) ?? '—')]),
  );
  return [
    '# Access matrix',
    '',
    '<!-- Written by test/integration/access-matrix.test.ts from the running server; update with',
    '     `npx vitest run test/integration/access-matrix.test.ts -u`. Do not edit by hand. -->',
    '',
    'Who may call each API route. `yes`: any object; `own`: only objects of the caller’s own dealer,',
    'service center, OEM client or customer record — another scope’s object answers **404**, as if it did',
    'not exist; `403`: the role may never do this; `401`: sign in first. Authorization is checked twice:',
    'at the route (the role), and in the use case on every object it loads (the scope).',
    '',
    'The sign-in routes under `/api/auth` (better-auth) are open to everyone and rate limited.',
    '',
    '## Routes',
    '',
    line(header),
    line(header.map(() => '---')),
    ...routeRows,
    '',
    '## Permissions by action',
    '',
    line(['Action', ...roles]),
    line(['---', ...roles.map(() => '---')]),
    ...actionRows,
    '',
  ].join('\n');
}

const withIds = (url: string, id: string) => url.replace(/:[A-Za-z]+/g, id);

/**
 * For each guarded route with a path parameter whose action some role holds as `own`: an object of
 * that role's demo scope and one of another scope. A missing entry fails the test, so a new scoped
 * route cannot go unchecked.
 */
type ScopedFixture = { role: Role; own: string; other: string };

describe.each(testDatabases())('access matrix on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  /** A machine's key for each role a key may have, with the scope of that role's demo person. */
  const keys = new Map<ApiKeyRole, string>();
  const scopedFixtures = new Map<string, ScopedFixture[]>();

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    for (const role of roles) cookies.set(role, await demoSession(t.app, role));
    for (const role of apiKeyRoles) {
      const email = DEMO_ACCOUNTS.find((a) => a.role === role)?.email ?? '';
      const [person] = await t.db.db.select().from(users).where(eq(users.email, email));
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { origin: ORIGIN, cookie: cookies.get('admin') },
        payload: {
          name: `${role} machine`,
          role,
          dealerId: person?.dealerId,
          serviceCenterId: person?.serviceCenterId,
          oemClientId: person?.oemClientId,
          // Every request of this file falls in one minute of the test clock.
          requestsPerMinute: 100_000,
        },
      });
      if (res.statusCode !== 201) throw new Error(`no ${role} key: ${res.body}`);
      keys.set(role, res.json<{ key: string }>().key);
    }

    const dealerRows = await t.db.db.select({ id: dealers.id, name: dealers.name }).from(dealers);
    const centerRows = await t.db.db
      .select({ id: serviceCenters.id, nameEn: serviceCenters.nameEn })
      .from(serviceCenters);
    const ownDealer = dealerRows.find((d) => d.name === DEMO_DEALERS[0].name)?.id ?? '';
    const otherDealer = dealerRows.find((d) => d.name === DEMO_DEALERS[1].name)?.id ?? '';
    const ownCenter = centerRows.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[0].nameEn)?.id ?? '';
    const otherCenter = centerRows.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[1].nameEn)?.id ?? '';
    const [client] = await t.db.db.select({ id: oemClients.id, name: oemClients.name }).from(oemClients);
    if (client?.name !== DEMO_OEM_CLIENT.name) throw new Error('the demo seed has one OEM client');
    const [otherClient] = await t.db.db
      .insert(oemClients)
      .values({ name: 'Another OEM client', country: 'DE' })
      .returning({ id: oemClients.id });

    scopedFixtures.set('/api/v1/dealers/:id', [{ role: 'dealer', own: ownDealer, other: otherDealer }]);
    scopedFixtures.set('/api/v1/service-centers/:id', [
      { role: 'technician', own: ownCenter, other: otherCenter },
    ]);
    scopedFixtures.set('/api/v1/oem-clients/:id', [
      { role: 'oem', own: client.id, other: otherClient?.id ?? '' },
    ]);

    // Maintenance orders: the demo customer's at the demo technician's center, and another's elsewhere.
    const repairs = await maintenanceOrderFixtures(t.app, t.db.db, { own: ownCenter, other: otherCenter });
    const byTechnicianAndCustomer = [
      { role: 'technician' as const, own: repairs.ownOrder, other: repairs.otherOrder },
      { role: 'customer' as const, own: repairs.ownOrder, other: repairs.otherOrder },
    ];
    scopedFixtures.set('/api/v1/maintenance-orders/:id', byTechnicianAndCustomer);
    scopedFixtures.set('/api/v1/maintenance-orders/:id/transitions', byTechnicianAndCustomer);
    scopedFixtures.set('/api/v1/maintenance-orders/:id/contact', byTechnicianAndCustomer);
    // Ownership and the customer behind an order (issue 15): a technician's center's order, not another's.
    const byTechnician = [{ role: 'technician' as const, own: repairs.ownOrder, other: repairs.otherOrder }];
    for (const suffix of ['take', 'assign', 'release', 'assignees', 'context', 'work'])
      scopedFixtures.set(`/api/v1/maintenance-orders/:id/${suffix}`, byTechnician);
    scopedFixtures.set('/api/v1/claims/:id/maintenance-order', [
      { role: 'customer', own: repairs.ownClaim, other: repairs.otherClaim },
    ]);

    // Purchases and claims: the demo customer's, sold by the demo dealer, and another's elsewhere.
    for (const [url, fixtures] of await purchaseAndClaimMatrixFixtures(t.app, t.db.db)) {
      scopedFixtures.set(url, fixtures);
    }

    // Dealer remedies, reimbursement claims and paid-service quotes (test/support/service-fixtures.ts).
    for (const [url, fixtures] of await endUserServiceMatrixFixtures(t.app, t.db.db)) {
      scopedFixtures.set(url, fixtures);
    }

    // OEM orders, their reports, ledger and remedies: the demo client's, and another client's.
    for (const [url, fixtures] of await oemMatrixFixtures(t.db.db)) {
      scopedFixtures.set(url, fixtures);
    }

    // Files: a proof of purchase on each customer's purchase, evidence on each client's defect report.
    for (const [url, fixtures] of await uploadMatrixFixtures(t.db.db)) {
      scopedFixtures.set(url, fixtures);
    }

    // The events feed: an event of each scoped role's own scope, and one of another's.
    for (const [url, fixtures] of await eventMatrixFixtures(t.db.db, {
      dealer: { own: ownDealer, other: otherDealer },
      technician: { own: ownCenter, other: otherCenter },
      oem: { own: client.id, other: otherClient?.id ?? '' },
    })) {
      scopedFixtures.set(url, fixtures);
    }
    // A claim's conversation and the queue (issue 16): the demo customer's, dealer's and center's, and
    // another's; the technician reads the files of its center's conversations.
    for (const [url, fixtures] of await conversationMatrixFixtures(t.app, t.db.db)) {
      scopedFixtures.set(url, [...(scopedFixtures.get(url) ?? []), ...fixtures]);
    }
  });

  /** A person's session, or with `byKey` a machine's key of the same role and scope (no Origin). */
  const call = (route: Route, caller: Caller, id: string, byKey = false) =>
    t.app.inject({
      method: route.method as 'GET',
      url: withIds(route.url, id),
      headers:
        caller === 'anonymous'
          ? { origin: ORIGIN }
          : byKey
            ? { authorization: `Bearer ${keys.get(caller as ApiKeyRole) ?? ''}` }
            : { origin: ORIGIN, cookie: cookies.get(caller) },
      // An empty body: enough to get past the door, never enough to change anything.
      ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
    });

  it('has the routes of every area under a declared access', () => {
    const urls = t.app.routeAccess.map((r) => r.url);
    for (const expected of [
      '/api/v1/me',
      '/api/v1/users',
      '/api/v1/invitations',
      '/api/v1/entitlements/evaluate',
      '/api/v1/webhooks',
      '/api/v1/webhooks/:id/deliveries',
    ]) {
      expect(urls).toContain(expected);
    }
  });

  it('answers each route × caller as the permission table says, never with a 5xx', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.routeAccess) {
      for (const caller of callers) {
        const res = await call(route, caller, randomUUID());
        const expected = expectedAtDoor(route.access, caller);
        const ok =
          expected === 'through'
            ? res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500
            : res.statusCode === expected;
        if (!ok) {
          mismatches.push(
            `${route.method} ${route.url} as ${caller}: ${res.statusCode}, expected ${expected}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lets a machine’s key through exactly where a person of its role gets through', async () => {
    const mismatches: string[] = [];
    for (const route of t.app.routeAccess) {
      for (const role of apiKeyRoles) {
        const res = await call(route, role, randomUUID(), true);
        const expected = expectedAtDoor(route.access, role);
        const ok =
          expected === 'through'
            ? res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500
            : res.statusCode === expected;
        if (!ok)
          mismatches.push(
            `${route.method} ${route.url} by a ${role} key: ${res.statusCode}, expected ${expected}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('shows a scoped role its own objects and hides every other scope’s behind a 404', async () => {
    const unchecked: string[] = [];
    for (const route of t.app.routeAccess) {
      if (route.access === 'public' || !route.url.includes(':')) continue;
      const scopedRoles = roles.filter((role) => grantOf(role, route.access as Action) === 'own');
      if (scopedRoles.length === 0) continue;
      const fixtures = scopedFixtures.get(route.url) ?? [];
      for (const role of scopedRoles) {
        const fixture = fixtures.find((f) => f.role === role);
        if (!fixture) {
          unchecked.push(`${route.method} ${route.url} for ${role}`);
          continue;
        }
        if (route.method !== 'GET') continue; // writes with an empty body stop at validation
        const own = await call(route, role, fixture.own);
        expect(own.statusCode, `${route.url} own ${role}: ${own.body}`).toBe(200);
        const other = await call(route, role, fixture.other);
        expect(other.statusCode, `${route.url} other ${role}: ${other.body}`).toBe(404);
        // A key of the same role and scope sees exactly the same.
        if (role !== 'customer') {
          expect(
            (await call(route, role, fixture.own, true)).statusCode,
            `${route.url} own ${role} key`,
          ).toBe(200);
          expect(
            (await call(route, role, fixture.other, true)).statusCode,
            `${route.url} other ${role} key`,
          ).toBe(404);
        }
      }
    }
    expect(unchecked, 'scoped routes without a fixture in this test').toEqual([]);
  });

  it('lists for a scoped role its own scope’s objects, not another’s', async () => {
    const unchecked: string[] = [];
    for (const route of t.app.routeAccess) {
      if (route.access === 'public' || route.method !== 'GET' || route.url.includes(':')) continue;
      // The staff search answers groups of three kinds, not one list: a dealer's and a technician's scope
      // in it (by serial, name, phone, maintenance number) is test/integration/search.test.ts's.
      if (route.url === '/api/v1/search') continue;
      const access = route.access;
      for (const role of roles.filter((r) => grantOf(r, access) === 'own')) {
        // A list's objects are those its item route serves; its CSV export holds the list's rows.
        const listUrl = route.url.replace(/\/export\.csv$/, '');
        const fixture = scopedFixtures.get(`${listUrl}/:id`)?.find((f) => f.role === role);
        if (!fixture) {
          unchecked.push(`${route.url} for ${role}`);
          continue;
        }
        const res = await call(route, role, '');
        expect(res.statusCode, res.body).toBe(200);
        if (listUrl !== route.url) {
          expect(res.headers['content-type']).toMatch(/^text\/csv/);
          expect(res.body, `${route.url} for ${role}`).toContain(fixture.own);
          expect(res.body, `${route.url} for ${role}`).not.toContain(fixture.other);
          continue;
        }
        const body = res.json<{ id: string }[] | { items: { id: string }[] }>();
        const ids = (Array.isArray(body) ? body : body.items).map((item) => item.id);
        expect(ids, `${route.url} for ${role}`).toContain(fixture.own);
        expect(ids, `${route.url} for ${role}`).not.toContain(fixture.other);
      }
    }
    expect(unchecked, 'scoped lists without a fixture in this test').toEqual([]);
  });

  it('is the matrix documented in docs/access-matrix.md', async () => {
    await expect(renderMatrix(t.app.routeAccess)).toMatchFileSnapshot(
      path.resolve(import.meta.dirname, '../../docs/access-matrix.md'),
    );
  });
});
