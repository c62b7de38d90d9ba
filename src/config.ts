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
  SEED_DEMO_DATA: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
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
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SMTP_FROM: z.string().min(3).default('Halotek After-sales <no-reply@localhost>'),
  OUTBOX_INTERVAL_SECONDS: z.coerce.number().min(0.05).max(3600).default(5),
  DEADLINE_JOB_INTERVAL_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
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
  /**
   * Signs session cookies and, unless MESSAGE_KEY is set, keys the sealing of links in queued messages.
   * Required with PostgreSQL; the embedded demo makes one and keeps it in a file beside DATA_DIR.
   */
  authSecret: string | undefined;
  /** Seals the links in queued messages under a key of its own instead of one derived from AUTH_SECRET. */
  messageKey: string | undefined;
  /** Per client IP, on sign-in, sign-up, password reset, invitations and guest look-ups. */
  authRateLimitPerMinute: number;
  /** Where e-mail goes out; without it, messages wait in the outbox. */
  smtpUrl: string | undefined;
  smtpFrom: string;
  outboxIntervalSeconds: number;
  /** How often service commitments are checked for reminders and escalations. */
  deadlineJobIntervalSeconds: number;
  /** Whether (or through how many proxies) to take the client address from X-Forwarded-For. */
  trustProxy: boolean | number;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid settings:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    storeTimeZone: e.STORE_TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    seedDemoData: e.SEED_DEMO_DATA,
    webDistDir: e.WEB_DIST_DIR,
    publicRateLimitPerMinute: e.PUBLIC_RATE_LIMIT_PER_MINUTE,
    policyCacheSeconds: e.POLICY_CACHE_SECONDS,
    // Port 0 means "any free port", which no browser can be sent to; the real one is known only later.
    publicUrl: new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT === 0 ? 3000 : e.PORT}`),
    authSecret: e.AUTH_SECRET,
    messageKey: e.MESSAGE_KEY,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    smtpUrl: e.SMTP_URL,
    smtpFrom: e.SMTP_FROM,
    outboxIntervalSeconds: e.OUTBOX_INTERVAL_SECONDS,
    deadlineJobIntervalSeconds: e.DEADLINE_JOB_INTERVAL_SECONDS,
  };
}
