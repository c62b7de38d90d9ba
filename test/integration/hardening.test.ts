import { hashPassword } from 'better-auth/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdmin } from '../../src/app/accounts/create-admin.js';
import { maintenanceNumberFor } from '../../src/domain/maintenance/maintenance-number.js';
import { useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';

/*
 * The hardening that is configuration rather than a use case: headers, cookies over HTTPS, and rate
 * limits that a forged X-Forwarded-For cannot get around.
 */

const lookup = (forwardedFor: string) => ({
  method: 'POST' as const,
  url: '/api/v1/tracking/lookup',
  headers: { 'x-forwarded-for': forwardedFor },
  payload: { maintenanceNumber: maintenanceNumberFor(9n), contact: 'guess@example.com' },
});

describe.each(testDatabases())('hardening on $name', (testDb) => {
  describe('served over plain HTTP (a LAN install)', () => {
    const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '2' });

    it('sends a strict Content-Security-Policy, but no HSTS or upgrade the LAN could not honour', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/products' });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('answers a URL that does not decode, or a path id too long to route, with the error object', async () => {
      const badEscape = await t.app.inject({ method: 'GET', url: '/api/v1/dealers/%' });
      expect(badEscape.statusCode).toBe(400);
      expect(badEscape.json()).toEqual({ error: { code: 'BAD_URL', message: expect.any(String) as string } });
      const longId = await t.app.inject({ method: 'GET', url: `/api/v1/dealers/${'x'.repeat(200)}` });
      expect(longId.statusCode).toBe(414);
      expect(longId.json()).toEqual({
        error: { code: 'URI_TOO_LONG', message: expect.any(String) as string },
      });
    });

    it('counts a client by its socket: a forged X-Forwarded-For does not reset its limit', async () => {
      const statuses: number[] = [];
      for (const ip of ['1.1.1.1', '2.2.2.2', '3.3.3.3'])
        statuses.push((await t.app.inject(lookup(ip))).statusCode);
      expect(statuses).toEqual([404, 404, 429]);
    });
  });

  describe('when the database fails under a request', () => {
    const t = useTestApp(testDb);

    it('answers 500 with the error object and a request id, never a stack trace or SQL', async () => {
      const policies = await t.app.inject({ method: 'GET', url: '/api/v1/products' });
      expect(policies.statusCode).toBe(200);
      await t.db.close();
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/products' });
      expect(res.statusCode).toBe(500);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe('INTERNAL_ERROR');
      expect(body.error.message).toMatch(/request [0-9a-f-]{36}/);
      expect(res.body).not.toMatch(/\bat .+:\d+:\d+/);
      expect(res.body.toLowerCase()).not.toContain('select');
    });
  });

  describe('behind one reverse proxy, at an https address', () => {
    const t = useTestApp(testDb, {
      AUTH_RATE_LIMIT_PER_MINUTE: '2',
      TRUST_PROXY: '1',
      PUBLIC_URL: 'https://service.halotek.example.com',
    });
    // Over HTTPS the demo accounts' published password opens nothing: a real administrator's does.
    const admin = {
      email: 'real.admin@halotek.example.com',
      name: 'Real Admin',
      password: 'a-real-admin-password',
    };
    beforeAll(async () => {
      await createAdmin({ db: t.db.db, hashPassword }, admin);
    });

    it('asks browsers to stay on HTTPS', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/products' });
      expect(String(res.headers['content-security-policy'])).toContain('upgrade-insecure-requests');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    });

    it('counts each client the proxy names separately', async () => {
      const a = [await t.app.inject(lookup('10.0.0.1')), await t.app.inject(lookup('10.0.0.1'))];
      const b = await t.app.inject(lookup('10.0.0.2'));
      expect(a.map((r) => r.statusCode)).toEqual([404, 404]);
      expect(b.statusCode).toBe(404);
      expect((await t.app.inject(lookup('10.0.0.1'))).statusCode).toBe(429);
    });

    it('sets the session cookie Secure, HttpOnly, SameSite=Lax, with the __Secure- prefix', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in/email',
        headers: { origin: 'https://service.halotek.example.com', 'x-forwarded-for': '10.0.0.9' },
        payload: { email: admin.email, password: admin.password },
      });
      expect(res.statusCode, res.body).toBe(200);
      const cookies = [res.headers['set-cookie']].flat();
      const cookie = cookies.find((c) => c?.includes('session_token='));
      expect(cookie).toMatch(/^__Secure-aftersales\.session_token=/);
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      // And the device cookie that lets this browser past strangers' failed sign-ins, likewise.
      const device = cookies.find((c) => c?.includes('device='));
      expect(device).toMatch(
        /^__Secure-aftersales\.device=[^;]+; Path=\/api\/auth; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/,
      );
    });
  });
});
