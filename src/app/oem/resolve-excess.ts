import { eq } from 'drizzle-orm';
import { isUniqueViolation } from '../../db/errors.js';
import { type ExcessResolution, excessResolutions, outbox } from '../../db/schema.js';
import { grantExcessRemedy } from './costs/grant-excess-remedy.js';
import { type Actor, authorize } from '../../domain/access/access.js';
import {
  type ExcessRemedyChoice,
  resolveExcess as decideExcess,
} from '../../domain/oem/excess-resolution.js';
import { calendarDateIn } from '../../domain/calendar.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import type { ExcessChoice } from '../messages/en.js';
import { bilingual } from '../messages/index.js';
import { AppError } from '../errors.js';
import { assertVersion } from '../optimistic-lock.js';
import { formatMoney, roleRecipient } from '../service-messages.js';
import {
  type ExcessResolutionView,
  ledgerOfOrder,
  loadOrder,
  type OemDeps,
  orderNotFound,
  policyOfOrder,
  resolutionViews,
  touchOrders,
  unitPriceOf,
} from './oem-records.js';
import { recordResolutionEvents } from './oem-events.js';

export type ResolveExcessInput = ExcessRemedyChoice & {
  /** The order's version the client read the ledger at: a choice on a stale ledger is refused. */
  expectedVersion: number;
  idempotencyKey?: string | undefined;
};

export type ResolvedExcess = ExcessResolutionView & { orderVersion: number; replayed: boolean };

const creditKindOf = (choice: ExcessRemedyChoice) =>
  choice.remedy === 'next_order_credit' ? choice.credit : null;

/** A key names one choice: the same key for another order or another remedy is a client bug. */
function assertSameChoice(
  actor: Actor,
  row: ExcessResolution,
  orderId: string,
  input: ResolveExcessInput,
): void {
  const same =
    row.orderId === orderId &&
    authorize(actor, 'oemExcess.resolve', { oemClientId: row.clientId }) === 'allowed' &&
    row.remedy === input.remedy &&
    row.creditKind === creditKindOf(input) &&
    (input.units === undefined || row.units === input.units);
  if (!same) {
    throw new AppError(
      'conflict',
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used for a different choice; use a new key for a new choice',
    );
  }
}

async function replay(deps: OemDeps, row: ExcessResolution): Promise<ResolvedExcess> {
  const [view] = await resolutionViews(deps.db, [row]);
  const order = await loadOrder(deps.db, row.orderId);
  if (!view || !order) throw new Error('the replayed resolution has no order');
  return { ...view, orderVersion: order.order.version, replayed: true };
}

async function byKey(deps: OemDeps, key: string): Promise<ExcessResolution | undefined> {
  const [row] = await deps.db
    .select()
    .from(excessResolutions)
    .where(eq(excessResolutions.idempotencyKey, key));
  return row;
}

/**
 * The client chooses what happens to the excess defects of one order (policy clause OEM 1): new units
 * shipped to replace them, or a credit on its next order in units or money. Checked against the ledger
 * it read (the order's version) and written with its audit event and messages in one transaction; a
 * retry with the same Idempotency-Key answers with the first choice.
 */
export async function resolveExcess(
  deps: OemDeps,
  actor: Actor,
  orderId: string,
  input: ResolveExcessInput,
): Promise<ResolvedExcess> {
  if (input.idempotencyKey) {
    const earlier = await byKey(deps, input.idempotencyKey);
    if (earlier) {
      assertSameChoice(actor, earlier, orderId, input);
      return replay(deps, earlier);
    }
  }
  const versions = await deps.policies.versions();
  try {
    const row = await deps.db.transaction(async (tx) => {
      const loaded = await loadOrder(tx, orderId, true);
      if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
      const { order } = loaded;
      assertAllowed(actor, 'oemExcess.resolve', { oemClientId: order.clientId }, orderNotFound);
      assertVersion('OEM order', order, input.expectedVersion);
      const policy = policyOfOrder(versions, order);
      const { ledger, resolvedUnits } = await ledgerOfOrder(tx, order, policy.oem);
      const decided = decideExcess({
        excess: ledger.excess,
        resolvedUnits,
        unitPrice: unitPriceOf(order),
        offered: policy.oem.excessRemedies.map((r) => r.code),
        choice: input,
      });
      if (!decided.ok) {
        const kind =
          decided.error.code === 'UNITS_EXCEED_EXCESS' ||
          decided.error.code === 'INVALID_UNITS' ||
          decided.error.code === 'AMOUNT_OUT_OF_RANGE'
            ? 'invalid'
            : 'conflict';
        throw new AppError(kind, decided.error.code, decided.error.message, {
          excess: ledger.excess,
          unresolvedExcess: decided.error.unresolvedExcess,
        });
      }
      const r = decided.resolution;
      // The one place a credit or a replacement is created (four-eyes approval wires in there).
      const { resolution: inserted, shipment } = await grantExcessRemedy(tx, {
        actor,
        order,
        decision: r,
        idempotencyKey: input.idempotencyKey ?? null,
        year: calendarDateIn(deps.now(), deps.storeTimeZone).year,
      });
      await touchOrders(tx, [order.id], deps.now());
      await recordAudit(tx, actor, {
        action: 'oem_excess.resolved',
        entityType: 'excess_resolution',
        entityId: inserted.id,
        data: {
          orderId: order.id,
          remedy: r.remedy,
          units: r.units,
          creditKind: r.creditKind,
          creditAmount: r.creditAmount,
          excess: ledger.excess,
          resolvedBefore: resolvedUnits,
        },
      });
      if (shipment) {
        await recordAudit(tx, actor, {
          action: 'replacement_shipment.planned',
          entityType: 'replacement_shipment',
          entityId: shipment.id,
          data: {
            resolutionId: inserted.id,
            orderId: order.id,
            units: shipment.units,
            shippingMode: shipment.shippingMode,
            shipmentNumber: shipment.shipmentNumber,
          },
        });
      }
      const choice: ExcessChoice =
        r.remedy === 'replacement_shipment'
          ? { kind: 'replacement_shipment', units: r.units, shipmentNumber: shipment?.shipmentNumber ?? '' }
          : r.creditKind === 'units'
            ? { kind: 'units_credit', units: r.units, sku: loaded.product.sku }
            : { kind: 'amount_credit', amount: r.creditAmount ? formatMoney(r.creditAmount) : '' };
      const facts = { orderNumber: order.orderNumber, clientName: loaded.clientName, choice };
      await tx.insert(outbox).values([
        {
          topic: 'oem_excess.resolved',
          recipient: roleRecipient('sales'),
          ...bilingual((m) => m.oem.excessResolvedForSales(facts)),
          payload: {
            resolutionId: inserted.id,
            orderId: order.id,
            ...(shipment ? { replacementShipmentId: shipment.id } : {}),
          },
        },
        ...(loaded.clientEmail
          ? [
              {
                topic: 'oem_excess.resolved',
                recipient: loaded.clientEmail,
                ...bilingual((m) => m.oem.excessResolved(facts)),
                payload: {
                  resolutionId: inserted.id,
                  orderId: order.id,
                  ...(shipment ? { replacementShipmentId: shipment.id } : {}),
                },
              },
            ]
          : []),
      ]);
      await recordResolutionEvents(tx, 'oem_excess.resolved', [inserted.id], deps.now());
      return inserted;
    });
    const [view] = await resolutionViews(deps.db, [row]);
    if (!view) throw new Error('no view of the resolution');
    return { ...view, orderVersion: input.expectedVersion + 1, replayed: false };
  } catch (err) {
    // Two retries raced: the loser's insert hit the key the winner wrote; answer with the winner's choice.
    if (input.idempotencyKey && isUniqueViolation(err)) {
      const winner = await byKey(deps, input.idempotencyKey);
      if (winner) {
        assertSameChoice(actor, winner, orderId, input);
        return replay(deps, winner);
      }
    }
    throw err;
  }
}
