import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type MessageKey, messageKeyFrom } from '../app/outbox/sealed-links.js';
import { type Config, ConfigError } from '../config.js';
import type { DatabaseKind } from '../db/client.js';

/** The secrets a server runs with; neither is ever read from or written to the database. */
export type InstanceSecrets = {
  /** Signs session cookies and better-auth's e-mail confirmation tokens. */
  authSecret: string;
  /** Seals the links of queued messages (app/outbox/sealed-links.ts). */
  messageKey: MessageKey;
};

export const HOW_TO_MAKE_A_SECRET =
  "make one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

/**
 * Where the embedded database's generated secret is kept: beside its data directory, not inside it.
 * Everything inside DATA_DIR is the database, and `aftersales backup` copies all of it; a key kept there
 * would travel in every backup with the links it seals.
 */
export function secretFileFor(dataDir: string): string {
  return `${path.resolve(dataDir)}.secret`;
}

/** Reads the embedded demo's secret, or makes it (readable by this user only) on the first start. */
function embeddedSecret(dataDir: string): string {
  const file = secretFileFor(dataDir);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // `wx`: of two processes starting at once, one writes and the other reads what it wrote.
    writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(file, 0o600);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
}

/**
 * AUTH_SECRET from the environment; MESSAGE_KEY when the links should be sealed under a key of their
 * own, else a key derived from AUTH_SECRET. Without AUTH_SECRET, the embedded demo makes a secret
 * once and keeps it in a file beside DATA_DIR (or, for a database in memory, for the life of the
 * process); a server on PostgreSQL refuses to start, because a secret kept in the database it guards
 * would hand whoever reads that database (or a backup of it) every session and every queued link.
 */
export function resolveInstanceSecrets(config: Config, database: DatabaseKind): InstanceSecrets {
  let authSecret = config.authSecret;
  if (!authSecret) {
    if (database === 'postgres') {
      throw new ConfigError(
        'AUTH_SECRET must be set when the database is PostgreSQL (DATABASE_URL): it signs sessions and ' +
          'seals the links in queued e-mails, and must not be kept in the database it protects. ' +
          `Set it to at least 32 random characters, the same for every process and kept across restarts; ${HOW_TO_MAKE_A_SECRET}`,
      );
    }
    authSecret = config.dataDir.includes('://')
      ? randomBytes(32).toString('base64url')
      : embeddedSecret(config.dataDir);
  }
  return { authSecret, messageKey: messageKeyFrom(config.messageKey ?? authSecret) };
}
