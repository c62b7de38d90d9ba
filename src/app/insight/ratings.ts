import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import {
  MAX_RATING_COMMENT,
  outbox,
  type RatingSubject,
  satisfactionRatings,
  serviceCenters,
  dealers,
  maintenanceOrders,
} from '../../db/schema.js';
import { calendarDateIn, type Temporal } from '../../domain/calendar.js';
import { hashToken, newOneTimeToken } from '../accounts/tokens.js';
import { AppError } from '../errors.js';
import { bilingual } from '../messages/index.js';
import type { DealerRemedyKind } from '../messages/en.js';
import { type MessageKey, sealLink } from '../outbox/sealed-links.js';

/*
 * Customer satisfaction (issue 19 item 5). When a repair goes back, or a dealer's remedy is done, the
 * customer is sent a one-question link, in the same transaction as the change: no account, a random
 * token of which only the SHA-256 is kept (the guest links' hashToken), answered once, expiring.
 */

/** How long a rating link works: long enough to have used the repaired product a while. */
export const RATING_LINK_TTL_DAYS = 30;

export type RatingLinkDeps = { messageKey: MessageKey; publicUrl: URL; now: Temporal.Instant };

export type RatingRequest = {
  subject: RatingSubject;
  claimId: string;
  maintenanceOrderId?: string | undefined;
  dealerRemedyId?: string | undefined;
  serviceCenterId?: string | undefined;
  technicianId?: string | null | undefined;
  dealerId?: string | undefined;
  /** Where the link goes: the customer's e-mail address (a phone number gets no link). */
  recipient: string | null;
  customerName: string;
  about: { number: string } | { kind: DealerRemedyKind };
  storeTimeZone: string;
};

const isEmail = (recipient: string | null): recipient is string =>
  recipient !== null && recipient.includes('@');

/**
 * Writes the rating invitation and its message in the caller's transaction. A customer without an
 * e-mail address gets none (a link cannot be read out on the phone). A second call for the same repair or
 * remedy (a retried move) adds nothing: one link per subject.
 */
export async function requestRating(
  tx: Transaction,
  deps: RatingLinkDeps,
  input: RatingRequest,
): Promise<void> {
  if (!isEmail(input.recipient)) return;
  const token = newOneTimeToken();
  const expiresAt = deps.now.add({ hours: 24 * RATING_LINK_TTL_DAYS });
  const inserted = await tx
    .insert(satisfactionRatings)
    .values({
      tokenHash: hashToken(token),
      subject: input.subject,
      claimId: input.claimId,
      maintenanceOrderId: input.maintenanceOrderId ?? null,
      dealerRemedyId: input.dealerRemedyId ?? null,
      serviceCenterId: input.serviceCenterId ?? null,
      technicianId: input.technicianId ?? null,
      dealerId: input.dealerId ?? null,
      expiresAt: new Date(expiresAt.epochMilliseconds),
    })
    .onConflictDoNothing()
    .returning({ id: satisfactionRatings.id });
  if (inserted.length === 0) return;
  const url = new URL('/rate', deps.publicUrl);
  url.searchParams.set('token', token);
  const link = sealLink(deps.messageKey, { url: url.toString(), recipient: input.recipient });
  const expiresOn = calendarDateIn(expiresAt, input.storeTimeZone).toString();
  const message = bilingual((m) =>
    m.satisfaction.ratingRequest({
      customerName: input.customerName,
      about:
        'number' in input.about
          ? m.satisfaction.aboutOrder(input.about)
          : m.satisfaction.aboutRemedy(input.about),
      ratingUrl: link.shown,
      expiresOn,
    }),
  );
  await tx.insert(outbox).values({
    topic: 'satisfaction.rating_requested',
    recipient: input.recipient,
    ...message,
    sealedLink: link.sealed,
    payload: { ratingId: inserted[0]?.id, claimId: input.claimId, subject: input.subject },
  });
}

export type RatingDeps = { db: Database; now: () => Temporal.Instant };

const notFound = () => new AppError('not_found', 'RATING_LINK_NOT_FOUND', 'this rating link is not valid');
const expired = () =>
  new AppError('gone', 'RATING_LINK_EXPIRED', 'this rating link has expired; thank you all the same');
const alreadyRated = () =>
  new AppError('conflict', 'RATING_ALREADY_GIVEN', 'this link has already been used to rate; thank you');

export type RatingInvitation = {
  subject: RatingSubject;
  /** What is rated, by the names the customer knows. */
  maintenanceNumber: string | null;
  center: { en: string; zh: string } | null;
  dealer: string | null;
  expiresAt: string;
};

/** What a rating link is about, for its page; a used, expired or unknown link says so (4xx, a code). */
export async function openRatingLink(deps: RatingDeps, token: string): Promise<RatingInvitation> {
  const [row] = await deps.db
    .select({
      subject: satisfactionRatings.subject,
      expiresAt: satisfactionRatings.expiresAt,
      ratedAt: satisfactionRatings.ratedAt,
      maintenanceNumber: maintenanceOrders.maintenanceNumber,
      centerEn: serviceCenters.nameEn,
      centerZh: serviceCenters.nameZh,
      dealer: dealers.name,
    })
    .from(satisfactionRatings)
    .leftJoin(maintenanceOrders, eq(maintenanceOrders.id, satisfactionRatings.maintenanceOrderId))
    .leftJoin(serviceCenters, eq(serviceCenters.id, satisfactionRatings.serviceCenterId))
    .leftJoin(dealers, eq(dealers.id, satisfactionRatings.dealerId))
    .where(eq(satisfactionRatings.tokenHash, hashToken(token)))
    .limit(1);
  if (!row) throw notFound();
  if (row.ratedAt) throw alreadyRated();
  if (row.expiresAt.getTime() <= deps.now().epochMilliseconds) throw expired();
  return {
    subject: row.subject,
    maintenanceNumber: row.maintenanceNumber,
    center: row.centerEn && row.centerZh ? { en: row.centerEn, zh: row.centerZh } : null,
    dealer: row.dealer,
    expiresAt: row.expiresAt.toISOString(),
  };
}

/**
 * Records the customer's answer: one conditional update (not yet rated, not expired), so two submits at
 * once rate once and the second is told the link is used. The comment is trimmed; blank is none. Control
 * characters never reach here (http/text-guard.ts refuses them in every body).
 */
export async function submitRating(
  deps: RatingDeps,
  input: { token: string; score: number; comment?: string | undefined },
): Promise<{ rated: true }> {
  const now = new Date(deps.now().epochMilliseconds);
  const comment = input.comment?.trim() ? input.comment.trim() : null;
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
    throw new AppError('invalid', 'RATING_SCORE_INVALID', 'a rating is a whole number from 1 to 5', {
      field: 'score',
    });
  }
  if (comment !== null && comment.length > MAX_RATING_COMMENT) {
    throw new AppError(
      'invalid',
      'RATING_COMMENT_TOO_LONG',
      `a comment holds at most ${MAX_RATING_COMMENT} characters`,
      {
        field: 'comment',
      },
    );
  }
  const tokenHash = hashToken(input.token);
  const updated = await deps.db
    .update(satisfactionRatings)
    .set({ score: input.score, comment, ratedAt: now })
    .where(
      and(
        eq(satisfactionRatings.tokenHash, tokenHash),
        isNull(satisfactionRatings.ratedAt),
        gt(satisfactionRatings.expiresAt, now),
      ),
    )
    .returning({ id: satisfactionRatings.id });
  if (updated.length > 0) return { rated: true };
  // Why not: the same answers as opening the link.
  const [row] = await deps.db
    .select({ ratedAt: satisfactionRatings.ratedAt })
    .from(satisfactionRatings)
    .where(eq(satisfactionRatings.tokenHash, tokenHash))
    .limit(1);
  if (!row) throw notFound();
  if (row.ratedAt) throw alreadyRated();
  throw expired();
}
