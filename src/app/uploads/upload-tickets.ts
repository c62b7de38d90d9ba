import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { uploadTickets } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import {
  type TicketRefusal,
  ticketKinds,
  ticketRefusal,
  type UploadKind,
  UPLOAD_TICKET_TTL_MS,
  type UploadTicketPurpose,
} from '../../domain/uploads.js';
import { hashToken, newOneTimeToken } from '../accounts/tokens.js';
import { recordAudit } from '../audit.js';
import { AppError, type AppErrorKind } from '../errors.js';

export type IssuedUploadTicket = {
  ticket: string;
  purpose: UploadTicketPurpose;
  kinds: UploadKind[];
  expiresAt: string;
};

/**
 * A guest flow about to take a file asks for a ticket: one file, of the kinds that flow takes, within
 * UPLOAD_TICKET_TTL_MS. The token is shown once; only its digest is kept.
 */
export async function issueUploadTicket(
  deps: { db: Database; now: () => Temporal.Instant },
  actor: Actor | null,
  input: { purpose: UploadTicketPurpose },
): Promise<IssuedUploadTicket> {
  const ticket = newOneTimeToken();
  const expiresAt = new Date(deps.now().epochMilliseconds + UPLOAD_TICKET_TTL_MS);
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(uploadTickets)
      .values({ tokenHash: hashToken(ticket), purpose: input.purpose, expiresAt })
      .returning({ id: uploadTickets.id });
    if (!row) throw new Error('insert returned no upload ticket');
    await recordAudit(tx, actor ?? 'guest', {
      action: 'upload_ticket.issued',
      entityType: 'upload_ticket',
      entityId: row.id,
      data: { purpose: input.purpose, expiresAt: expiresAt.toISOString() },
    });
  });
  return {
    ticket,
    purpose: input.purpose,
    kinds: [...ticketKinds[input.purpose]],
    expiresAt: expiresAt.toISOString(),
  };
}

const refusalKind: Record<TicketRefusal['code'], AppErrorKind> = {
  UPLOAD_TICKET_INVALID: 'unauthenticated',
  UPLOAD_TICKET_EXPIRED: 'unauthenticated',
  UPLOAD_TICKET_USED: 'conflict',
  UPLOAD_TICKET_WRONG_KIND: 'invalid',
};

function refused(refusal: TicketRefusal): AppError {
  const details = refusal.code === 'UPLOAD_TICKET_WRONG_KIND' ? { allowed: refusal.allowed } : undefined;
  return new AppError(refusalKind[refusal.code], refusal.code, refusal.message, details);
}

/**
 * The ticket a guest's upload names, when it still lets a file of this kind in; refused otherwise.
 * Read only: the ticket is spent in the transaction that stores the file (spendUploadTicket), so a
 * file refused on the way does not use it up.
 */
export async function usableUploadTicket(
  db: Database,
  token: string,
  kind: UploadKind,
  nowMs: number,
): Promise<{ id: string; purpose: UploadTicketPurpose }> {
  const [row] = await db
    .select()
    .from(uploadTickets)
    .where(eq(uploadTickets.tokenHash, hashToken(token)))
    .limit(1);
  const state = row && {
    purpose: row.purpose,
    expiresAtMs: row.expiresAt.getTime(),
    usedAtMs: row.usedAt?.getTime() ?? null,
  };
  const refusal = ticketRefusal(state, kind, nowMs);
  if (refusal) throw refused(refusal);
  if (!row) throw new Error('a missing ticket is always refused');
  return { id: row.id, purpose: row.purpose };
}

/** Spends the ticket for the file being stored; two files sent on one ticket at once: one wins. */
export async function spendUploadTicket(tx: Transaction, ticketId: string, nowMs: number): Promise<void> {
  const now = new Date(nowMs);
  const spent = await tx
    .update(uploadTickets)
    .set({ usedAt: now })
    .where(
      and(eq(uploadTickets.id, ticketId), isNull(uploadTickets.usedAt), gt(uploadTickets.expiresAt, now)),
    )
    .returning({ id: uploadTickets.id });
  if (spent.length === 0) {
    throw new AppError(
      'conflict',
      'UPLOAD_TICKET_USED',
      'this upload ticket has already been used for a file, or has expired',
    );
  }
}

/** The ticket this token is, for the flow that shows it again to attach the file it brought. */
export async function ticketIdOf(
  db: Database | Transaction,
  token: string,
  purpose: UploadTicketPurpose,
): Promise<string | undefined> {
  const [row] = await db
    .select({ id: uploadTickets.id })
    .from(uploadTickets)
    .where(and(eq(uploadTickets.tokenHash, hashToken(token)), eq(uploadTickets.purpose, purpose)))
    .limit(1);
  return row?.id;
}
