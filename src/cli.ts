import { parseArgs } from 'node:util';
import { presentDecision } from './app/entitlements/present-decision.js';
import { decideEntitlement } from './app/entitlements/evaluate-entitlement.js';
import { AppError } from './app/errors.js';
import { ConfigError, loadConfig } from './config.js';
import { calendarDateIn, Temporal } from './domain/calendar.js';
import { causes, type Cause, type DecisionWindow } from './domain/policy/evaluate.js';
import { builtInPolicyVersions } from './domain/policy/halotek.js';
import type { Language, Performer } from './domain/policy/schema.js';

const USAGE = `aftersales — warranty and after-sales service

Usage:
  aftersales serve [--workers N]   migrate, ensure the policy, seed demo data once (the embedded
                                   database only, unless SEED_DEMO_DATA=true), serve HTTP; on
                                   PostgreSQL from N processes (default: one per core; WORKERS)
  aftersales migrate               apply database migrations and the built-in policy versions
  aftersales seed                  migrate, then insert the demo data if the database has none
  aftersales create-admin --email E --name N
                                   an administrator account, to invite everyone else; the password
                                   comes from ADMIN_PASSWORD, else from the first line of stdin
  aftersales backup [--out FILE] [--force]
                                   write the database (DATABASE_URL, else DATA_DIR) to one file: a
                                   manifest and pg_dump's archive, or PGlite's data directory. PGlite:
                                   only while no server has DATA_DIR open
  aftersales restore FILE [--force]
                                   restore a backup into an empty database (--force: replace what is
                                   there), check every table's rows, then migrate it to this release
  aftersales evaluate --purchase YYYY-MM-DD --report YYYY-MM-DD --cause quality|human_damage
                      [--sku SKU] [--tz Asia/Shanghai] [--lang en|zh] [--json] [--database]
                                   what an end user may choose. Decides with the built-in policy
                                   versions unless --database (required with --sku) reads them,
                                   and the product, from the database.

Settings come from the environment: PORT, HOST, PUBLIC_URL, DATABASE_URL, DATA_DIR,
STORE_TIME_ZONE, LOG_LEVEL, SEED_DEMO_DATA (see README.md).`;

const now = () => Temporal.Now.instant();

// Loaded on demand: `evaluate` needs neither the database drivers nor the server, and starts faster.
const database = async () => ({
  ...(await import('./db/client.js')),
  ...(await import('./db/migrate.js')),
  ...(await import('./db/policies.js')),
  ...(await import('./db/seed.js')),
});

async function openMigrated() {
  const { openDatabase, migrateDatabase, ensureBuiltInPolicies } = await database();
  const config = loadConfig();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateDatabase(handle);
    await ensureBuiltInPolicies(handle.db);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return { config, handle };
}

/** A port free right now on this host: PORT=0 asks for one, and PUBLIC_URL must name it before serving. */
async function freePort(host: string): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

/** Whether the database has an administrator who can still sign in. */
async function hasActiveAdmin(db: import('./db/client.js').Database): Promise<boolean> {
  const { and, eq, isNull } = await import('drizzle-orm');
  const { users } = await import('./db/schema.js');
  const [admin] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.deactivatedAt)))
    .limit(1);
  return admin !== undefined;
}

/** How many processes `serve` runs: --workers, else WORKERS, else one per core on PostgreSQL. */
async function workerCount(argv: string[], config: ReturnType<typeof loadConfig>): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { workers: { type: 'string' } }, strict: true });
  const asked = values.workers === undefined ? config.workers : Number(values.workers);
  if (asked !== undefined && (!Number.isInteger(asked) || asked < 1 || asked > 64)) {
    throw new ConfigError('--workers: a whole number from 1 to 64');
  }
  if (!config.databaseUrl) {
    if (asked !== undefined && asked > 1) {
      throw new ConfigError(
        '--workers/WORKERS: the embedded database (PGlite) admits one process; set DATABASE_URL to run several',
      );
    }
    return 1;
  }
  return asked ?? (await import('node:os')).availableParallelism();
}

async function serve(argv: string[]): Promise<void> {
  // Tracing, when asked for, starts before the database driver and the HTTP server are imported: its
  // hooks must see them load. When not asked for, none of it is loaded.
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) await (await import('./tracing.js')).startTracing();
  const cluster = (await import('node:cluster')).default;
  // A worker of `serve --workers N`: the primary has migrated, seeded and chosen the port.
  if (cluster.isWorker) {
    await serveHttp();
    return;
  }
  // Before the database is touched: a server that could not start must not have migrated it.
  const { resolveInstanceSecrets } = await import('./http/instance-secrets.js');
  const settings = loadConfig();
  resolveInstanceSecrets(settings, settings.databaseUrl ? 'postgres' : 'pglite');
  const workers = await workerCount(argv, settings);
  const { handle, config } = await prepareToServe();
  if (workers === 1) {
    await serveHttp({ handle, config });
    return;
  }
  await handle.close();
  const { servePrimary } = await import('./http/cluster.js');
  await servePrimary({
    workers,
    env: {
      PORT: String(config.port),
      ...(config.publicUrlIsDefault ? { PUBLIC_URL: config.publicUrl.origin } : {}),
      SEED_DEMO_DATA: 'false',
    },
    onListening: (listening) => {
      announce(config, listening, `database: postgres; ${workers} worker processes`);
    },
  });
}

/** Migrates, seeds the demo when asked, settles the port, and tells the operator what is missing. */
async function prepareToServe() {
  const opened = await openMigrated();
  const { handle } = opened;
  let { config } = opened;
  if (config.port === 0) {
    // The real port is known before anything is built on the address, so PUBLIC_URL's default names it.
    const port = await freePort(config.host);
    config = {
      ...config,
      port,
      publicUrl: config.publicUrlIsDefault ? new URL(`http://localhost:${port}`) : config.publicUrl,
    };
  }
  const { seedDemoData } = await database();
  if (config.seedDemoData) {
    const { seeded } = await seedDemoData(handle.db, { today: calendarDateIn(now(), config.storeTimeZone) });
    if (seeded) {
      console.log(
        'aftersales: demo data seeded, with demo accounts that share the password in the README ' +
          '(SEED_DEMO_DATA=false turns this off)',
      );
      if (config.publicUrl.protocol === 'https:') {
        console.log('aftersales: over HTTPS the demo password is refused at sign-in (DEMO_PASSWORD_REFUSED)');
      }
    }
  }
  if (!(await hasActiveAdmin(handle.db))) {
    const stopFirst =
      handle.kind === 'pglite' ? ' (stop this server first: the embedded database admits one process)' : '';
    console.log(
      'aftersales: no administrator yet. Make the first one' +
        stopFirst +
        ':\n' +
        '  npx aftersales create-admin --email you@example.com --name "Your Name"\n' +
        '  (the password is read from ADMIN_PASSWORD, else from the first line of standard input),\n' +
        `then sign in at ${new URL('/sign-in', config.publicUrl).toString()} and invite everyone else.`,
    );
  }
  return { handle, config };
}

function announce(config: ReturnType<typeof loadConfig>, address: string, what: string): void {
  const listening = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  // PUBLIC_URL is the address sign-in works at (the origin checks accept it); the listening address
  // is where the process is, which may be behind a proxy.
  const site = config.publicUrl.origin;
  console.log(`aftersales: serving on ${site} (listening on ${listening}; ${what})`);
  console.log(`aftersales: API docs at ${site}/api/docs`);
}

/**
 * One HTTP server process: the only one, or a worker of the cluster (which opens the database
 * migrated by the primary, and leaves the announcement to it).
 */
async function serveHttp(prepared?: Awaited<ReturnType<typeof prepareToServe>>): Promise<void> {
  const { handle, config } = prepared ?? (await openMigrated());
  const { buildServer } = await import('./http/server.js');
  const app = await buildServer({ db: handle, config, clock: now });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    // A hung close must not keep a supervisor waiting forever.
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    app
      .close()
      .then(() => handle.close())
      .then(async () => {
        // The spans of the last requests, still buffered, go to the collector before the process ends.
        if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) await (await import('./tracing.js')).flushTracing();
      })
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });

  const address = await app.listen({ port: config.port, host: config.host });
  if (prepared) {
    announce(
      config,
      address,
      `database: ${handle.kind}${handle.kind === 'pglite' ? ` in ${config.dataDir}` : ''}`,
    );
    const inbound = app.inboundSmtp?.address();
    if (inbound) {
      console.log(
        `aftersales: taking e-mail replies (reply+…@${config.inboundReplyDomain ?? ''}) on smtp://${inbound.host === '0.0.0.0' ? 'localhost' : inbound.host}:${inbound.port}`,
      );
    }
  }
}

async function migrate(): Promise<void> {
  const { handle } = await openMigrated();
  await handle.close();
  console.log(`aftersales: database (${handle.kind}) is up to date`);
}

async function seed(): Promise<void> {
  const { config, handle } = await openMigrated();
  const { seedDemoData } = await database();
  try {
    const { seeded } = await seedDemoData(handle.db, { today: calendarDateIn(now(), config.storeTimeZone) });
    console.log(
      seeded ? 'aftersales: demo data seeded' : 'aftersales: demo data already present; nothing changed',
    );
  } finally {
    await handle.close();
  }
}

async function readFirstLine(): Promise<string> {
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

async function createAdminCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' } },
    strict: true,
  });
  if (!values.email || !values.name) {
    console.error('aftersales create-admin: --email and --name are required');
    return 2;
  }
  // Never an argument: arguments are visible to every user of the machine in the process list.
  const password = process.env.ADMIN_PASSWORD ?? (await readFirstLine());
  const { createAdmin } = await import('./app/accounts/create-admin.js');
  const { hashPassword } = await import('better-auth/crypto');
  const { handle } = await openMigrated();
  try {
    const admin = await createAdmin(
      { db: handle.db, hashPassword },
      { email: values.email, name: values.name, password },
    );
    console.log(`aftersales: administrator ${admin.email} created; sign in at /sign-in`);
  } finally {
    await handle.close();
  }
  return 0;
}

const words = {
  en: {
    window: {
      '7_days': 'within 7 days of purchase',
      '60_days': 'within 60 days of purchase',
      '1_year': 'within the warranty',
      expired: 'after the warranty',
    } satisfies Record<DecisionWindow, string>,
    by: {
      dealer: 'at the dealer',
      service_center: 'at the service center',
      sales: 'through sales',
    } satisfies Record<Performer, string>,
    days: (n: number) => `${n} days after purchase`,
    free: 'free of charge',
    paid: 'paid service',
    policy: 'policy',
  },
  zh: {
    window: {
      '7_days': '购买后 7 天内',
      '60_days': '购买后 60 天内',
      '1_year': '保修期内',
      expired: '已过保修期',
    } satisfies Record<DecisionWindow, string>,
    by: {
      dealer: '经销商办理',
      service_center: '售后服务中心办理',
      sales: '经销售人员办理',
    } satisfies Record<Performer, string>,
    days: (n: number) => `购买后第 ${n} 天`,
    free: '免费',
    paid: '有偿服务',
    policy: '政策版本',
  },
};

async function evaluate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      purchase: { type: 'string' },
      report: { type: 'string' },
      cause: { type: 'string', default: 'quality' },
      sku: { type: 'string' },
      tz: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      json: { type: 'boolean', default: false },
      database: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.purchase || !values.report) {
    console.error('aftersales evaluate: --purchase and --report are required (YYYY-MM-DD)');
    return 2;
  }
  if (!causes.includes(values.cause as Cause)) {
    console.error(`aftersales evaluate: --cause must be one of ${causes.join(', ')}`);
    return 2;
  }
  if (values.lang !== 'en' && values.lang !== 'zh') {
    console.error('aftersales evaluate: --lang must be en or zh');
    return 2;
  }
  if (values.sku !== undefined && !values.database) {
    console.error('aftersales evaluate: --sku needs --database (a product’s warranty is in the database)');
    return 2;
  }
  const lang: Language = values.lang;
  const input = {
    purchaseDate: values.purchase,
    reportDate: values.report,
    cause: values.cause as Cause,
    timeZone: values.tz,
    productSku: values.sku,
  };

  const config = loadConfig();
  let versions = builtInPolicyVersions;
  let warrantyOverride;
  if (values.database) {
    const { findProductBySku, loadPolicyVersions } = await database();
    const { handle } = await openMigrated();
    try {
      versions = await loadPolicyVersions(handle.db);
      if (values.sku !== undefined) {
        const product = await findProductBySku(handle.db, values.sku);
        if (!product)
          throw new AppError('invalid', 'UNKNOWN_PRODUCT', `no product has the SKU "${values.sku}"`);
        warrantyOverride = product.warrantyOverride;
      }
    } finally {
      await handle.close();
    }
  }
  const decision = decideEntitlement(versions, input, {
    storeTimeZone: config.storeTimeZone,
    warrantyOverride,
  });
  const shown = presentDecision(decision, lang);
  if (values.json) {
    console.log(JSON.stringify(shown, null, 2));
    return 0;
  }
  const w = words[lang];
  console.log(
    `${w.days(decision.daysSincePurchase)}: ${w.window[decision.window]} — ${decision.paid ? w.paid : w.free}` +
      ` (${w.policy} ${decision.policyVersion})`,
  );
  for (const r of shown.remedies) {
    console.log(`  • ${r.code} (${w.by[r.performedBy]})\n      ${r.clause}`);
  }
  return 0;
}

async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { out: { type: 'string' }, force: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) {
    console.error(`aftersales backup: unexpected ${positionals.join(' ')} (the file is given with --out)`);
    return 2;
  }
  const { backupDatabase, defaultBackupName } = await import('./db/backup.js');
  const config = loadConfig();
  const started = Date.now();
  const { file, manifest } = await backupDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    out: values.out ?? defaultBackupName(config.databaseUrl ? 'postgres' : 'pglite'),
    force: values.force,
  });
  const rows = Object.values(manifest.tables).reduce((a, b) => a + b, 0);
  console.log(
    `aftersales: backup of the ${manifest.database.kind} database written to ${file} ` +
      `(${Object.keys(manifest.tables).length} tables, ${rows} rows, migration ${manifest.migrations.last?.tag ?? '?'}, ` +
      `${(manifest.payload.bytes / 1024 / 1024).toFixed(1)} MiB, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return 0;
}

async function restoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { force: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) {
    console.error('aftersales restore: give exactly one backup file (aftersales restore FILE [--force])');
    return 2;
  }
  const { restoreDatabase } = await import('./db/backup.js');
  const config = loadConfig();
  const started = Date.now();
  const result = await restoreDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    file,
    force: values.force,
    log: (line) => {
      console.log(line);
    },
  });
  const where = config.databaseUrl ? 'the PostgreSQL database' : config.dataDir;
  console.log(
    `aftersales: restored ${result.tables} tables, ${result.rows} rows (every table's row count checked) ` +
      `from a backup of ${result.manifest.createdAt} (aftersales ${result.manifest.app.version}) into ${where}; ` +
      (result.migrated.length > 0
        ? `then migrated forward: ${result.migrated.join(', ')}`
        : 'its migrations are current') +
      ` (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve(rest);
      return -1; // keeps running
    case 'migrate':
      await migrate();
      return 0;
    case 'seed':
      await seed();
      return 0;
    case 'evaluate':
      return evaluate(rest);
    case 'create-admin':
      return createAdminCommand(rest);
    case 'backup':
      return backupCommand(rest);
    case 'restore':
      return restoreCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(`aftersales: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

/** Checked by name: the backup module is loaded only by the commands that use it. */
function isBackupError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && err.name === 'BackupError';
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof AppError || err instanceof ConfigError || isBackupError(err)) {
      console.error(`aftersales: ${'code' in err ? `${err.code}: ` : ''}${err.message}`);
      process.exitCode = 2;
      return;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`aftersales: ${err.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(err);
    process.exitCode = 1;
  },
);
