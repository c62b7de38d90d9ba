import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { preparedStatement } from '../../db/prepared.js';
import { apiKeys } from '../../db/schema.js';
import { type Actor, actorOf } from '../../domain/access/access.js';
import {
  API_KEY_ID_LENGTH,
  type ApiKeyRole,
  apiKeyIdFrom,
  apiKeyStanding,
  DEFAULT_API_KEY_REQUESTS_PER_MINUTE,
  formatApiKey,
  lastUsedDue,
  parseApiKey,
} from '../../domain/access/api-keys.js';
import type { Temporal } from '../../domain/calendar.js';
import { resolveStaffScope } from '../accounts/scope.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';

/*
 * The keys an admin makes for machines, and the one read every key-authenticated request makes. A key
 * is created, listed (never with its secret) and revoked; nothing else about it changes, so a key in
 * use can't be widened under its holder.
 */

export type ApiKeysDeps = { db: Database; now: () => Temporal.Instant };

export type ApiKeyView = {
  id: string;
  name: string;
  role: ApiKeyRole;
  dealerId: string | null;
  serviceCenterId: string | null;
  oemClientId: string | null;
  /** The key's visible beginning, `aftersales_key_<publicId>_…`, to recognise it by. */
  prefix: string;
  requestsPerMinute: number;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  status: 'active' | 'expired' | 'revoked';
};

type ApiKeyRow = typeof apiKeys.$inferSelect;

const keyNotFound = { code: 'API_KEY_NOT_FOUND', message: 'no such API key' };

function view(row: ApiKeyRow, nowMs: number): ApiKeyView {
  const standing = apiKeyStanding(
    { revokedAt: row.revokedAt?.getTime() ?? null, expiresAt: row.expiresAt?.getTime() ?? null },
    nowMs,
  );
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    dealerId: row.dealerId,
    serviceCenterId: row.serviceCenterId,
    oemClientId: row.oemClientId,
    prefix: formatApiKey(row.publicId, '…'),
    requestsPerMinute: row.requestsPerMinute,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy: row.revokedBy,
    status: standing === 'usable' ? 'active' : standing,
  };
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export async function listApiKeys(deps: ApiKeysDeps, actor: Actor): Promise<ApiKeyView[]> {
  assertAllowed(actor, 'apiKeys.manage', {}, keyNotFound);
  const rows = await deps.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const nowMs = deps.now().epochMilliseconds;
  return rows.map((r) => view(r, nowMs));
}

export type CreateApiKeyInput = {
  name: string;
  role: ApiKeyRole;
  dealerId?: string | null | undefined;
  serviceCenterId?: string | null | undefined;
  oemClientId?: string | null | undefined;
  expiresAt?: string | null | undefined;
  requestsPerMinute?: number | undefined;
};

/** Makes a key; the answer is the only place its secret ever appears. */
export async function createApiKey(
  deps: ApiKeysDeps,
  actor: Actor,
  input: CreateApiKeyInput,
): Promise<{ key: string; apiKey: ApiKeyView }> {
  assertAllowed(actor, 'apiKeys.manage', {}, keyNotFound);
  const now = deps.now();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt !== null && expiresAt.getTime() <= now.epochMilliseconds) {
    throw new AppError('invalid', 'EXPIRY_IN_PAST', 'a key must expire after now', { field: 'expiresAt' });
  }
  const secret = randomBytes(32).toString('base64url');
  return deps.db.transaction(async (tx) => {
    const scope = await resolveStaffScope(tx, input.role, input);
    // 50 random bits: a clash is astronomically rare, and the unique index would refuse it anyway.
    const publicId = apiKeyIdFrom(randomBytes(API_KEY_ID_LENGTH));
    const [row] = await tx
      .insert(apiKeys)
      .values({
        publicId,
        name: input.name,
        role: input.role,
        ...scope,
        secretSha256: sha256Hex(secret),
        requestsPerMinute: input.requestsPerMinute ?? DEFAULT_API_KEY_REQUESTS_PER_MINUTE,
        createdBy: auditActor(actor),
        createdAt: new Date(now.epochMilliseconds),
        expiresAt,
      })
      .returning();
    if (!row) throw new Error('insert returned no API key');
    await recordAudit(tx, actor, {
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: row.id,
      data: {
        name: row.name,
        role: row.role,
        ...scope,
        prefix: formatApiKey(publicId, '…'),
        expiresAt: row.expiresAt?.toISOString() ?? null,
        requestsPerMinute: row.requestsPerMinute,
      },
    });
    return { key: formatApiKey(publicId, secret), apiKey: view(row, now.epochMilliseconds) };
  });
}

/** Revoking is final and takes effect on the next request to any process: each request reads the row. */
export async function revokeApiKey(deps: ApiKeysDeps, actor: Actor, id: string): Promise<ApiKeyView> {
  assertAllowed(actor, 'apiKeys.manage', {}, keyNotFound);
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for('update');
    if (!row) throw new AppError('not_found', keyNotFound.code, keyNotFound.message);
    if (row.revokedAt !== null) {
      throw new AppError('conflict', 'API_KEY_REVOKED', 'this key was already revoked');
    }
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date(now.epochMilliseconds), revokedBy: auditActor(actor) })
      .where(eq(apiKeys.id, id))
      .returning();
    if (!revoked) throw new Error('update returned no API key');
    await recordAudit(tx, actor, {
      action: 'api_key.revoked',
      entityType: 'api_key',
      entityId: id,
      data: { name: row.name, prefix: formatApiKey(row.publicId, '…') },
    });
    return view(revoked, now.epochMilliseconds);
  });
}

// Every key-authenticated request runs it: built once, planned once per connection.
const keyByPublicId = preparedStatement('api_key_by_public_id', (db, name) =>
  db
    .select({
      id: apiKeys.id,
      role: apiKeys.role,
      dealerId: apiKeys.dealerId,
      serviceCenterId: apiKeys.serviceCenterId,
      oemClientId: apiKeys.oemClientId,
      secretSha256: apiKeys.secretSha256,
      requestsPerMinute: apiKeys.requestsPerMinute,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.publicId, sql.placeholder('publicId')))
    .limit(1)
    .prepare(name),
);

export type KeyPrincipal = { actor: Actor; keyId: string; requestsPerMinute: number };

/**
 * The actor a presented key acts as, or undefined for anything that is not a live key: malformed,
 * unknown, wrong secret, revoked or expired all answer the same, so a caller learns nothing of which.
 */
export async function actorOfApiKey(deps: ApiKeysDeps, presented: string): Promise<KeyPrincipal | undefined> {
  const parsed = parseApiKey(presented);
  if (!parsed) return undefined;
  const [row] = await keyByPublicId(deps.db).execute({ publicId: parsed.id });
  if (!row) return undefined;
  const given = Buffer.from(sha256Hex(parsed.secret), 'hex');
  const stored = Buffer.from(row.secretSha256, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) return undefined;
  const nowMs = deps.now().epochMilliseconds;
  const standing = apiKeyStanding(
    { revokedAt: row.revokedAt?.getTime() ?? null, expiresAt: row.expiresAt?.getTime() ?? null },
    nowMs,
  );
  if (standing !== 'usable') return undefined;
  const base = actorOf({ ...row, id: `key:${row.id}` });
  if (!base) return undefined;
  if (lastUsedDue(row.lastUsedAt?.getTime() ?? null, nowMs)) {
    // Conditional, so of several processes seeing the same stale time, one writes.
    await deps.db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(nowMs) })
      .where(
        sql`${apiKeys.id} = ${row.id} and (${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} <= ${new Date(nowMs - 60_000)})`,
      );
  }
  return { actor: { ...base, keyId: row.id }, keyId: row.id, requestsPerMinute: row.requestsPerMinute };
}
