/*
 * What every measurement of `npm run bench` shares: autocannon at a fixed concurrency, child server
 * processes (so the load generator and the server are measured apart, as in production), and a
 * server's peak resident memory read from the kernel.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';

export const root = path.resolve(import.meta.dirname, '..');
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const CONNECTIONS = 50;

export type Load = {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /**
   * CPU milliseconds one request cost each process, from the kernel's accounting over the load: where
   * the machine's cores went, and so what a rate can be at most. null where it cannot be read (not
   * Linux; the database is not a local PostgreSQL).
   */
  cpu: { server: number | null; database: number | null; generator: number };
};

/*
 * /proc/<pid>/stat fields 14 and 15: user and system time in clock ticks (USER_HZ, 100 on Linux).
 */
const TICK_MS = 10;
function cpuMsOf(pid: number): number | null {
  try {
    const fields =
      readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * A process's CPU and its descendants' (the workers of `serve --workers N`), summed: a worker's time
 * counts in its parent's only once it has exited and been waited for.
 */
function processTreeCpuMs(root: number): number | null {
  const own = cpuMsOf(root);
  if (own === null) return null;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return own;
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    try {
      // Field 4, after the command in parentheses: the parent's pid.
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(pid)]);
    } catch {
      // The process ended meanwhile.
    }
  }
  let total = own;
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    total += cpuMsOf(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Every local PostgreSQL process's CPU (backends, WAL writer, checkpointer…), or null if none is seen. */
function postgresCpuMs(): number | null {
  let total: number | null = null;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    const ms = cpuMsOf(Number(pid));
    if (ms !== null) total = (total ?? 0) + ms;
  }
  return total;
}

export type LoadRequest = {
  method?: 'GET' | 'POST';
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  /** Called for every request: rotate an id, a fresh Idempotency-Key… */
  vary?: (request: autocannon.Request) => autocannon.Request;
};

/** `measure.server`: the server's pid; `measure.database`: whether a local PostgreSQL serves it. */
export async function load(
  baseUrl: string,
  init: LoadRequest = {},
  measure: { server?: number | undefined; database?: boolean } = {},
): Promise<Load> {
  const headers = { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers };
  const request: autocannon.Request = {
    method: init.method ?? 'GET',
    path: init.path ?? '/',
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.vary ? { setupRequest: init.vary } : {}),
  };
  const serverBefore = measure.server === undefined ? null : processTreeCpuMs(measure.server);
  const databaseBefore = measure.database ? postgresCpuMs() : null;
  const generatorBefore = process.cpuUsage();
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [request],
  });
  const generator = process.cpuUsage(generatorBefore);
  const serverAfter = measure.server === undefined ? null : processTreeCpuMs(measure.server);
  const databaseAfter = measure.database ? postgresCpuMs() : null;
  const requests = Math.max(1, result.requests.total);
  const perRequest = (before: number | null, after: number | null) =>
    before === null || after === null ? null : (after - before) / requests;
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpu: {
      server: perRequest(serverBefore, serverAfter),
      database: perRequest(databaseBefore, databaseAfter),
      generator: (generator.user + generator.system) / 1000 / requests,
    },
  };
}

export type ServerProcess = { child: ChildProcess; url: string; stop(): Promise<void>; peakRssMb(): number };

/**
 * Starts a server process and waits for the `serving on URL` line every server of this project
 * prints. Its stderr is kept, to explain a failed start.
 */
export function startProcess(args: string[], env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let peak = 0;
  // VmHWM is the kernel's own high-water mark of the process's resident set: no sampling gaps.
  const readPeak = () => {
    try {
      const status = readFileSync(`/proc/${String(child.pid)}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      if (kb) peak = Math.max(peak, Number(kb) / 1024);
    } catch {
      // Not Linux, or the process is gone: the last reading stands.
    }
    return Math.round(peak);
  };
  const sampler = setInterval(readPeak, 500);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start in time:\n${output}`));
    }, 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      // The app prints PUBLIC_URL, then where it listens (what the bench reaches); the baseline one URL.
      const m = /serving on (https?:\/\/\S+)(?: \(listening on (http:\/\/[^;\s]+);[^\n]*)?\n/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({
          child,
          url: m[2] ?? m[1],
          peakRssMb: readPeak,
          stop: () =>
            new Promise<void>((done) => {
              readPeak();
              clearInterval(sampler);
              child.removeAllListeners('exit');
              child.on('exit', () => {
                done();
              });
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearInterval(sampler);
      reject(new Error(`the server exited with ${String(code)}:\n${output}`));
    });
  });
}

/**
 * Compiles the server as `npm start` does (incrementally), so that the app is measured as production
 * runs it — compiled JavaScript, without the TypeScript loader a clone's `bin/aftersales.mjs` uses.
 */
export function buildServerOnce(): void {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

/**
 * The app as `npm start` runs it (`node --max-old-space-size=160 dist/src/cli.js serve`), with the
 * bench's rate limits lifted; one process unless `workers` says more (PostgreSQL only).
 */
export function startApp(
  database: DatabaseTarget,
  options: { workers?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ServerProcess> {
  // BENCH_CPU_PROF=dir writes the server's CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  return startProcess([...profile, '--max-old-space-size=160', path.join(root, 'dist/src/cli.js'), 'serve'], {
    ...databaseEnv(database),
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: BENCH_ORIGIN,
    LOG_LEVEL: 'warn',
    SEED_DEMO_DATA: 'false',
    PUBLIC_RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
    NODE_ENV: 'production',
    // One process, as the baselines are, unless a bench compares worker counts (serve --workers).
    WORKERS: String(options.workers ?? 1),
    ...options.env,
  });
}

/** The baseline: a bare Fastify route on the same driver (see baseline-server.ts). */
export function startBaseline(database: DatabaseTarget): Promise<ServerProcess> {
  return startProcess(['--import', 'tsx', path.join(root, 'bench/baseline-server.ts')], {
    ...databaseEnv(database),
    NODE_ENV: 'production',
  });
}

export const BENCH_ORIGIN = 'http://localhost:3000';

export type DatabaseTarget = { name: 'PGlite'; dataDir: string } | { name: 'PostgreSQL'; url: string };

function databaseEnv(database: DatabaseTarget): NodeJS.ProcessEnv {
  // A server on PostgreSQL needs its secret from the environment; one for both keeps them alike.
  const secret = { AUTH_SECRET: 'bench-auth-secret-of-at-least-32-characters' };
  return database.name === 'PGlite'
    ? { ...secret, DATA_DIR: database.dataDir, DATABASE_URL: '' }
    : { ...secret, DATABASE_URL: database.url };
}
