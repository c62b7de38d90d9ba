import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { openShipmentStates } from '../../domain/oem/shipment.js';
import type { Transaction } from '../../db/client.js';
import {
  type BatchDefectInvestigation,
  makerCostEntries,
  type MakerCostKind,
  oemClients,
  oemDefectReports,
  outbox,
  remakeOrders,
  type RemakeOrder,
} from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Temporal } from '../../domain/calendar.js';
import type { OemPolicy } from '../../domain/policy/schema.js';
import { type MoneyError, multiplyAmount } from '../../domain/money.js';
import { auditActor, recordAudit } from '../audit.js';
import { bilingual } from '../messages/index.js';
import { AppError } from '../errors.js';
import { formatMoney, roleRecipient } from '../service-messages.js';
import { nextNumber } from './oem-records.js';

/*
 * A confirmed batch defect (policy clause OEM 2): the maker remakes the defective units of each client
 * order and lot, ships them by air, and books every cost on its own ledger. The reports the remake
 * covers point at it, which is what keeps them off the order's spares.
 */

/** An amount worked out from a request, or the request's refusal: no column takes one past the range. */
function amountOrRefuse(amount: number | MoneyError, what: string): number {
  if (typeof amount === 'number') return amount;
  throw new AppError('invalid', 'AMOUNT_OUT_OF_RANGE', `${what}: ${amount.message}`);
}

export type RemakeCosts = { unitCostMinor: number; airFreightMinor: number; currency: string };

export function costsOf(inv: BatchDefectInvestigation): RemakeCosts | undefined {
  if (inv.remakeUnitCostMinor === null || inv.airFreightMinor === null || inv.costCurrency === null)
    return undefined;
  return {
    unitCostMinor: inv.remakeUnitCostMinor,
    airFreightMinor: inv.airFreightMinor,
    currency: inv.costCurrency,
  };
}

async function bookCost(
  tx: Transaction,
  actor: Actor | 'system',
  remake: RemakeOrder,
  entry: {
    kind: MakerCostKind;
    units: number | null;
    amountMinor: number;
    currency: string;
    note: string;
    bookedOn: string;
  },
): Promise<void> {
  const [row] = await tx
    .insert(makerCostEntries)
    .values({
      kind: entry.kind,
      remakeOrderId: remake.id,
      investigationId: remake.investigationId,
      clientId: remake.clientId,
      productId: remake.productId,
      lot: remake.lot,
      units: entry.units,
      amountMinor: entry.amountMinor,
      currency: entry.currency,
      note: entry.note,
      bookedOn: entry.bookedOn,
      recordedBy: auditActor(actor),
    })
    .returning({ id: makerCostEntries.id });
  if (!row) throw new Error('insert returned no cost entry');
  await recordAudit(tx, actor, {
    action: 'maker_cost.booked',
    entityType: 'maker_cost_entry',
    entityId: row.id,
    data: { remakeOrderId: remake.id, ...entry },
  });
}

/**
 * Puts reported units of one client order and lot under the investigation's remake: more units on the
 * one that has not left yet (planned or in production: their cost booked, they travel in the same
 * shipment), or else a new remake order (its units and its own air freight booked) — once a remake
 * shipped or was cancelled, later units need a shipment of their own. The reports then point at it.
 */
export async function remakeUnits(
  tx: Transaction,
  args: {
    actor: Actor;
    investigation: BatchDefectInvestigation;
    costs: RemakeCosts;
    policy: OemPolicy;
    order: { id: string; orderNumber: string; clientId: string; productId: string };
    lot: string;
    reportIds: readonly string[];
    units: number;
    today: Temporal.PlainDate;
    now: Temporal.Instant;
  },
): Promise<RemakeOrder> {
  const { investigation: inv, costs, order, lot, units } = args;
  const bookedOn = args.today.toString();
  const [existing] = await tx
    .select()
    .from(remakeOrders)
    .where(
      and(
        eq(remakeOrders.investigationId, inv.id),
        eq(remakeOrders.orderId, order.id),
        eq(remakeOrders.lot, lot),
        inArray(remakeOrders.state, [...openShipmentStates]),
      ),
    )
    .for('update');
  let remake: RemakeOrder;
  if (existing) {
    const [updated] = await tx
      .update(remakeOrders)
      // A new version: a screen that read the remake before it grew is stale.
      .set({
        units: sql`${remakeOrders.units} + ${units}`,
        version: sql`${remakeOrders.version} + 1`,
        updatedAt: new Date(args.now.epochMilliseconds),
      })
      .where(eq(remakeOrders.id, existing.id))
      .returning();
    if (!updated) throw new Error('the locked remake order was not updated');
    remake = updated;
    await recordAudit(tx, args.actor, {
      action: 'remake_order.extended',
      entityType: 'remake_order',
      entityId: remake.id,
      data: { units, total: remake.units, reportIds: args.reportIds },
    });
  } else {
    const [created] = await tx
      .insert(remakeOrders)
      .values({
        remakeNumber: await nextNumber(tx, 'remake_order_number_seq', 'RMK', args.today.year),
        investigationId: inv.id,
        orderId: order.id,
        clientId: order.clientId,
        productId: order.productId,
        lot,
        units,
        state: 'planned',
        shippingMode: args.policy.batchDefect.shipping,
      })
      .returning();
    if (!created) throw new Error('insert returned no remake order');
    remake = created;
    await recordAudit(tx, args.actor, {
      action: 'remake_order.created',
      entityType: 'remake_order',
      entityId: remake.id,
      data: {
        investigationId: inv.id,
        orderId: order.id,
        lot,
        units,
        shippingMode: remake.shippingMode,
        rootCause: inv.rootCause,
        reportIds: args.reportIds,
      },
    });
    await bookCost(tx, args.actor, remake, {
      kind: 'air_freight',
      units: null,
      amountMinor: costs.airFreightMinor,
      currency: costs.currency,
      note: `air freight of ${remake.remakeNumber}`,
      bookedOn,
    });
  }
  await bookCost(tx, args.actor, remake, {
    kind: 'remake_units',
    units,
    amountMinor: amountOrRefuse(multiplyAmount(units, costs.unitCostMinor), 'the remade units'),
    currency: costs.currency,
    note: `${units} remade unit${units === 1 ? '' : 's'} of lot ${lot} at ${formatMoney({ amountMinor: costs.unitCostMinor, currency: costs.currency })}`,
    bookedOn,
  });
  if (args.reportIds.length > 0) {
    await tx
      .update(oemDefectReports)
      .set({ remakeOrderId: remake.id })
      .where(and(inArray(oemDefectReports.id, [...args.reportIds]), isNull(oemDefectReports.remakeOrderId)));
  }

  const [client] = await tx
    .select({ email: oemClients.email })
    .from(oemClients)
    .where(eq(oemClients.id, order.clientId));
  await tx.insert(outbox).values({
    topic: 'remake_order.units',
    recipient: client?.email ?? roleRecipient('sales'),
    ...bilingual((m) =>
      m.oem.remakeOrdered({
        remakeNumber: remake.remakeNumber,
        orderNumber: order.orderNumber,
        lot,
        rootCause: inv.rootCause ?? '',
        units,
        totalUnits: remake.units,
        mode: remake.shippingMode,
      }),
    ),
    payload: { remakeOrderId: remake.id, orderId: order.id, units },
  });
  return remake;
}
