import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { rowsOf } from '../../src/db/rows.js';
import { serviceCenters, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../../src/db/seed.js';
import { mayAttempt, type Role, roles } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import { errorResponseSchema } from '../../src/http/error-response.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { maintenanceOrderFixtures } from '../support/maintenance.js';
import { oemMatrixFixtures } from '../support/oem-fixtures.js';
import {
  type FuzzPools,
  type FuzzRequest,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  requestArb,
  sweepRequests,
} from '../support/openapi-fuzz.js';
import { purchaseAndClaimMatrixFixtures } from '../support/purchase-claim-fixtures.js';
import { endUserServiceMatrixFixtures } from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';
import { uploadMatrixFixtures } from '../support/upload-fixtures.js';

/*
 * Generated bad input on every route the OpenAPI document lists, signed in as each role and as nobody:
 * malformed, oversized, wrong-typed, boundary and injection-shaped bodies, query strings, path ids and
 * headers (test/support/openapi-fuzz.ts). Whatever comes in:
 *   - no answer is a 5xx;
 *   - every 4xx carries the API's error object;
 *   - a refused (4xx) request changes no row: every table's rows are fingerprinted before and after.
 * Beside the random requests, a sweep (sweepRequests) puts each control character (NUL, ESC, NEL, CR/LF,
 * a lone surrogate) in every string field, each int4 / safe-integer / int8 boundary in every number, and
 * asks for every path under dot-segment and encoded spellings (answered as the path itself, or 4xx).
 * CI runs a fixed seed and a few random requests per route and caller (3: the sweep took the time the
 * other two took, and finds what they only drew by chance); more on demand:
 *   BAD_INPUT_RUNS=40 BAD_INPUT_SEED=123 npx vitest run --project integration test/integration/bad-input.test.ts
 */

/**
 * Requests generated per route for each caller the route lets in (public routes: everyone; others: the
 * roles the permission table lets attempt it). A caller the route refuses at the door (401, 403) gets a
 * fifth of that, at least one: those requests never reach a handler, and the access matrix walks the door.
 */
const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 3);
const DOOR_RUNS = Math.max(1, Math.round(RUNS / 5));
const SEED = Number(process.env.BAD_INPUT_SEED ?? 20_261_125);

type Caller = Role | 'anonymous';
const callers: readonly Caller[] = ['anonymous', ...roles];

/** Stands in for the session token in generated cookies; the current token is put in when sent. */
const SESSION_PLACEHOLDER = '@@SESSION@@';
const SESSION_COOKIE_NAME = 'aftersales.session_token';

/*
 * Which tables' rows changed since the last look, exactly: a table's content is its row count and the
 * md5 of its rows' md5s, sorted (the physical order of rows does not matter, their content does).
 * Digesting every table after every request is the slow part, so each look first reads a cheap
 * signature — the row count and the sum of the rows' xmin (the transaction that wrote each row
 * version). An insert, update or delete leaves a row version of a transaction newer than every row
 * already there, or one row fewer, so content cannot change while the signature stays; only tables whose
 * signature moved are digested. A row rewritten with the content it had moves the signature but not the
 * digest, and is not a change. Before either, one look at the database's next transaction id: a
 * request that wrote nothing was given none, so when it has not moved no table is read at all (on a
 * shared PostgreSQL server other databases move it too; then the tables are looked at).
 *
 * Nothing else may change on a refused request — better-auth's own rate limiting is off, and the test's sessions are too young for better-auth to refresh them —
 * except what a refusal writes by design, below.
 */

/**
 * What a refused request writes on purpose. A wrong password is refused (401) and must still count
 * towards its address's lock-out: `sign_in_failures` is a rate-limit counter that lives in the database,
 * and the moment a client or the address is locked is audited (`audit_events` rows `sign_in.locked_out`,
 * `sign_in.address_locked_out`) and, for the address, its owner told (an `outbox` row). A request asking
 * for a message counts against its address's and client's limits before better-auth may refuse it
 * (`rate_limit_counters`, where the per-IP limits of every process also count every request, refused or not). Tables are left out whole; rows matching a condition are left out of their
 * table's digest.
 */
const WRITTEN_WHEN_REFUSED: { tables: readonly string[]; rows: Readonly<Record<string, string>> } = {
  tables: ['sign_in_failures', 'rate_limit_counters'],
  rows: {
    audit_events: `action in ('sign_in.locked_out', 'sign_in.address_locked_out')`,
    outbox: `topic = 'account.sign_in_attack'`,
  },
};

async function applicationTables(db: Database): Promise<string[]> {
  const rows = rowsOf(
    await db.execute(
      sql`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
    ),
  );
  return rows.map((r) => String(r.name)).filter((name) => !WRITTEN_WHEN_REFUSED.tables.includes(name));
}

function tableWatch(db: Database, tables: readonly string[]) {
  let watchMs = 0;
  const perTable = async (names: readonly string[], expression: string, skipRows = false) => {
    const start = performance.now();
    const query = names
      .map((t) => {
        const skipped = skipRows ? WRITTEN_WHEN_REFUSED.rows[t] : undefined;
        return `select '${t}' as t, ${expression} as v from "${t}" x${skipped ? ` where not (${skipped})` : ''}`;
      })
      .join(' union all ');
    const rows = rowsOf(await db.execute(sql.raw(query)));
    watchMs += performance.now() - start;
    return new Map(rows.map((r) => [String(r.t), String(r.v)]));
  };
  const signatures = (names: readonly string[]) =>
    perTable(names, `count(*)::text || ':' || coalesce(sum(x.xmin::text::bigint), 0)::text`);
  const digests = (names: readonly string[]) =>
    perTable(
      names,
      `count(*)::text || ':' || coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '')`,
      true,
    );
  const nextTransaction = async () => {
    const start = performance.now();
    const [row] = rowsOf(await db.execute(sql`select pg_snapshot_xmax(pg_current_snapshot())::text as v`));
    watchMs += performance.now() - start;
    return String(row?.v);
  };
  let horizon = '';
  let signature = new Map<string, string>();
  let digest = new Map<string, string>();
  return {
    /** Time spent looking, in milliseconds. */
    get ms(): number {
      return watchMs;
    },
    /** Takes the present state as the one to compare with. */
    async reset(): Promise<void> {
      horizon = await nextTransaction();
      signature = await signatures(tables);
      digest = await digests(tables);
    },
    /** The tables whose rows differ from the last look; the present state becomes the one to compare with. */
    async changed(): Promise<string[]> {
      const next = await nextTransaction();
      if (next === horizon) return [];
      horizon = next;
      const now = await signatures(tables);
      const moved = tables.filter((t) => now.get(t) !== signature.get(t));
      signature = now;
      if (moved.length === 0) return [];
      const after = await digests(moved);
      const changed = moved.filter((t) => after.get(t) !== digest.get(t));
      for (const [t, v] of after) digest.set(t, v);
      return changed;
    },
  };
}

/**
 * What requests may name: ids of rows in every table (but not the signed-in demo accounts', so that
 * no generated request deactivates or demotes the caller it is sent as) and short text values
 * (SKUs, lots, serials, e-mail addresses, maintenance numbers…), skipping the secret-bearing tables.
 */
/** Values a run makes at random (ids in text, hashes, tokens): left out so that a seed replays a run. */
const RANDOM_LOOKING = /[0-9a-f]{8}-[0-9a-f]{4}-|[0-9a-f]{24}|[A-Za-z0-9_-]{32}/i;

async function poolsOf(db: Database, tables: readonly string[]): Promise<FuzzPools> {
  const secretTables = new Set([
    'instance_settings',
    'sessions',
    'accounts',
    'verifications',
    'guest_access_tokens',
  ]);
  const columns = rowsOf(
    await db.execute(
      sql`select table_name as t, column_name as c, data_type as type from information_schema.columns
          where table_schema = current_schema() order by 1, 2`,
    ),
  );
  const demoUserIds = new Set(
    (await db.select({ id: users.id, email: users.email }).from(users))
      .filter((u) => DEMO_ACCOUNTS.some((a) => a.email === u.email))
      .map((u) => u.id),
  );
  const ids = new Set<string>();
  const strings = new Set<string>();
  for (const { t, c, type } of columns as { t: string; c: string; type: string }[]) {
    if (!tables.includes(t) || secretTables.has(t)) continue;
    if (c === 'id' && type === 'uuid') {
      const found = rowsOf(
        await db.execute(sql.raw(`select id::text as v from "${t}" order by ctid limit 40`)),
      );
      for (const r of found) {
        if (!demoUserIds.has(String(r.v))) ids.add(String(r.v));
      }
    } else if (type === 'text' || type === 'character varying') {
      const found = rowsOf(
        await db.execute(
          sql.raw(`select distinct "${c}" as v from "${t}" where length("${c}") between 1 and 64 limit 8`),
        ),
      );
      for (const r of found) if (!RANDOM_LOOKING.test(String(r.v))) strings.add(String(r.v));
    }
  }
  // Ids in the order the seed made their rows, strings sorted: the same seed draws the same objects.
  return { ids: [...ids], strings: [...strings].sort() };
}

/** fast-check's report, with what our check said in place of the raw counterexample. */
function failureOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : '';
  const header = error.message
    .split('\n')
    .filter((line) => !line.startsWith('Counterexample:') && !line.startsWith('Hint:'))
    .join('\n')
    .trim();
  return cause ? `${header}\n${cause}` : header;
}

function show(req: FuzzRequest): string {
  const payload =
    req.payload === undefined
      ? '(none)'
      : typeof req.payload === 'string'
        ? req.payload.length > 400
          ? `${req.payload.slice(0, 400)}… (${req.payload.length} chars)`
          : req.payload
        : `<${req.payload.length} bytes>`;
  const headers = JSON.stringify(req.headers, (_k, v: unknown) =>
    typeof v === 'string' && v.length > 120 ? `${v.slice(0, 120)}… (${v.length} chars)` : v,
  );
  return `${req.method} ${req.url.length > 300 ? `${req.url.slice(0, 300)}…` : req.url}\n  headers ${headers}\n  body ${payload}\n  broken: ${req.broken.join('; ') || 'nothing'}`;
}

describe.each(testDatabases())('bad input on every route on $name', (testDb) => {
  const t = useTestApp(testDb, {
    // Limits would turn most requests into 429s before they reach a handler; they are tested elsewhere.
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_MAIL_PER_ADDRESS_PER_HOUR: '100000000',
    AUTH_MAIL_PER_IP_PER_HOUR: '100000000',
    // The deadline job writes on its own clock; it must not run between two fingerprints.
    DEADLINE_JOB_INTERVAL_SECONDS: '86400',
  });
  const tokens = new Map<Role, string>();
  const statuses = new Map<number, number>();
  const codes = new Map<string, number>();
  const perCaller = new Map<Caller, number>();
  let pastTheDoor = 0;
  let swept = 0;
  let sweptMs = 0;
  let doc: OpenApiDocument;
  let operations: Operation[];
  let pools: FuzzPools;
  let watch: ReturnType<typeof tableWatch>;
  let started = 0;

  const signIn = async (role: Role) => {
    const cookie = await demoSession(t.app, role);
    tokens.set(role, cookie.slice(cookie.indexOf('=') + 1));
  };

  beforeAll(async () => {
    started = Date.now();
    const db = t.db.db;
    await seedDemoData(db, { today: Temporal.PlainDate.from('2026-11-25') });
    // The access matrix's objects of every area, so that ids in requests name real rows too.
    const centers = await db.select({ id: serviceCenters.id }).from(serviceCenters).limit(2);
    await maintenanceOrderFixtures(t.app, db, { own: centers[0]?.id ?? '', other: centers[1]?.id ?? '' });
    await purchaseAndClaimMatrixFixtures(t.app, db);
    await endUserServiceMatrixFixtures(t.app, db);
    await oemMatrixFixtures(db);
    await uploadMatrixFixtures(db);
    for (const role of roles) await signIn(role);

    doc = t.app.swagger() as unknown as OpenApiDocument;
    operations = operationsOf(doc);
    const tables = await applicationTables(db);
    pools = await poolsOf(db, tables);
    watch = tableWatch(db, tables);
  });

  afterAll(() => {
    const total = [...perCaller.values()].reduce((a, b) => a + b, 0);
    const histogram = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
    console.log(
      `bad input on ${testDb.name}: seed ${SEED}, ${operations.length} routes, ${RUNS} requests per route and caller let in ` +
        `(${DOOR_RUNS} when refused at the door); ${total} requests generated, ${pastTheDoor} to callers let in (${[...perCaller.entries()].map(([c, n]) => `${c} ${n}`).join(', ')}) ` +
        `in ${((Date.now() - started) / 1000).toFixed(1)} s (${(watch.ms / 1000).toFixed(1)} s of it watching the tables; ` +
        `${swept} of the requests swept every field and path spelling, in ${(sweptMs / 1000).toFixed(1)} s); statuses ${histogram}; ` +
        `most frequent error codes ${[...codes.entries()]
          .sort(([, a], [, b]) => b - a)
          .slice(0, 15)
          .map(([code, n]) => `${code} ${n}`)
          .join(', ')}`,
    );
  });

  /** Does the route let this caller in, to the handler? */
  const letsIn = (op: Operation, caller: Caller): boolean => {
    const bare = (url: string) => url.replace(/\{([^}]+)\}/g, ':$1').replace(/\/$/, '');
    const route = t.app.routeAccess.find((r) => r.method === op.method && bare(r.url) === bare(op.path));
    // Not in the table: the sign-in routes, which answer for themselves and are open to all.
    if (!route || route.access === 'public') return true;
    return caller !== 'anonymous' && mayAttempt(caller, route.access);
  };

  /** Sends one generated request as the caller, with its current session token. */
  const send = (app: FastifyInstance, caller: Caller, req: FuzzRequest) => {
    const token = caller === 'anonymous' ? '' : (tokens.get(caller) ?? '');
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value)
        ? value.map((v) => v.replaceAll(SESSION_PLACEHOLDER, token))
        : value.replaceAll(SESSION_PLACEHOLDER, token);
    }
    return app.inject({
      method: req.method as 'GET',
      url: req.url,
      headers,
      ...(req.payload === undefined ? {} : { payload: req.payload }),
    });
  };

  /** Never a 5xx; a refusal carries the error object and changed no row. Throws what it found. */
  const judge = async (caller: Caller, req: FuzzRequest, res: LightMyRequestResponse) => {
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    // Looked at first, so that a failed check does not leave this request's writes to the next.
    const changed = await watch.changed();
    const where = `${show(req)}\n  → ${res.statusCode} ${res.body.slice(0, 500)}`;
    if (res.statusCode >= 500) throw new Error(`a 5xx as ${caller}:\n${where}`);
    if (res.statusCode >= 400) {
      let body: unknown;
      try {
        body = res.json();
      } catch {
        body = undefined;
      }
      const parsed = errorResponseSchema.safeParse(body);
      if (!parsed.success) {
        throw new Error(`a ${res.statusCode} without the error object as ${caller}:\n${where}`);
      }
      const code = parsed.data.error.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    if (res.statusCode >= 400 && changed.length > 0) {
      throw new Error(`a refused request changed ${changed.join(', ')} as ${caller}:\n${where}`);
    }
  };

  it('reads every route from the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(90);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toContain('POST /api/v1/claims/');
    expect(pools.ids.length).toBeGreaterThan(50);
  });

  it.each(callers)(
    'answers every route sent bad input as %s: never a 5xx, errors shaped, nothing changed when refused',
    async (caller) => {
      const failures: string[] = [];
      await watch.reset();
      const callerIndex = callers.indexOf(caller);
      for (const [opIndex, op] of operations.entries()) {
        const arb = requestArb(
          doc,
          pools,
          op,
          {
            name: caller,
            ...(caller === 'anonymous' ? {} : { cookie: `${SESSION_COOKIE_NAME}=${SESSION_PLACEHOLDER}` }),
          },
          ORIGIN,
        );
        // Every route is tried even when one fails, so that one run reports every broken route.
        await fc
          .assert(
            fc.asyncProperty(arb, async (req) => {
              const res = await send(t.app, caller, req);
              perCaller.set(caller, (perCaller.get(caller) ?? 0) + 1);
              if (letsIn(op, caller)) pastTheDoor += 1;
              await judge(caller, req, res);
              // Signing out ends the caller's session: a new one for the next request.
              if (caller !== 'anonymous' && op.path.endsWith('/sign-out') && res.statusCode < 300) {
                await signIn(caller);
                await watch.reset();
              }
            }),
            {
              seed: (SEED + callerIndex * 1_000 + opIndex) | 0,
              numRuns: letsIn(op, caller) ? RUNS : DOOR_RUNS,
            },
          )
          .catch((error: unknown) => {
            failures.push(`${op.method} ${op.path} as ${caller}: ${failureOf(error)}`);
          });
      }
      expect(failures, failures.join('\n\n')).toEqual([]);
    },
    Math.max(60_000, RUNS * 100 * 500),
  );

  it('answers every string field with control characters, every number at the integer limits, every path spelled otherwise: never a 5xx, nothing changed when refused', async () => {
    const failures: string[] = [];
    const start = performance.now();
    await watch.reset();
    for (const [opIndex, op] of operations.entries()) {
      // Sent as the callers the route lets in, in turn, so that requests reach the handler as each of them.
      const admitted = callers.filter((c) => letsIn(op, c));
      const sweep = sweepRequests(
        doc,
        pools,
        op,
        { name: 'sweep', cookie: `${SESSION_COOKIE_NAME}=${SESSION_PLACEHOLDER}` },
        ORIGIN,
        SEED + opIndex,
      );
      // The path's spellings are each compared with one canonical request, sent once, as one caller.
      let canonical: { caller: Caller; res: LightMyRequestResponse } | undefined;
      for (const [i, req] of sweep.entries()) {
        const caller = admitted[(opIndex + (req.sameAs ? 0 : i)) % admitted.length] ?? 'anonymous';
        if (caller === 'anonymous') delete req.headers.cookie;
        try {
          if (req.sameAs) {
            if (!canonical || canonical.caller !== caller) {
              if (caller === 'anonymous') delete req.sameAs.headers.cookie;
              const res = await send(t.app, caller, req.sameAs);
              swept += 1;
              canonical = { caller, res };
              await judge(caller, req.sameAs, res);
            }
            const res = await send(t.app, caller, req);
            swept += 1;
            await judge(caller, req, res);
            if (res.statusCode < 400 && res.statusCode !== canonical.res.statusCode) {
              throw new Error(
                `a path spelled otherwise answered ${res.statusCode} where the path answers ${canonical.res.statusCode} as ${caller}:\n${show(req)}`,
              );
            }
          } else {
            const res = await send(t.app, caller, req);
            swept += 1;
            await judge(caller, req, res);
          }
        } catch (error) {
          failures.push(
            `${op.method} ${op.path} as ${caller}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        if (caller !== 'anonymous' && op.path.endsWith('/sign-out')) {
          await signIn(caller);
          await watch.reset();
        }
      }
    }
    sweptMs += performance.now() - start;
    expect(failures, failures.join('\n\n')).toEqual([]);
  }, 600_000);
});
