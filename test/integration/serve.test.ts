import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, root, startServe, stop } from '../support/serve-process.js';

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
