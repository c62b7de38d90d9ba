import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/client.js';
import { buildTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';

describe('serving the web app beside the API', () => {
  const dist = mkdtempSync(path.join(tmpdir(), 'aftersales-web-'));
  let db: DatabaseHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(path.join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    const pglite = testDatabases().find((d) => d.name === 'pglite');
    if (!pglite) throw new Error('PGlite is always there');
    db = await pglite.open();
    app = await buildTestApp(db, { WEB_DIST_DIR: dist });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers the app’s own routes with index.html, never cached', async () => {
    for (const url of ['/', '/support', '/coverage?x=1']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toContain('no-cache');
    }
  });

  it('serves fingerprinted assets for a year, and a missing asset is a 404', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/main-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const missing = await app.inject({ method: 'GET', url: '/assets/gone-0000.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('keeps API paths out of the app: JSON 404 even for a browser', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/nope', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: 'No route GET /api/v1/nope' } });
    expect((await app.inject({ method: 'POST', url: '/support' })).statusCode).toBe(404);
  });
});
