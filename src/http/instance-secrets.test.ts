import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { resolveInstanceSecrets, secretFileFor } from './instance-secrets.js';

const parent = mkdtempSync(path.join(tmpdir(), 'aftersales-secrets-'));
afterAll(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe('the secrets a server runs with', () => {
  it('on PostgreSQL, refuses to start without AUTH_SECRET and says how to make one', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://db.example/aftersales' });
    expect(() => resolveInstanceSecrets(config, 'postgres')).toThrow(ConfigError);
    expect(() => resolveInstanceSecrets(config, 'postgres')).toThrow(
      /AUTH_SECRET must be set.*randomBytes\(32\)/s,
    );
  });

  it('takes AUTH_SECRET, and MESSAGE_KEY for the links when it is given', () => {
    const secret = 'an-auth-secret-of-at-least-32-characters';
    const plain = resolveInstanceSecrets(loadConfig({ AUTH_SECRET: secret }), 'postgres');
    expect(plain.authSecret).toBe(secret);
    const own = resolveInstanceSecrets(
      loadConfig({ AUTH_SECRET: secret, MESSAGE_KEY: 'a-message-key-of-at-least-32-characters' }),
      'postgres',
    );
    expect(own.authSecret).toBe(secret);
    expect(own.messageKey.id).not.toBe(plain.messageKey.id);
  });

  it('for the embedded demo, makes one secret once, readable by its owner only, beside DATA_DIR', () => {
    const dataDir = path.join(parent, 'data');
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = resolveInstanceSecrets(config, 'pglite');
    const again = resolveInstanceSecrets(config, 'pglite');
    expect(again).toEqual(first);
    const file = secretFileFor(dataDir);
    expect(file).toBe(`${dataDir}.secret`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Not inside the data directory, which `aftersales backup` copies whole.
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });

  it('for a database in memory, keeps a secret for the life of the process and writes no file', () => {
    const before = readdirSync(parent);
    const secrets = resolveInstanceSecrets(loadConfig({ DATA_DIR: 'memory://' }), 'pglite');
    expect(secrets.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(readdirSync(parent)).toEqual(before);
  });
});
