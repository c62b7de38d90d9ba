import { and, eq, type SQL } from 'drizzle-orm';
import { dealers, endUsers, outbox, products, purchases, units } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import { calendarDateIn, parseCalendarInput, Temporal } from '../../domain/calendar.js';
import {
  changesOf,
  moveVerification,
  purchaseDateProblem,
  type VerificationEvent,
  type VerificationState,
} from '../../domain/purchases/verification.js';
import { textProblem } from '../../domain/text.js';
import { assertAllowed, forbidden } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { verificationMessage } from './messages.js';
import { releaseUnitOfRejected } from './sales.js';
import type { CursorScope } from '../lists/cursor.js';
import { keysetQuery, type Page, pageOf } from '../lists/keyset.js';
import {
  purchaseNotFound,
  purchaseRows,
  type PurchasesDeps,
  purchaseViews,
  type PurchaseView,
} from './purchase-view.js';
import { redecideClaims } from './redecide-claims.js';
import { recordPurchaseEvents } from './purchase-events.js';

export type VerifyPurchaseInput =
  | { decision: 'confirm' }
  | { decision: 'correct'; purchaseDate?: string | undefined; dealerId?: string | undefined }
  | { decision: 'reject'; reason: string };

const eventOf: Record<VerifyPurchaseInput['decision'], VerificationEvent> = {
  confirm: 'confirm',
  correct: 'correct',
  reject: 'reject',
};

const dealerNotFound = { code: 'DEALER_NOT_FOUND', message: 'no such dealer' };

export type VerificationQueueQuery = {
  state: VerificationState;
  limit: number;
  cursor?: string | undefined;
};

/**
 * The registrations waiting for a check, oldest recorded first, one keyset page at a time, each with its
 * proof: every one for support, the ones naming a dealer for that dealer. The scope is a WHERE clause,
 * never a filter after the fact.
 */
export async function listPurchaseVerifications(
  deps: PurchasesDeps,
  actor: Actor,
  query: VerificationQueueQuery,
): Promise<Page<PurchaseView>> {
  const filter = listFilter(actor, 'purchases.verify');
  if (filter.kind === 'none') throw forbidden();
  let scope: SQL | undefined;
  if (filter.kind === 'scope') {
    if (!filter.owners.dealerId) return { items: [], nextCursor: null };
    scope = eq(purchases.dealerId, filter.owners.dealerId);
  }
  const cursorScope: CursorScope = { list: 'purchase-verifications', sort: 'createdAt', order: 'asc' };
  const k = keysetQuery({
    scope: cursorScope,
    key: { expr: purchases.createdAt, type: 'timestamptz' },
    id: purchases.id,
    limit: query.limit,
    cursor: query.cursor,
  });
  const rows = await purchaseRows(
    deps,
    deps.db,
    and(eq(purchases.verification, query.state), scope, k.after),
    {
      orderBy: k.orderBy,
      limit: query.limit + 1,
      keyText: k.keyText,
    },
  );
  return pageOf(rows, query.limit, cursorScope, (r) => r.view);
}

/** One registration as its checker sees it: another dealer's is a 404. */
export async function getPurchaseVerification(
  deps: PurchasesDeps,
  actor: Actor,
  purchaseId: string,
): Promise<PurchaseView> {
  const [view] = await purchaseViews(deps, deps.db, eq(purchases.id, purchaseId));
  if (!view) throw new AppError('not_found', purchaseNotFound.code, purchaseNotFound.message);
  assertAllowed(actor, 'purchases.verify', { dealerId: view.dealer?.id ?? null }, purchaseNotFound);
  return view;
}

/**
 * A dealer (only the one the registration names) or support checks a customer's registration against
 * its proof: confirms it, corrects its purchase date and/or dealer and confirms it, or rejects it with
 * a reason the customer reads. One decision per registration: the row is locked and must be pending.
 * A corrected date is checked like a sale's (not in the future, not before the unit left the maker) and
 * decides the open claims on the purchase again. Audited with who and what changed, from → to; the
 * customer is told, in the same transaction.
 */
export async function verifyPurchase(
  deps: PurchasesDeps,
  actor: Actor,
  purchaseId: string,
  input: VerifyPurchaseInput,
): Promise<PurchaseView> {
  const now = deps.now();
  const today = calendarDateIn(now, deps.storeTimeZone);
  const at = new Date(now.epochMilliseconds);
  // Read before the transaction: on PGlite (one connection) the policy source must not wait on it.
  const versions = await deps.policies.versions();

  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        purchase: purchases,
        madeOn: units.madeOn,
        nameEn: products.nameEn,
        nameZh: products.nameZh,
      })
      .from(purchases)
      .innerJoin(products, eq(products.id, purchases.productId))
      .leftJoin(units, eq(units.id, purchases.unitId))
      .where(eq(purchases.id, purchaseId))
      .for('update', { of: purchases });
    if (!row) throw new AppError('not_found', purchaseNotFound.code, purchaseNotFound.message);
    const { purchase } = row;
    assertAllowed(actor, 'purchases.verify', { dealerId: purchase.dealerId }, purchaseNotFound);

    const move = moveVerification(purchase.verification, eventOf[input.decision]);
    if (!move.ok) {
      throw new AppError(
        'conflict',
        move.code,
        `this purchase is ${purchase.verification}; only a pending registration is confirmed, corrected or rejected`,
        { verification: purchase.verification },
      );
    }

    let corrected: { purchaseDate?: string; dealerId?: string } = {};
    let dealerNames: { name: string; nameZh: string | null } | undefined;
    if (input.decision === 'correct') {
      if (input.dealerId !== undefined) {
        // A dealer confirms sales as its own; naming another dealer is as if that dealer did not exist.
        assertAllowed(actor, 'purchases.verify', { dealerId: input.dealerId }, dealerNotFound);
        const [dealer] = await tx
          .select({ id: dealers.id, name: dealers.name, nameZh: dealers.nameZh })
          .from(dealers)
          .where(eq(dealers.id, input.dealerId));
        if (!dealer) throw new AppError('not_found', dealerNotFound.code, dealerNotFound.message);
        corrected.dealerId = dealer.id;
        dealerNames = { name: dealer.name, nameZh: dealer.nameZh };
      }
      if (input.purchaseDate !== undefined) {
        const parsed = parseCalendarInput(input.purchaseDate.trim(), deps.storeTimeZone);
        if ('code' in parsed) {
          throw new AppError('invalid', 'INVALID_DATE', parsed.message, { field: 'purchaseDate' });
        }
        if (Temporal.PlainDate.compare(parsed, today) > 0) {
          throw new AppError(
            'invalid',
            'PURCHASE_DATE_IN_FUTURE',
            `${parsed.toString()} is after today (${today.toString()})`,
            { field: 'purchaseDate' },
          );
        }
        corrected.purchaseDate = parsed.toString();
      }
      const changes = changesOf(purchase, corrected);
      if (changes.purchaseDate === undefined && changes.dealerId === undefined) {
        throw new AppError(
          'invalid',
          'CORRECTION_CHANGES_NOTHING',
          'a correction changes the purchase date or the dealer; to accept the registration as it is, confirm it',
          { field: 'purchaseDate' },
        );
      }
      corrected = {
        ...(changes.purchaseDate ? { purchaseDate: changes.purchaseDate.to } : {}),
        ...(changes.dealerId?.to ? { dealerId: changes.dealerId.to } : {}),
      };
      if (!changes.dealerId) dealerNames = undefined;
    }
    const purchaseDate = corrected.purchaseDate ?? purchase.purchaseDate;
    if (move.to === 'verified') {
      const problem = purchaseDateProblem(
        Temporal.PlainDate.from(purchaseDate),
        row.madeOn === null ? null : Temporal.PlainDate.from(row.madeOn),
      );
      if (problem) {
        throw new AppError('unprocessable', problem.code, problem.message, {
          field: 'purchaseDate',
          madeOn: problem.madeOn,
        });
      }
    }

    let reason: string | undefined;
    if (input.decision === 'reject') {
      reason = input.reason.trim();
      const bad = textProblem(reason, { multiline: true });
      if (reason === '' || bad) {
        throw new AppError(
          'invalid',
          bad?.code ?? 'REASON_REQUIRED',
          bad?.message ?? 'say why the registration is rejected: the customer reads it',
          { field: 'reason' },
        );
      }
    }

    const changes = changesOf(purchase, corrected);
    const [updated] = await tx
      .update(purchases)
      .set({
        ...corrected,
        verification: move.to,
        verifiedBy: auditActor(actor),
        verifiedAt: at,
        rejectionCode: move.to === 'rejected' ? 'REJECTED_BY_CHECKER' : null,
        rejectionReason: reason ?? null,
      })
      .where(and(eq(purchases.id, purchase.id), eq(purchases.verification, 'pending')))
      .returning({ id: purchases.id });
    if (!updated) throw new Error('the purchase locked for its check was not updated');
    if (move.to === 'rejected') await releaseUnitOfRejected(tx, purchase.id);

    if (changes.purchaseDate) {
      await redecideClaims(
        tx,
        { versions, storeTimeZone: deps.storeTimeZone, actor, at },
        purchase.id,
        changes.purchaseDate.to,
      );
    }
    await recordAudit(tx, actor, {
      action: move.to === 'verified' ? 'purchase.verified' : 'purchase.rejected',
      entityType: 'purchase',
      entityId: purchase.id,
      data:
        move.to === 'verified'
          ? { via: 'check', decision: input.decision, changes }
          : { via: 'check', rejectionCode: 'REJECTED_BY_CHECKER', reason },
    });
    if (move.to === 'verified') {
      await recordPurchaseEvents(tx, { ...deps, versions }, 'purchase.verified', [purchase.id], at);
    }

    const [customer] = await tx
      .select({ name: endUsers.name, email: endUsers.email, phone: endUsers.phone })
      .from(endUsers)
      .where(eq(endUsers.id, purchase.endUserId));
    const recipient = customer?.email ?? customer?.phone;
    if (customer && recipient) {
      const product = { en: row.nameEn, zh: row.nameZh };
      const message = verificationMessage(
        customer.name,
        product,
        input.decision === 'confirm'
          ? { kind: 'confirmed' }
          : input.decision === 'correct'
            ? { kind: 'corrected', purchaseDate: changes.purchaseDate?.to, dealer: dealerNames }
            : { kind: 'rejected', reason: reason ?? '' },
      );
      await tx.insert(outbox).values({
        topic: move.to === 'verified' ? 'purchase.verified' : 'purchase.rejected',
        recipient,
        subject: message.subject,
        body: message.body,
        payload: { purchaseId: purchase.id, decision: input.decision },
      });
    }
  });
  // After the commit: the warranty status reads the policy versions.
  const [view] = await purchaseViews(deps, deps.db, eq(purchases.id, purchaseId));
  if (!view) throw new Error('the checked purchase is not there');
  return view;
}
