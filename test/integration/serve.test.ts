import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../src/db/seed.js';
import { createScratchPostgresDatabase } from '../support/databases.js';
import { bin, root, startServe, stop } from '../support/serve-process.js';

/** A port free right now on loopback, to start a server on a port chosen like a user would. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}

const admin = DEMO_ACCOUNTS.find((a) => a.role === 'admin')?.email ?? '';

const run = promisify(execFile);

describe('aftersales serve, as a user starts it', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aftersales-serve-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    // The embedded server keeps its generated secret beside its data directory.
    rmSync(`${dataDir}.secret`, { force: true });
  });
  const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' };

  it('migrates, seeds once, serves the API, and shuts down cleanly on SIGTERM', async () => {
    const first = await startServe(env);
    try {
      expect(first.output()).toContain('demo data seeded');
      const ready = await fetch(`${first.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', database: 'pglite' });
      const products = (await (await fetch(`${first.url}/api/v1/products`)).json()) as { sku: string }[];
      expect(products.length).toBeGreaterThanOrEqual(5);
      const decision = await fetch(`${first.url}/api/v1/entitlements/evaluate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerType: 'end_user',
          purchaseDate: '2026-01-02',
          reportDate: '2026-01-09',
          cause: 'quality',
        }),
      });
      expect(await decision.json()).toMatchObject({
        window: '7_days',
        remedies: [{ code: 'refund' }, {}, {}],
      });
    } finally {
      expect(await stop(first.child)).toBe(0);
    }

    // The data directory persists: a second start finds its data and seeds nothing.
    const second = await startServe(env);
    try {
      expect(second.output()).not.toContain('demo data seeded');
      const products = (await (await fetch(`${second.url}/api/v1/products`)).json()) as unknown[];
      expect(products.length).toBeGreaterThanOrEqual(5);
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
    // Two cold starts of a new embedded database (every migration, the demo seed): slow on a busy machine.
  }, 180_000);

  it('prints the address sign-in works at, and accepts every spelling of loopback there', async () => {
    // `HOST=127.0.0.1 npm start`: it used to print http://127.0.0.1:PORT, where sign-in failed.
    const port = await freePort();
    const server = await startServe({ ...env, PORT: String(port) });
    try {
      expect(server.publicUrl).toBe(`http://localhost:${port}`);
      const signIn = (origin: string, cookie?: string) =>
        fetch(`${server.url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) },
          body: JSON.stringify({ email: admin, password: DEMO_PASSWORD }),
        });
      for (const origin of [server.publicUrl, `http://127.0.0.1:${port}`, `http://[::1]:${port}`]) {
        const res = await signIn(origin);
        expect(res.status, `${origin}: ${await res.clone().text()}`).toBe(200);
        const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
        // Signed in, with the cookies a browser would now send: a change from the same page passes.
        const out = await fetch(`${server.url}/api/auth/sign-out`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin, cookie: cookies.join('; ') },
          body: '{}',
        });
        expect(out.status, origin).toBe(200);
      }
      // From an address that is not PUBLIC_URL, the refusal says what to set.
      const elsewhere = await signIn(`http://192.0.2.1:${port}`);
      expect(elsewhere.status).toBe(403);
      const refusal = (await elsewhere.json()) as { error: { code: string; message: string } };
      expect(refusal.error.code).toBe('INVALID_ORIGIN');
      expect(refusal.error.message).toContain('PUBLIC_URL');
      expect(refusal.error.message).toContain(`http://localhost:${port}`);
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
  }, 120_000);

  it('refuses invalid settings with a message naming them', async () => {
    await expect(
      run(process.execPath, [bin, 'serve'], { cwd: root, env: { ...process.env, PORT: 'eighty' } }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('PORT') as string,
    });
  });

  it('refuses to start on PostgreSQL without AUTH_SECRET, before touching the database, saying how to make one', async () => {
    // Nothing listens on port 1: had the server tried the database first, the error would be another.
    const env = { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', AUTH_SECRET: '' };
    await expect(run(process.execPath, [bin, 'serve'], { cwd: root, env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/AUTH_SECRET must be set[\s\S]*randomBytes\(32\)/) as string,
    });
  });
});

describe('aftersales create-admin, for an installation without demo data', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'aftersales-admin-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    // The embedded server keeps its generated secret beside its data directory.
    rmSync(`${dataDir}.secret`, { force: true });
  });
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: 'http://localhost:3000',
  };

  it('makes the first administrator, who can then sign in; a weak password is refused', async () => {
    await expect(
      run(process.execPath, [bin, 'create-admin', '--email', 'root@halotek.example.com', '--name', 'Root'], {
        cwd: root,
        env: { ...env, ADMIN_PASSWORD: 'short' },
      }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('WEAK_PASSWORD') as string });

    const created = await run(
      process.execPath,
      [bin, 'create-admin', '--email', 'Root@Halotek.example.com', '--name', 'Root'],
      { cwd: root, env: { ...env, ADMIN_PASSWORD: 'a-long-admin-password' } },
    );
    expect(created.stdout).toContain('root@halotek.example.com created');

    const server = await startServe({ ...env, PORT: '0', HOST: '127.0.0.1' });
    try {
      expect(server.output()).not.toContain('demo data seeded');
      const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({ email: 'root@halotek.example.com', password: 'a-long-admin-password' }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const me = await fetch(`${server.url}/api/v1/me`, { headers: { cookie } });
      expect(await me.json()).toMatchObject({ role: 'admin', email: 'root@halotek.example.com' });
    } finally {
      expect(await stop(server.child)).toBe(0);
    }
    // Three processes each open the embedded database; a loaded machine needs more than the default.
  }, 180_000);
});

describe.runIf(process.env.TEST_DATABASE_URL)('aftersales serve on an empty PostgreSQL database', () => {
  it('seeds no demo accounts unless asked by name, and tells the operator how to make the first administrator', async () => {
    const scratch = await createScratchPostgresDatabase(process.env.TEST_DATABASE_URL ?? '');
    const env = {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: scratch.url,
      SEED_DEMO_DATA: undefined,
    };
    try {
      const server = await startServe(env);
      try {
        expect(server.output()).not.toContain('demo data seeded');
        expect(server.output()).toContain('no administrator yet');
        expect(server.output()).toContain('aftersales create-admin --email');
        const signIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: server.publicUrl },
          body: JSON.stringify({ email: admin, password: DEMO_PASSWORD }),
        });
        expect(signIn.status).toBe(401);
        // The command it names works beside the running server, the password on standard input.
        const child = execFile(
          process.execPath,
          [bin, 'create-admin', '--email', 'first.admin@halotek.example.com', '--name', 'First Admin'],
          { cwd: root, env: { ...process.env, ...env, ADMIN_PASSWORD: undefined } },
        );
        child.stdin?.end('a-long-first-admin-password\n');
        const created = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
          child.on('exit', (code) => {
            if (code === 0) resolve(out);
            else reject(new Error(`create-admin exited ${String(code)}: ${out}`));
          });
        });
        expect(created).toContain('first.admin@halotek.example.com created');
        const first = await fetch(`${server.url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: server.publicUrl },
          body: JSON.stringify({
            email: 'first.admin@halotek.example.com',
            password: 'a-long-first-admin-password',
          }),
        });
        expect(first.status).toBe(200);
      } finally {
        expect(await stop(server.child)).toBe(0);
      }
      // Asked by name, the demo is seeded on PostgreSQL too — and an administrator is there, so no hint.
      const asked = await startServe({ ...env, SEED_DEMO_DATA: 'true' });
      try {
        expect(asked.output()).toContain('demo data seeded');
        expect(asked.output()).not.toContain('no administrator yet');
      } finally {
        expect(await stop(asked.child)).toBe(0);
      }
    } finally {
      await scratch.drop();
    }
  }, 180_000);
});

describe('aftersales evaluate', () => {
  it('gives the API’s decision on the command line', async () => {
    const { stdout } = await run(
      process.execPath,
      [bin, 'evaluate', '--purchase', '2026-01-02', '--report', '2026-01-09', '--cause', 'quality', '--json'],
      { cwd: root },
    );
    expect(JSON.parse(stdout)).toMatchObject({
      policyVersion: 'halotek-2018-01',
      window: '7_days',
      daysSincePurchase: 7,
      paid: false,
      remedies: [{ code: 'refund' }, { code: 'replacement' }, { code: 'service_center' }],
    });
    const text = await run(
      process.execPath,
      [bin, 'evaluate', '--purchase', '2026-01-02', '--report', '2027-03-01', '--lang', 'zh'],
      { cwd: root },
    );
    expect(text.stdout).toContain('paid_service');
    expect(text.stdout).toContain('有偿服务');
  });

  it('exits 2 with the reason on bad input', async () => {
    await expect(
      run(process.execPath, [bin, 'evaluate', '--purchase', '2026-02-30', '--report', '2026-03-01'], {
        cwd: root,
      }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('INVALID_DATE') as string,
    });
    await expect(
      run(process.execPath, [bin, 'evaluate', '--purchase', '2026-01-02', '--report', '2026-01-01'], {
        cwd: root,
      }),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('REPORT_BEFORE_PURCHASE') as string,
    });
    await expect(
      run(process.execPath, [bin, 'evaluate', '--purchase', '2026-01-02'], { cwd: root }),
    ).rejects.toMatchObject({ code: 2 });
    await expect(run(process.execPath, [bin, 'evaluate', '--bogus'], { cwd: root })).rejects.toMatchObject({
      code: 2,
    });
  });
});
