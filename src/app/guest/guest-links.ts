import { and, eq, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { preparedStatement } from '../../db/prepared.js';
import { type GuestTokenPurpose, guestAccessTokens } from '../../db/schema.js';
import type { Temporal } from '../../domain/calendar.js';
import { hashToken, newOneTimeToken } from '../accounts/tokens.js';
import { AppError } from '../errors.js';

/**
 * How long a guest link works. A tracking link must outlive the repair it follows (a mailed-in part
 * may sit at a center for weeks, and the user checks back after it is home); a quote is answered in
 * days or re-quoted.
 */
export const GUEST_LINK_TTL_DAYS: Record<GuestTokenPurpose, number> = {
  'claim.track': 400,
  'quote.accept': 14,
};

const pathOf: Record<GuestTokenPurpose, string> = {
  'claim.track': '/track',
  'quote.accept': '/quote',
};

export type GuestLinkRequest = {
  purpose: GuestTokenPurpose;
  claimId: string;
  /** A `quote.accept` link answers this quote only. */
  quoteId?: string | undefined;
  now: Temporal.Instant;
  publicUrl: URL;
};

/** A new link: the token (for the message, stored nowhere), its hash and expiry (for the row). */
export function mintGuestLink(input: Omit<GuestLinkRequest, 'claimId' | 'quoteId'>): {
  token: string;
  tokenHash: string;
  url: string;
  expiresAt: Date;
} {
  const token = newOneTimeToken();
  const expiresAt = new Date(
    input.now.add({ hours: 24 * GUEST_LINK_TTL_DAYS[input.purpose] }).epochMilliseconds,
  );
  const url = new URL(pathOf[input.purpose], input.publicUrl);
  url.searchParams.set('token', token);
  return { token, tokenHash: hashToken(token), url: url.toString(), expiresAt };
}

/** Writes a link's row in the caller's transaction and returns the token, which is stored nowhere. */
export async function issueGuestLink(
  tx: Transaction,
  input: GuestLinkRequest,
): Promise<{ token: string; url: string; expiresAt: Date }> {
  const { token, tokenHash, url, expiresAt } = mintGuestLink(input);
  await tx.insert(guestAccessTokens).values({
    tokenHash,
    purpose: input.purpose,
    claimId: input.claimId,
    quoteId: input.quoteId ?? null,
    expiresAt,
  });
  return { token, url, expiresAt };
}

// Every look-up by link starts here: built once, planned once per connection.
const linkByToken = preparedStatement('guest_link_by_token', (db, name) =>
  db
    .select({ claimId: guestAccessTokens.claimId, expiresAt: guestAccessTokens.expiresAt })
    .from(guestAccessTokens)
    .where(
      and(
        eq(guestAccessTokens.tokenHash, sql.placeholder('tokenHash')),
        eq(guestAccessTokens.purpose, sql.placeholder('purpose')),
      ),
    )
    .limit(1)
    .prepare(name),
);

/**
 * The claim a guest link opens. An unknown token and one for another purpose are the same 404; an
 * expired one says so (410), since its owner did have it and should ask for a new one.
 */
export async function claimOfGuestLink(
  db: Database,
  input: { token: string; purpose: GuestTokenPurpose; now: Temporal.Instant },
): Promise<string> {
  const [row] = await linkByToken(db).execute({ tokenHash: hashToken(input.token), purpose: input.purpose });
  if (!row) throw new AppError('not_found', 'GUEST_LINK_NOT_FOUND', 'this link is not valid');
  if (row.expiresAt.getTime() <= input.now.epochMilliseconds) {
    throw new AppError('gone', 'GUEST_LINK_EXPIRED', 'this link has expired; contact us for a new one');
  }
  return row.claimId;
}
