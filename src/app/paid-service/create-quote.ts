import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { claims, endUsers, maintenanceOrders, quotes } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import { type QuoteLine, quantityTenths, quoteTotal } from '../../domain/paid-service/quote.js';
import { assertAllowed } from '../access.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { quoteView, type QuoteView } from './quotes.js';

/** A line as it is asked for: its quantity as people write it (1.5), stored in tenths. */
export type QuoteLineInput = Omit<QuoteLine, 'quantityTenths'> & { quantity: number };

export type CreateQuoteInput = {
  lines: QuoteLineInput[];
  /** The maintenance order whose inspection found misuse; by default the claim's latest order, if any. */
  maintenanceOrderId?: string | undefined;
};

const claimNotFound = { code: 'CLAIM_NOT_FOUND', message: 'no such claim' };

/**
 * Sales, or an engineer of the center holding the product, prices parts and labour. Only where the
 * policy makes the customer pay: a claim decided as paid (after the warranty, or misuse), or a
 * maintenance order whose inspection found misuse. The quote starts as a draft; sending it asks the
 * customer.
 */
export async function createQuote(
  deps: { db: Database },
  actor: Actor,
  claimId: string,
  input: CreateQuoteInput,
): Promise<QuoteView> {
  const lines: QuoteLine[] = [];
  for (const [index, { quantity, ...line }] of input.lines.entries()) {
    const tenths = quantityTenths(quantity);
    if (typeof tenths !== 'number') {
      throw new AppError('invalid', tenths.code, tenths.message, {
        field: `lines.${index}.quantity`,
        reason: tenths.reason,
      });
    }
    lines.push({ ...line, quantityTenths: tenths });
  }
  const total = quoteTotal(lines);
  if ('code' in total) throw new AppError('invalid', total.code, total.message, { field: 'lines' });

  return deps.db.transaction(async (tx) => {
    const [claim] = await tx
      .select({
        id: claims.id,
        endUserId: claims.endUserId,
        status: claims.status,
        decision: claims.decision,
        customer: { name: endUsers.name, email: endUsers.email, phone: endUsers.phone },
      })
      .from(claims)
      .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
      .where(eq(claims.id, claimId));
    if (!claim) throw new AppError('not_found', claimNotFound.code, claimNotFound.message);

    const orderColumns = {
      id: maintenanceOrders.id,
      state: maintenanceOrders.state,
      serviceCenterId: maintenanceOrders.serviceCenterId,
      maintenanceNumber: maintenanceOrders.maintenanceNumber,
    };
    const [order] = input.maintenanceOrderId
      ? await tx
          .select(orderColumns)
          .from(maintenanceOrders)
          .where(
            and(eq(maintenanceOrders.id, input.maintenanceOrderId), eq(maintenanceOrders.claimId, claim.id)),
          )
      : await tx
          .select(orderColumns)
          .from(maintenanceOrders)
          .where(eq(maintenanceOrders.claimId, claim.id))
          .orderBy(desc(maintenanceOrders.createdAt))
          .limit(1);

    // The engineers of the order's center quote it; without an order, only sales may.
    assertAllowed(
      actor,
      'quotes.manage',
      { endUserId: claim.endUserId, serviceCenterId: order?.serviceCenterId },
      claimNotFound,
    );
    if (input.maintenanceOrderId && !order) {
      throw new AppError(
        'not_found',
        'MAINTENANCE_ORDER_NOT_FOUND',
        'no such maintenance order on this claim',
      );
    }
    if (claim.status === 'withdrawn') {
      throw new AppError('conflict', 'CLAIM_CLOSED', 'this claim was withdrawn', { status: claim.status });
    }
    if (!claim.decision.paid && order?.state !== 'paidService') {
      throw new AppError(
        'conflict',
        'PAID_SERVICE_NOT_OFFERED',
        'this claim is covered by the warranty: a quote needs a claim decided as paid service (after the warranty or for misuse), or a maintenance order whose inspection found misuse',
        {
          window: claim.decision.window,
          paid: claim.decision.paid,
          maintenanceOrderState: order?.state ?? null,
        },
      );
    }

    const [quote] = await tx
      .insert(quotes)
      .values({
        claimId: claim.id,
        maintenanceOrderId: order?.id ?? null,
        lines,
        totalMinor: total.amountMinor,
        currency: total.currency,
        quotedBy: auditActor(actor),
      })
      .returning();
    if (!quote) throw new Error('insert returned no quote');
    await recordAudit(tx, actor, {
      action: 'quote.created',
      entityType: 'quote',
      entityId: quote.id,
      data: {
        claimId: claim.id,
        maintenanceOrderId: quote.maintenanceOrderId,
        total,
        lines: lines.length,
      },
    });
    return quoteView(quote, order?.maintenanceNumber ?? null, claim.customer);
  });
}
