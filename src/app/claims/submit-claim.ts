import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { preparedStatement, rawStatement } from '../../db/prepared.js';
import {
  auditEvents,
  claims,
  dealers,
  endUsers,
  events,
  guestAccessTokens,
  outbox,
  products,
  purchases,
  units,
} from '../../db/schema.js';
import { type Actor, authorize } from '../../domain/access/access.js';
import { calendarDateIn, parseCalendarInput, Temporal } from '../../domain/calendar.js';
import { type Cause, type Decision, quoteClause } from '../../domain/policy/evaluate.js';
import { assertAllowed } from '../access.js';
import { decideEntitlement } from '../entitlements/evaluate-entitlement.js';
import { AppError } from '../errors.js';
import { claimContextColumns, type ClaimView, claimViewOf, presentClaim } from './claim-view.js';
import { mintGuestLink } from '../guest/guest-links.js';
import { bilingual } from '../messages/index.js';
import type { PolicySource } from '../policies/policy-source.js';
import { type MessageKey, sealLink } from '../outbox/sealed-links.js';

export type SubmitClaimInput = {
  purchaseId: string;
  /**
   * The customer making the claim, when the caller has established who it is (a guest whose contact
   * matched): the purchase must be theirs. Leave it out with `signedIn`.
   */
  endUserId?: string | undefined;
  /**
   * A signed-in user: a customer on their own purchase, support or an admin on anyone's. The claim is
   * the purchase's customer's either way.
   */
  signedIn?: Actor | undefined;
  cause: Cause;
  description: string;
  /**
   * Defaults to today in the store's time zone. Staff may date a report that came in earlier (by phone,
   * at the counter); a customer's own report is dated today.
   */
  reportedOn?: string | undefined;
  /** A client's retry of the same submission returns the first claim instead of making a second. */
  idempotencyKey?: string | undefined;
  /** Who did it, for the audit log. */
  actor: string;
};

export type SubmittedClaim = {
  id: string;
  purchaseId: string;
  reportedOn: string;
  cause: Cause;
  status: string;
  decision: Decision;
  /** True when this answers a retry: the claim was made by an earlier request with the same key. */
  replayed: boolean;
  /**
   * The link that lets whoever reported it follow the claim without an account. Only the first answer
   * carries it (only its hash is kept); it is also in the acknowledgement message, sealed.
   */
  trackingUrl: string | null;
  /** The new claim as the API shows it; a replay reads it afresh. */
  view?: ClaimView;
};

export type SubmitClaimDeps = {
  db: Database;
  policies: PolicySource;
  storeTimeZone: string;
  now: () => Temporal.Instant;
  /** Where links in messages point. */
  publicUrl: URL;
  /** Seals the tracking link in the acknowledgement. */
  messageKey: MessageKey;
};

type ClaimRow = typeof claims.$inferSelect;

const purchaseNotFound = {
  code: 'PURCHASE_NOT_FOUND',
  message: 'no such purchase among this customer’s products',
};

/** The calendar day of the report in the store's time zone: today, or the day staff say it came in. */
function reportDay(deps: SubmitClaimDeps, input: SubmitClaimInput): string {
  const today = calendarDateIn(deps.now(), deps.storeTimeZone);
  if (input.reportedOn === undefined) return today.toString();
  const day = parseCalendarInput(input.reportedOn, deps.storeTimeZone);
  if ('code' in day) {
    throw new AppError('invalid', 'INVALID_DATE', `reportedOn: ${day.message}`, { field: 'reportedOn' });
  }
  if (Temporal.PlainDate.compare(day, today) > 0) {
    throw new AppError('invalid', 'REPORTED_ON_IN_FUTURE', `reportedOn ${day.toString()} is after today`, {
      field: 'reportedOn',
    });
  }
  // The day decides the window: a customer dating their own report earlier would choose their remedy.
  if (input.signedIn?.role === 'customer' && !day.equals(today)) {
    throw new AppError(
      'invalid',
      'REPORTED_ON_NOT_TODAY',
      'a report is dated the day it is made; leave reportedOn out',
      { field: 'reportedOn' },
    );
  }
  return day.toString();
}

const toSubmitted = (
  row: ClaimRow,
  replayed: boolean,
  trackingUrl: string | null = null,
): SubmittedClaim => ({
  id: row.id,
  purchaseId: row.purchaseId,
  reportedOn: row.reportedOn,
  cause: row.cause,
  status: row.status,
  decision: row.decision,
  replayed,
  trackingUrl,
});

/** A key names one submission: the same key with other content is a client bug, not a retry. */
function assertSameSubmission(row: ClaimRow, input: SubmitClaimInput, reportedOn: string): void {
  const same =
    row.purchaseId === input.purchaseId &&
    (input.endUserId === undefined || row.endUserId === input.endUserId) &&
    // Someone else's key is not a way to read their claim.
    (input.signedIn === undefined ||
      authorize(input.signedIn, 'claims.submit', { endUserId: row.endUserId }) === 'allowed') &&
    row.cause === input.cause &&
    row.description === input.description &&
    row.reportedOn === reportedOn;
  if (!same) {
    throw new AppError(
      'conflict',
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used for a different claim; use a new key for a new submission',
    );
  }
}

async function claimByKey(db: Database, key: string): Promise<ClaimRow | undefined> {
  const [row] = await db.select().from(claims).where(eq(claims.idempotencyKey, key)).limit(1);
  return row;
}

// Read by every claim: built once, and planned once per connection. Exported for the bench's bare twin
// (bench/baseline-server.ts), which runs exactly this statement and `writeClaim` without the app around them.
export const claimPurchase = preparedStatement('claim_purchase', (db, name) =>
  db
    .select({
      id: purchases.id,
      endUserId: purchases.endUserId,
      purchaseDate: purchases.purchaseDate,
      warrantyOverride: products.warrantyOverride,
      email: endUsers.email,
      phone: endUsers.phone,
      name: endUsers.name,
      // What the claim's view shows, read here so that answering costs no second read.
      ...claimContextColumns,
    })
    .from(purchases)
    .innerJoin(products, eq(products.id, purchases.productId))
    .innerJoin(endUsers, eq(endUsers.id, purchases.endUserId))
    .leftJoin(units, eq(units.id, purchases.unitId))
    .leftJoin(dealers, eq(dealers.id, purchases.dealerId))
    .where(eq(purchases.id, sql.placeholder('purchaseId')))
    .limit(1)
    .prepare(name),
);

const p = (name: string) => sql.placeholder(name);

/*
 * The claim, its audit event, its event for other systems (app/events: the claim as the API shows it,
 * its times and version as the insert made them), its tracking link and the acknowledgement, in one statement: atomic
 * without a transaction's BEGIN and COMMIT round trips, and one parse and plan per connection. A key
 * already used makes the claim's insert do nothing, and with it every insert that selects from it; the
 * caller then answers with the earlier claim. Two retries racing meet at the key's unique index: the
 * second waits for the first to commit and then does nothing.
 */
export const writeClaim = rawStatement<{
  id: string;
  status: ClaimRow['status'];
  version: number;
  created_at: string;
}>(
  'claim_write',
  sql`with claim as (
    insert into ${claims} (id, purchase_id, end_user_id, reported_on, cause, description, decision,
                          policy_version_id, idempotency_key)
    values (${p('id')}::uuid, ${p('purchaseId')}::uuid, ${p('endUserId')}::uuid, ${p('reportedOn')}::date,
            ${p('cause')}, ${p('description')}, ${p('decision')}::jsonb, ${p('policyVersionId')},
            ${p('idempotencyKey')}::text)
    on conflict (idempotency_key) do nothing
    returning id, status, version, created_at
  ), audit as (
    insert into ${auditEvents} (actor, action, entity_type, entity_id, data)
    select ${p('actor')}, 'claim.submitted', 'claim', claim.id::text, ${p('auditData')}::jsonb from claim
  ), link as (
    insert into ${guestAccessTokens} (token_hash, purpose, claim_id, expires_at)
    select ${p('tokenHash')}, 'claim.track', claim.id, ${p('linkExpiresAt')}::timestamptz from claim
  ), event as (
    insert into ${events} (type, occurred_at, subject_type, subject_id, dealer_id, end_user_id, data)
    select 'claim.submitted', ${p('occurredAt')}::timestamptz, 'claim', claim.id::text, ${p('dealerId')}::uuid,
           ${p('endUserId')}::uuid,
           ${p('eventData')}::jsonb || jsonb_build_object(
             'status', claim.status, 'version', claim.version,
             'createdAt', to_char(claim.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'updatedAt', to_char(claim.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    from claim
  ), acknowledgement as (
    insert into ${outbox} (topic, recipient, subject, body, sealed_link, payload)
    select 'claim.received', ${p('recipient')}::text, ${p('subject')}, ${p('body')}, ${p('sealedLink')}::text,
           ${p('payload')}::jsonb
    from claim where ${p('recipient')}::text is not null
  )
  select id, status, version,
         to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
  from claim`,
);

/**
 * An end user reports a problem with a purchase: the engine decides under the policy version in force
 * on the purchase date, and the claim, its audit event and the acknowledgement to the customer are
 * written together — all or nothing. A claim outside the warranty or for misuse is not refused: its
 * decision offers paid service.
 */
export async function submitClaim(deps: SubmitClaimDeps, input: SubmitClaimInput): Promise<SubmittedClaim> {
  if (input.endUserId === undefined && input.signedIn === undefined) {
    throw new Error('submitClaim needs the customer (endUserId) or the signed-in user (signedIn)');
  }
  const reportedOn = reportDay(deps, input);
  const versions = await deps.policies.versions();
  const [purchase] = await claimPurchase(deps.db).execute({ purchaseId: input.purchaseId });
  // Someone else's purchase does not exist, as far as this customer can tell.
  if (!purchase || (input.endUserId !== undefined && purchase.endUserId !== input.endUserId)) {
    throw new AppError('not_found', purchaseNotFound.code, purchaseNotFound.message);
  }
  if (input.signedIn) {
    assertAllowed(
      input.signedIn,
      'claims.submit',
      { endUserId: purchase.endUserId, dealerId: purchase.dealerId },
      purchaseNotFound,
    );
  }

  const decision = decideEntitlement(
    versions,
    { purchaseDate: purchase.purchaseDate, reportDate: reportedOn, cause: input.cause },
    { storeTimeZone: deps.storeTimeZone, warrantyOverride: purchase.warrantyOverride },
  );
  const claimId = randomUUID();
  const tracking = mintGuestLink({ purpose: 'claim.track', now: deps.now(), publicUrl: deps.publicUrl });
  const recipient = purchase.email ?? purchase.phone ?? null;
  const link = recipient ? sealLink(deps.messageKey, { url: tracking.url, recipient }) : null;
  const message = bilingual((m, lang) =>
    m.claims.received({
      customerName: purchase.name,
      reportedOn,
      choices: decision.remedies.map((r) => quoteClause(r.clause, lang)),
      link: link?.shown ?? '',
    }),
  );
  const occurredAt = new Date(deps.now().epochMilliseconds);
  // The new claim as the API will show it; the statement puts in what only the insert knows.
  const submittedView = presentClaim(
    claimViewOf(
      {
        id: claimId,
        ownerId: null,
        purchaseId: purchase.id,
        endUserId: purchase.endUserId,
        reportedOn,
        cause: input.cause,
        description: input.description,
        decision,
        policyVersionId: decision.policyVersion,
        chosenRemedy: null,
        status: 'open',
        idempotencyKey: input.idempotencyKey ?? null,
        version: 1,
        createdAt: occurredAt,
        updatedAt: occurredAt,
      },
      purchase,
    ),
    'en',
  );
  const [written] = await writeClaim(deps.db, {
    id: claimId,
    purchaseId: purchase.id,
    endUserId: purchase.endUserId,
    reportedOn,
    cause: input.cause,
    description: input.description,
    decision: JSON.stringify(decision),
    policyVersionId: decision.policyVersion,
    idempotencyKey: input.idempotencyKey ?? null,
    actor: input.actor,
    auditData: JSON.stringify({
      purchaseId: purchase.id,
      window: decision.window,
      paid: decision.paid,
      policyVersion: decision.policyVersion,
      remedies: decision.remedies.map((r) => r.code),
    }),
    tokenHash: tracking.tokenHash,
    linkExpiresAt: tracking.expiresAt.toISOString(),
    recipient,
    subject: message.subject,
    body: message.body,
    sealedLink: link?.sealed ?? null,
    payload: JSON.stringify({ claimId, window: decision.window, paid: decision.paid }),
    occurredAt: occurredAt.toISOString(),
    dealerId: purchase.dealerId,
    eventData: JSON.stringify(submittedView),
  });

  if (!written) {
    // The key was used before: this is a retry, answered with the first claim, or a client's mistake.
    const earlier = input.idempotencyKey ? await claimByKey(deps.db, input.idempotencyKey) : undefined;
    if (!earlier) throw new Error('a claim insert without a key wrote nothing');
    assertSameSubmission(earlier, input, reportedOn);
    return toSubmitted(earlier, true);
  }
  const createdAt = new Date(written.created_at);
  const row: ClaimRow = {
    id: written.id,
    ownerId: null,
    purchaseId: purchase.id,
    endUserId: purchase.endUserId,
    reportedOn,
    cause: input.cause,
    description: input.description,
    decision,
    policyVersionId: decision.policyVersion,
    chosenRemedy: null,
    status: written.status,
    idempotencyKey: input.idempotencyKey ?? null,
    version: written.version,
    createdAt,
    updatedAt: createdAt,
  };
  return { ...toSubmitted(row, false, tracking.url), view: claimViewOf(row, purchase) };
}
