/*
 * `npm run bench:peer`: claim intake beside the peer many service desks run — Request Tracker 5, from
 * Debian's own packages — on the same PostgreSQL, with the same load generator (autocannon), the same
 * connection count and the same seconds per load. RT creates tickets through its REST2 API, in the two
 * ways an integration signs in: HTTP basic auth on every request, and a session cookie from its login
 * form. The best of the two is the peer's figure; the target is claim intake ≥ 100× it.
 *
 * Never part of `npm test`. It needs RT installed; `npm run bench:peer -- --install` installs it (as
 * root: apt-get install request-tracker5 rt5-db-postgresql rt5-standalone, without asking debconf to
 * set up a database — this script makes its own, in a scratch database it drops at the end). RT runs
 * under its own preforking server (Starlet), with PEER_RT_WORKERS workers (default twice the cores: its
 * workers wait on PostgreSQL, so more than one per core helps it); the app runs as one process.
 *
 * Writes bench/results/peer.md.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// RT answers in hundreds of milliseconds: a longer load than the main bench's default gives its tail
// enough requests to mean something. Both sides are measured for the same time.
process.env.BENCH_SECONDS ??= '15';

const { randomUUID } = await import('node:crypto');
const { default: pg } = await import('pg');
const { openDatabase } = await import('../src/db/client.js');
const { createScratchPostgresDatabase } = await import('../test/support/databases.js');
const { BENCH_ORIGIN, buildServerOnce, CONNECTIONS, load, SECONDS, startApp } = await import('./harness.js');
const { prepare, signInOverHttp } = await import('./prepare.js');
type Load = import('./harness.js').Load;

const RT_SETUP = '/usr/sbin/rt-setup-database-5';
const RT_SERVER = '/usr/share/request-tracker5/libexec/rt-server';
const RT_PACKAGES = ['request-tracker5', 'rt5-db-postgresql', 'rt5-standalone'];
// RT's initial data creates `root` with this password; the scratch database is dropped at the end.
const RT_ROOT = { user: 'root', password: 'password' };

function installRequestTracker(): void {
  if (existsSync(RT_SETUP) && existsSync(RT_SERVER)) return;
  if (!process.argv.includes('--install')) {
    console.error(
      `bench:peer: Request Tracker 5 is not installed (${RT_SETUP}). Run \`npm run bench:peer -- --install\` as root ` +
        `to install ${RT_PACKAGES.join(', ')} from Debian's packages.`,
    );
    process.exit(2);
  }
  if (process.getuid?.() !== 0) {
    console.error('bench:peer: --install runs apt-get, which needs root.');
    process.exit(2);
  }
  console.log(`bench:peer: installing ${RT_PACKAGES.join(', ')} (apt-get)`);
  // No database through debconf/dbconfig-common: the bench sets up its own scratch database.
  execFileSync('debconf-set-selections', {
    input: 'request-tracker5 request-tracker5/dbconfig-install boolean false\n',
  });
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...RT_PACKAGES], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A Perl single-quoted string: only backslash and quote need escaping. */
const perl = (value: string) => `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;

type RequestTracker = { url: string; stop(): Promise<void>; workers: number; version: string };

async function startRequestTracker(databaseUrl: string): Promise<RequestTracker> {
  const db = new URL(databaseUrl);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aftersales-peer-rt-'));
  const port = await freePort();
  const workers = Number(process.env.PEER_RT_WORKERS ?? os.cpus().length * 2);
  mkdirSync(path.join(dir, 'RT_SiteConfig.d'));
  // RT reads this file and directory instead of /etc/request-tracker5 (RT::Config honours both
  // variables), so the bench leaves the system's configuration alone.
  writeFileSync(
    path.join(dir, 'RT_SiteConfig.pm'),
    [
      `Set($rtname, 'aftersales-peer');`,
      `Set($Organization, 'bench');`,
      `Set($WebDomain, '127.0.0.1');`,
      `Set($WebPort, ${String(port)});`,
      `Set($WebPath, '');`,
      `Set($WebBaseURL, 'http://127.0.0.1:${String(port)}');`,
      `Set($DatabaseType, 'Pg');`,
      `Set($DatabaseHost, ${perl(db.hostname)});`,
      `Set($DatabasePort, ${perl(db.port || '5432')});`,
      `Set($DatabaseName, ${perl(decodeURIComponent(db.pathname.slice(1)))});`,
      `Set($DatabaseUser, ${perl(decodeURIComponent(db.username))});`,
      `Set($DatabasePassword, ${perl(decodeURIComponent(db.password))});`,
      `Set($DatabaseAdmin, ${perl(decodeURIComponent(db.username))});`,
      `Set($LogToSTDERR, 'error');`,
      `Set($LogToSyslog, undef);`,
      `Set($LogToFile, undef);`,
      // RT's default scrips mail the requestor on create; into a file, as no mail server is measured.
      `Set($MailCommand, 'mbox');`,
      `Set($LogDir, ${perl(dir)});`,
      `Set($Timezone, 'UTC');`,
      `1;`,
    ].join('\n'),
  );
  const env = {
    ...process.env,
    RT_SITE_CONFIG: path.join(dir, 'RT_SiteConfig.pm'),
    RT_SITE_CONFIG_DIR: path.join(dir, 'RT_SiteConfig.d'),
  };
  // The scratch database exists already (--skip-create): RT's schema and core data go into it, as its
  // own user, so no superuser is needed.
  execFileSync(RT_SETUP, ['--action', 'init', '--skip-create'], {
    env,
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const version =
    /Version:\s*(\S+)/.exec(execFileSync('dpkg', ['-s', 'request-tracker5'], { encoding: 'utf8' }))?.[1] ??
    '?';
  const child: ChildProcess = spawn(
    RT_SERVER,
    ['--port', String(port), '--host', '127.0.0.1', '--max-workers', String(workers)],
    { env, cwd: dir, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/REST/2.0/queues/all`, { headers: { authorization: basic() } });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`Request Tracker did not start:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    workers,
    version,
    stop: async () => {
      const exited = new Promise<void>((resolve) =>
        child.once('exit', () => {
          resolve();
        }),
      );
      // Starlet's workers are the master's children, in its process group.
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function basic(): string {
  return `Basic ${Buffer.from(`${RT_ROOT.user}:${RT_ROOT.password}`).toString('base64')}`;
}

/** RT's login form sets the session cookie an integration can reuse on REST2. */
async function rtSessionCookie(url: string): Promise<string> {
  const response = await fetch(`${url}/NoAuth/Login.html`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user: RT_ROOT.user, pass: RT_ROOT.password }),
    redirect: 'manual',
  });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c?.startsWith('RT_SID_'));
  if (!cookie) throw new Error(`RT's login set no session cookie (status ${String(response.status)})`);
  return cookie;
}

const ticket = JSON.stringify({
  Queue: 'General',
  Subject: 'Headset crackles',
  Requestor: 'li.wei@example.com',
  Content: 'The left earcup crackles at any volume.',
});

type PeerLoad = Load & { tickets: number; ticketsPerSecond: number };

async function measureRequestTracker(
  rt: RequestTracker,
  databaseUrl: string,
): Promise<{ basic: PeerLoad; session: PeerLoad }> {
  // One session per connection, as 50 separate integrations would hold: RT locks a session's row for
  // the length of a request, so one shared cookie would serialise every request behind it.
  const cookies = await Promise.all(Array.from({ length: CONNECTIONS }, () => rtSessionCookie(rt.url)));
  const nextCookie = (() => {
    let i = 0;
    return () => cookies[i++ % cookies.length] ?? '';
  })();
  const modes = {
    // Basic auth checks the password on every request, as an integration with a stored password does.
    basic: { authorization: basic() },
    // REST2 takes the web session's cookie when the request names RT as its origin (its CSRF check).
    session: { cookie: cookies[0] ?? '', referer: `${rt.url}/` },
  };
  // RT's rate is a few tickets a second, below autocannon's rounding of its average: the tickets table says
  // how many were made during each load.
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const ticketCount = async () =>
    Number((await db.query<{ n: string }>('select count(*) as n from tickets')).rows[0]?.n ?? 0);
  const counted = async (run: () => Promise<Load>): Promise<PeerLoad> => {
    const before = await ticketCount();
    const measured = await run();
    const tickets = (await ticketCount()) - before;
    return { ...measured, tickets, ticketsPerSecond: tickets / SECONDS };
  };
  const create = async (headers: Record<string, string>) => {
    const response = await fetch(`${rt.url}/REST/2.0/ticket`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: ticket,
    });
    if (response.status !== 201) throw new Error(`RT refused a ticket: ${String(response.status)}`);
  };
  // Warm every worker (Mason compiles its components on first use).
  for (const headers of Object.values(modes)) {
    await Promise.all(Array.from({ length: rt.workers * 2 }, () => create(headers)));
  }
  const measured = { database: true };
  try {
    const basicLoad = await counted(() =>
      load(
        rt.url,
        { method: 'POST', path: '/REST/2.0/ticket', body: ticket, headers: modes.basic },
        measured,
      ),
    );
    console.log(`bench:peer: RT basic auth ${basicLoad.ticketsPerSecond.toFixed(1)} tickets/s`);
    const sessionLoad = await counted(() =>
      load(
        rt.url,
        {
          method: 'POST',
          path: '/REST/2.0/ticket',
          body: ticket,
          headers: modes.session,
          // A request's headers are replaced whole: the body's type goes with them.
          vary: (r) => ({
            ...r,
            headers: { ...modes.session, cookie: nextCookie(), 'content-type': 'application/json' },
          }),
        },
        measured,
      ),
    );
    console.log(`bench:peer: RT session ${sessionLoad.ticketsPerSecond.toFixed(1)} tickets/s`);
    return { basic: basicLoad, session: sessionLoad };
  } finally {
    await db.end();
  }
}

async function measureClaimIntake(pgUrl: string): Promise<Load> {
  const scratch = await createScratchPostgresDatabase(pgUrl);
  try {
    const handle = await openDatabase({ databaseUrl: scratch.url });
    let prepared: Awaited<ReturnType<typeof prepare>>;
    try {
      prepared = await prepare(handle);
    } finally {
      await handle.close();
    }
    const app = await startApp({ name: 'PostgreSQL', url: scratch.url });
    try {
      const customer = await signInOverHttp(app.url, BENCH_ORIGIN, 'customer');
      const headers = { cookie: customer, origin: BENCH_ORIGIN, 'content-type': 'application/json' };
      const claim = await load(
        app.url,
        {
          method: 'POST',
          path: '/api/v1/claims',
          headers,
          body: JSON.stringify({
            purchaseId: prepared.customerPurchaseId,
            cause: 'quality',
            description: 'The left earcup crackles at any volume.',
          }),
          vary: (r) => ({ ...r, headers: { ...headers, 'idempotency-key': randomUUID() } }),
        },
        { server: app.child.pid, database: true },
      );
      console.log(`bench:peer: claim intake ${String(claim.rps)} req/s`);
      return claim;
    } finally {
      await app.stop();
    }
  } finally {
    await scratch.drop();
  }
}

const n = (v: number) => v.toLocaleString('en');

async function main(): Promise<void> {
  installRequestTracker();
  const pgUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!pgUrl) {
    console.error('bench:peer: set DATABASE_URL or TEST_DATABASE_URL (a PostgreSQL both run on).');
    process.exit(2);
  }
  console.log('bench:peer: compiling the server (tsc -p tsconfig.build.json)');
  buildServerOnce();
  const loadBefore = os.loadavg()[0] ?? 0;

  const rtDatabase = await createScratchPostgresDatabase(pgUrl);
  let rtLoads: { basic: PeerLoad; session: PeerLoad };
  let rt: RequestTracker | undefined;
  try {
    rt = await startRequestTracker(rtDatabase.url);
    console.log(`bench:peer: Request Tracker ${rt.version} on ${rt.url}, ${String(rt.workers)} workers`);
    rtLoads = await measureRequestTracker(rt, rtDatabase.url);
  } finally {
    await rt?.stop();
    await rtDatabase.drop();
  }
  const { version, workers } = rt;
  const claim = await measureClaimIntake(pgUrl);
  const loadAfter = os.loadavg()[0] ?? 0;

  const best = rtLoads.basic.ticketsPerSecond >= rtLoads.session.ticketsPerSecond ? 'basic' : 'session';
  // At least one ticket over the load, so a peer that made none still gives a finite ratio (a lower bound).
  const bestRps = Math.max(1 / SECONDS, rtLoads[best].ticketsPerSecond);
  const times = claim.rps / bestRps;
  const row = (what: string, l: Load, rps: string) =>
    `| ${what} | ${rps} | ${n(l.p50)} | ${n(l.p99)} | ${n(l.errors)} | ${n(l.non2xx)} | ${l.cpu.database === null ? '–' : l.cpu.database.toFixed(1)} |`;
  const report = [
    `# Claim intake beside Request Tracker 5`,
    ``,
    `Run ${new Date().toISOString()} by \`npm run bench:peer\` on ${String(os.cpus().length)} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, one local PostgreSQL for both; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after.`,
    `autocannon, ${String(CONNECTIONS)} connections, ${String(SECONDS)} s per load, loopback. Request Tracker ${version} (Debian's packages), its REST2 \`POST /REST/2.0/ticket\` into the General queue with a requestor, under its own Starlet server with ${String(workers)} workers; RT's default scrips run (the requestor's auto-reply goes to an mbox file). The app: \`POST /api/v1/claims\` signed in, one process (\`WORKERS=1\`), as \`npm run bench\` measures it.`,
    ``,
    `| what | req/s | p50 ms | p99 ms | errors/timeouts | non-2xx | PostgreSQL CPU ms/request |`,
    `|---|---|---|---|---|---|---|`,
    row('RT 5 REST2, basic auth', rtLoads.basic, rtLoads.basic.ticketsPerSecond.toFixed(1)),
    row('RT 5 REST2, session cookie', rtLoads.session, rtLoads.session.ticketsPerSecond.toFixed(1)),
    row('aftersales claim intake', claim, n(claim.rps)),
    ``,
    `Claim intake is **${times.toFixed(0)}×** RT's best mode (${best === 'basic' ? 'basic auth' : 'session cookie'}); target ≥ 100×: ${times >= 100 ? 'met' : '**missed**'}.`,
    ``,
    `What the figures mean: a claim here is four rows and an outbox message written in one transaction after the policy engine decides it; an RT ticket is a ticket, a transaction, an attachment, a requestor (user and group rows) and its scrips. They are not the same work — they are the same job for the person filing it, and this is what each system's own API costs for it on the same machine. RT's basic auth checks the password hash on every request, which is why its session mode is faster. At ${String(CONNECTIONS)} connections RT's workers queue the rest, so its latency is mostly that queue; autocannon gives up on a request after 10 s (counted in errors/timeouts); RT's rate is counted from its tickets table (tickets made during the load ÷ seconds), since a few a second is below autocannon's rounding. Each session-mode request carries one of 50 sessions (one per connection, as separate integrations would hold), because RT holds a session's lock for the length of a request.`,
  ].join('\n');
  writeFileSync(path.join(import.meta.dirname, 'results', 'peer.md'), `${report}\n`);
  console.log(`\n${report}`);
}

await main();
