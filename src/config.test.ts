import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, mailCatcherOn, trustedOrigins } from './config.js';

describe('settings that keep a real server safe by default', () => {
  it('seeds the demo data on the embedded database, and on PostgreSQL only when asked by name', () => {
    expect(loadConfig({}).seedDemoData).toBe(true);
    const postgres = { DATABASE_URL: 'postgres://app@db.example.com/aftersales' };
    expect(loadConfig(postgres).seedDemoData).toBe(false);
    expect(loadConfig({ ...postgres, SEED_DEMO_DATA: '' }).seedDemoData).toBe(false);
    expect(loadConfig({ ...postgres, SEED_DEMO_DATA: 'true' }).seedDemoData).toBe(true);
    expect(loadConfig({ SEED_DEMO_DATA: 'false' }).seedDemoData).toBe(false);
  });

  it('trusts every spelling of loopback when PUBLIC_URL is a loopback address over HTTP, and only PUBLIC_URL otherwise', () => {
    const demo = loadConfig({ PORT: '3000' });
    expect(demo.publicUrlIsDefault).toBe(true);
    expect(trustedOrigins(demo.publicUrl)).toEqual([
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://[::1]:3000',
    ]);
    expect(trustedOrigins(new URL('http://127.0.0.1:8080'))).toEqual([
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'http://[::1]:8080',
    ]);
    expect(trustedOrigins(new URL('http://192.168.1.20:3000'))).toEqual(['http://192.168.1.20:3000']);
    expect(trustedOrigins(new URL('https://localhost'))).toEqual(['https://localhost']);
    expect(trustedOrigins(new URL('https://service.halotek.example.com'))).toEqual([
      'https://service.halotek.example.com',
    ]);
  });

  it('keeps mail for admins to read only where nothing sends it: the demo, or PostgreSQL when asked', () => {
    const smtp = { SMTP_URL: 'smtp://mail.example.com:587' };
    expect(mailCatcherOn(loadConfig({}), 'pglite')).toBe(true);
    expect(mailCatcherOn(loadConfig({}), 'postgres')).toBe(false);
    expect(mailCatcherOn(loadConfig({ MAIL_CATCHER: 'true' }), 'postgres')).toBe(true);
    expect(mailCatcherOn(loadConfig({ MAIL_CATCHER: 'false' }), 'pglite')).toBe(false);
    expect(mailCatcherOn(loadConfig({ MAIL_CATCHER: '' }), 'pglite')).toBe(true);
    // An embedded database served over HTTPS is a real site: its admins read no one's links unasked.
    const https = { PUBLIC_URL: 'https://service.halotek.example.com' };
    expect(mailCatcherOn(loadConfig(https), 'pglite')).toBe(false);
    expect(mailCatcherOn(loadConfig({ ...https, MAIL_CATCHER: 'true' }), 'pglite')).toBe(true);
    // Mail that really leaves is never kept to read, whatever else is set.
    expect(mailCatcherOn(loadConfig(smtp), 'pglite')).toBe(false);
    expect(mailCatcherOn(loadConfig({ ...smtp, MAIL_CATCHER: 'false' }), 'pglite')).toBe(false);
    expect(() => loadConfig({ ...smtp, MAIL_CATCHER: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAIL_CATCHER: 'yes' })).toThrow(/MAIL_CATCHER/);
  });
});
