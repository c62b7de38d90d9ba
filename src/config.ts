import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isValidTimeZone } from './domain/calendar.js';
import { halotekPolicyV1 } from './domain/policy/halotek.js';

/** Every setting the process reads, in one place, validated once at start. Documented in the README. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  STORE_TIME_ZONE: z
    .string()
    .default(halotekPolicyV1.storeTimeZone)
    .refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Unset: yes on the embedded database (the two-command demo), no on PostgreSQL (a real server).
  SEED_DEMO_DATA: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1')),
  WEB_DIST_DIR: z.string().optional(),
  PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  POLICY_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AUTH_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MESSAGE_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  AUTH_MAIL_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(1).default(5),
  AUTH_MAIL_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(30),
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SMTP_FROM: z.string().min(3).default('Halotek After-sales <no-reply@localhost>'),
  MAIL_CATCHER: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1')),
  INBOUND_SMTP_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  INBOUND_SMTP_HOST: z.string().min(1).default('0.0.0.0'),
  INBOUND_REPLY_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+\.[A-Za-z0-9-]+$|^localhost$/, 'must be a mail domain such as halotek.example.com')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  INBOUND_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  OUTBOX_INTERVAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(5),
  DEADLINE_JOB_INTERVAL_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
  UPLOAD_BYTES_PER_IP_PER_DAY: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(200 * 1024 * 1024),
  UPLOAD_TEMP_DIR: z.string().min(1).optional(),
  UPLOAD_JOB_INTERVAL_SECONDS: z.coerce.number().min(1).max(86_400).default(3600),
  WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  METRICS_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  WEBHOOKS_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  WEBHOOK_INTERVAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(2),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(60).default(10),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  DOCUMENT_FONT_PATH: z.string().min(1).default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
  DOCUMENT_FONT_NAME: z
    .string()
    .regex(/^[\x21-\x7e]{1,63}$/, 'must be a PostScript font name such as NotoSansCJKsc-Regular')
    .default('NotoSansCJKsc-Regular'),
  TRUST_PROXY: z
    .string()
    .regex(/^(|true|false|\d+)$/, 'must be true, false or the number of proxies in front of the app')
    .default('false')
    .transform((v) => (v === 'true' ? true : v === '' || v === 'false' ? false : Number(v))),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  storeTimeZone: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Whether `serve` seeds an empty database with the demo data and its accounts. */
  seedDemoData: boolean;
  webDistDir: string | undefined;
  publicRateLimitPerMinute: number;
  /** How long a process keeps the policy versions before reading them again. */
  policyCacheSeconds: number;
  /**
   * Where people reach the app: links in messages point here, and state-changing requests carrying a
   * session cookie must come from this origin.
   */
  publicUrl: URL;
  /** PUBLIC_URL was not set: it is http://localhost:PORT, and follows the port actually listened on. */
  publicUrlIsDefault: boolean;
  /**
   * Signs session cookies and, unless MESSAGE_KEY is set, keys the sealing of links in queued messages.
   * Required with PostgreSQL; the embedded demo makes one and keeps it in a file beside DATA_DIR.
   */
  authSecret: string | undefined;
  /** Seals the links in queued messages under a key of its own instead of one derived from AUTH_SECRET. */
  messageKey: string | undefined;
  /** Per client IP, on sign-in, sign-up, password reset, invitations and guest look-ups. */
  authRateLimitPerMinute: number;
  /**
   * Anonymous requests that make the app send an e-mail (sign-up, password reset, a new verification
   * link), per address and per client IP, in an hour.
   */
  authMailPerAddressPerHour: number;
  authMailPerIpPerHour: number;
  /** Where e-mail goes out; without it, messages wait in the outbox. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /**
   * MAIL_CATCHER as given (undefined: unset). Without SMTP_URL, admins read the e-mail the server would
   * have sent at /api/v1/dev-mail: by default on the embedded database over HTTP only (the demo), else
   * only with MAIL_CATCHER=true; never with SMTP_URL (see `mailCatcherOn`).
   */
  mailCatcher: boolean | undefined;
  outboxIntervalSeconds: number;
  /**
   * The inbound SMTP listener that takes customers' e-mail replies into their conversation: started by
   * `serve` when a port is set (0: any free port). Behind the organisation's MX, which relays
   * `reply+…@<replyDomain>` to it (docs/operations.md).
   */
  inboundSmtpPort: number | undefined;
  inboundSmtpHost: string;
  /**
   * The domain of reply addresses (`reply+<token>@<domain>`): INBOUND_REPLY_DOMAIN, else SMTP_FROM's
   * domain. Outgoing replies carry a Reply-To only when the listener runs or this is set.
   */
  inboundReplyDomain: string | undefined;
  /** The largest e-mail the listener takes, whole (attachments included, as sent). */
  inboundMaxBytes: number;
  /** How often service commitments are checked for reminders and escalations. */
  deadlineJobIntervalSeconds: number;
  /** Whether (or through how many proxies) to take the client address from X-Forwarded-For. */
  trustProxy: boolean | number;
  /** Bytes of files one client address may store per day. */
  uploadBytesPerIpPerDay: number;
  /** Where a file waits while it arrives, before it goes into the database in one short transaction. */
  uploadTempDir: string;
  /** How often files attached to nothing for a day are deleted (and stale temporary files removed). */
  uploadCleanupIntervalSeconds: number;
  /** The bearer token Prometheus sends to GET /metrics; without it, /metrics does not exist. */
  metricsToken: string | undefined;
  /**
   * How many processes `serve` runs (node:cluster), sharing the port; unset: one per core on
   * PostgreSQL, and always one on the embedded database (PGlite admits one process).
   */
  workers: number | undefined;
  /**
   * Webhooks may go to plain http:// and to private, loopback and link-local addresses (a receiver on
   * the operator's own network, or a test's). Off by default: the server must not be turned on its own.
   */
  webhooksAllowPrivate: boolean;
  /** How often each process fans new events out to webhooks and sends what is due. */
  webhookIntervalSeconds: number;
  /** The longest one webhook attempt may take, connection to last byte. */
  webhookTimeoutSeconds: number;
  /** Attempts in flight at once per process (an endpoint gets at most a quarter of them, at least one). */
  webhookConcurrency: number;
  /**
   * The font the printable documents (quotes, invoices, return labels) are drawn in: a TrueType or
   * OpenType file, or a collection (.ttc) and the PostScript name of the face in it. It must have the
   * Chinese glyphs; without the file, a document is refused with 503 DOCUMENT_FONT_MISSING.
   */
  documentFont: { path: string; name: string };
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid settings:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.MAIL_CATCHER === true && e.SMTP_URL !== undefined) {
    throw new ConfigError(
      'invalid settings:\n  MAIL_CATCHER: cannot be true with SMTP_URL set: mail really leaves, there is nothing to catch',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    storeTimeZone: e.STORE_TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    // Demo accounts share a published password: a PostgreSQL server gets them only when asked by name.
    seedDemoData: e.SEED_DEMO_DATA ?? e.DATABASE_URL === undefined,
    webDistDir: e.WEB_DIST_DIR,
    publicRateLimitPerMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE,
    policyCacheSeconds: e.POLICY_CACHE_SECONDS,
    // Port 0 means "any free port", which no browser can be sent to; the real one is known only later.
    publicUrl: new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT === 0 ? 3000 : e.PORT}`),
    publicUrlIsDefault: e.PUBLIC_URL === undefined,
    authSecret: e.AUTH_SECRET,
    messageKey: e.MESSAGE_KEY,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    authMailPerAddressPerHour: e.AUTH_MAIL_PER_ADDRESS_PER_HOUR,
    authMailPerIpPerHour: e.AUTH_MAIL_PER_IP_PER_HOUR,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    mailCatcher: e.MAIL_CATCHER,
    outboxIntervalSeconds: e.OUTBOX_INTERVAL_SECONDS,
    inboundSmtpPort: e.INBOUND_SMTP_PORT,
    inboundSmtpHost: e.INBOUND_SMTP_HOST,
    inboundReplyDomain:
      e.INBOUND_REPLY_DOMAIN ??
      (e.INBOUND_SMTP_PORT === undefined
        ? undefined
        : (/@([^\s@<>]+)>?\s*$/.exec(e.SMTP_FROM)?.[1] ?? 'localhost')),
    inboundMaxBytes: e.INBOUND_MAX_BYTES,
    deadlineJobIntervalSeconds: e.DEADLINE_JOB_INTERVAL_SECONDS,
    uploadBytesPerIpPerDay: e.UPLOAD_BYTES_PER_IP_PER_DAY,
    uploadTempDir: e.UPLOAD_TEMP_DIR ?? path.join(tmpdir(), 'aftersales-uploads'),
    uploadCleanupIntervalSeconds: e.UPLOAD_JOB_INTERVAL_SECONDS,
    metricsToken: e.METRICS_TOKEN,
    workers: e.WORKERS,
    webhooksAllowPrivate: e.WEBHOOKS_ALLOW_PRIVATE,
    webhookIntervalSeconds: e.WEBHOOK_INTERVAL_SECONDS,
    webhookTimeoutSeconds: e.WEBHOOK_TIMEOUT_SECONDS,
    webhookConcurrency: e.WEBHOOK_CONCURRENCY,
    documentFont: { path: e.DOCUMENT_FONT_PATH, name: e.DOCUMENT_FONT_NAME },
  };
}

/**
 * Whether this server keeps its e-mail for admins to read (the development mail catcher): never when
 * SMTP_URL sends it; otherwise as MAIL_CATCHER says, and when that is unset, on the embedded database
 * over plain HTTP only — the two-command demo, whose accounts already share a published password. A PostgreSQL server
 * is a real installation: its admins do not read other people's reset links unless someone asked.
 */
export function mailCatcherOn(config: Config, database: 'pglite' | 'postgres'): boolean {
  if (config.smtpUrl !== undefined) return false;
  // Served over HTTPS, an embedded database is a real site too: its demo password is already refused.
  return config.mailCatcher ?? (database === 'pglite' && config.publicUrl.protocol !== 'https:');
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The origins a browser may send signed-in and sign-in requests from: PUBLIC_URL's. When that is a
 * loopback address over plain HTTP (the embedded demo's default), every spelling of loopback on the
 * same port too — `localhost`, `127.0.0.1` and `[::1]` reach the same process, and whichever one the
 * browser was pointed at, signing in must work.
 */
export function trustedOrigins(publicUrl: URL): string[] {
  const origin = publicUrl.origin;
  if (publicUrl.protocol !== 'http:' || !LOOPBACK_HOSTS.includes(publicUrl.hostname)) return [origin];
  const port = publicUrl.port === '' ? '' : `:${publicUrl.port}`;
  return [origin, ...LOOPBACK_HOSTS.map((host) => `http://${host}${port}`).filter((o) => o !== origin)];
}
