import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { scalarOf } from '../../db/rows.js';
import {
  excessResolutions,
  type ExcessResolution,
  oemClients,
  oemDefectReports,
  oemOrders,
  type OemOrder,
  products,
  remakeOrders,
  type ReplacementShipment,
  replacementShipments,
  uploads,
} from '../../db/schema.js';
import { type Actor, authorize } from '../../domain/access/access.js';
import { lastDayOf, parsePlainDate, Temporal } from '../../domain/calendar.js';
import { type DefectLedger, defectLedger } from '../../domain/oem/defect-ledger.js';
import { type OrderBilling, orderBilling } from '../../domain/oem/excess-resolution.js';
import type { OrderLot } from '../../domain/oem/oem-order.js';
import type { Money } from '../../domain/money.js';
import { policyInForce } from '../../domain/policy/evaluate.js';
import type { OemPolicy, PolicyVersion } from '../../domain/policy/schema.js';
import { auditActor } from '../audit.js';
import { AppError } from '../errors.js';
import type { PolicySource } from '../policies/policy-source.js';
import { type ShipmentFields, shipmentFields } from './shipment-records.js';

/* What the OEM use cases share: loading an order with its policy, its ledger, and the views. */

export type OemDeps = {
  db: Database;
  policies: PolicySource;
  storeTimeZone: string;
  now: () => Temporal.Instant;
};

export const orderNotFound = { code: 'OEM_ORDER_NOT_FOUND', message: 'no such OEM order' };

type Db = Database | Transaction;

export type LoadedOrder = {
  order: OemOrder;
  clientName: string;
  clientEmail: string | null;
  product: { id: string; sku: string; nameEn: string; nameZh: string };
};

export async function loadOrder(
  db: Db,
  orderId: string,
  forUpdate = false,
): Promise<LoadedOrder | undefined> {
  const query = db
    .select({
      order: oemOrders,
      clientName: oemClients.name,
      clientEmail: oemClients.email,
      product: { id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh },
    })
    .from(oemOrders)
    .innerJoin(oemClients, eq(oemClients.id, oemOrders.clientId))
    .innerJoin(products, eq(products.id, oemOrders.productId))
    .where(eq(oemOrders.id, orderId));
  const [row] = forUpdate ? await query.for('update', { of: oemOrders }) : await query;
  return row;
}

/** Bumps an order's version: its ledger or its credits changed, so a screen that read it is stale. */
export async function touchOrders(
  tx: Transaction,
  orderIds: readonly string[],
  now: Temporal.Instant,
): Promise<void> {
  if (orderIds.length === 0) return;
  await tx
    .update(oemOrders)
    .set({ version: sql`${oemOrders.version} + 1`, updatedAt: new Date(now.epochMilliseconds) })
    .where(inArray(oemOrders.id, [...new Set(orderIds)]));
}

/**
 * The order's lots with their units. Orders booked before lot details were kept have only codes: one
 * lot holds the whole order; several share it evenly (the first takes the remainder).
 */
export function lotsOf(order: Pick<OemOrder, 'lots' | 'lotDetails' | 'quantity'>): OrderLot[] {
  if (order.lotDetails.length > 0) return order.lotDetails;
  const n = order.lots.length;
  if (n === 0) return [];
  const share = Math.floor(order.quantity / n);
  return order.lots.map((lot, i) => ({
    lot,
    units: i === 0 ? order.quantity - share * (n - 1) : share,
    serials: null,
  }));
}

export function unitPriceOf(order: Pick<OemOrder, 'unitPriceMinor' | 'currency'>): Money | null {
  return order.unitPriceMinor === null || order.currency === null
    ? null
    : { amountMinor: order.unitPriceMinor, currency: order.currency };
}

/** The policy an order is under: the version it was booked under, or the one in force on delivery. */
export function policyOfOrder(
  versions: readonly PolicyVersion[],
  order: Pick<OemOrder, 'policyVersionId' | 'deliveryDate'>,
): PolicyVersion {
  const booked = versions.find((v) => v.id === order.policyVersionId);
  if (booked) return booked;
  const delivered = parsePlainDate(order.deliveryDate);
  const inForce = 'code' in delivered ? undefined : policyInForce(versions, delivered);
  if (!inForce?.ok) {
    throw new AppError(
      'conflict',
      'NO_POLICY_IN_FORCE',
      `no policy version covers the order delivered ${order.deliveryDate}`,
    );
  }
  return inForce.value;
}

export function defectWindowEnd(
  order: Pick<OemOrder, 'deliveryDate'>,
  policy: OemPolicy,
): Temporal.PlainDate {
  return lastDayOf(Temporal.PlainDate.from(order.deliveryDate), policy.defectWindow);
}

export type ReportRow = typeof oemDefectReports.$inferSelect;

export type OrderLedger = {
  ledger: DefectLedger;
  reports: ReportRow[];
  resolutions: ExcessResolution[];
  resolvedUnits: number;
};

/** The order's ledger, computed from its reports (never stored), and the remedies chosen so far. */
export async function ledgerOfOrder(db: Db, order: OemOrder, policy: OemPolicy): Promise<OrderLedger> {
  const reports = await db
    .select()
    .from(oemDefectReports)
    .where(eq(oemDefectReports.orderId, order.id))
    .orderBy(asc(oemDefectReports.reportedOn), asc(oemDefectReports.id));
  const resolutions = await db
    .select()
    .from(excessResolutions)
    .where(eq(excessResolutions.orderId, order.id))
    .orderBy(asc(excessResolutions.createdAt), asc(excessResolutions.id));
  const ledger = defectLedger({
    allowance: order.spareUnits,
    deliveredOn: Temporal.PlainDate.from(order.deliveryDate),
    defectWindow: policy.defectWindow,
    reports: reports.map((r) => ({
      id: r.id,
      reportedOn: Temporal.PlainDate.from(r.reportedOn),
      units: r.units,
      coveredByRemake: r.remakeOrderId !== null,
      acceptedUnits: r.acceptedUnits,
      rejectedUnits: r.rejectedUnits,
    })),
  });
  return { ledger, reports, resolutions, resolvedUnits: resolutions.reduce((s, r) => s + r.units, 0) };
}

/* Views */

export type OrderRef = { id: string; orderNumber: string };

export type ExcessResolutionView = {
  id: string;
  order: OrderRef;
  clientId: string;
  remedy: ExcessResolution['remedy'];
  units: number;
  credit: { kind: 'units' | 'money'; units: number; amount: Money | null } | null;
  appliedTo: (OrderRef & { appliedAt: string }) | null;
  /** A replacement shipment remedy: the shipment the maker makes of it. */
  replacementShipment: { id: string; shipmentNumber: string; state: ShipmentFields['state'] } | null;
  createdAt: string;
};

async function orderRefs(db: Db, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: oemOrders.id, orderNumber: oemOrders.orderNumber })
    .from(oemOrders)
    .where(inArray(oemOrders.id, wanted));
  return new Map(rows.map((r) => [r.id, r.orderNumber]));
}

export async function resolutionViews(
  db: Db,
  rows: readonly ExcessResolution[],
): Promise<ExcessResolutionView[]> {
  const numbers = await orderRefs(
    db,
    rows.flatMap((r) => [r.orderId, r.appliedToOrderId]),
  );
  const replacementIds = rows.filter((r) => r.remedy === 'replacement_shipment').map((r) => r.id);
  const shipments = new Map(
    (replacementIds.length === 0
      ? []
      : await db
          .select({
            id: replacementShipments.id,
            shipmentNumber: replacementShipments.shipmentNumber,
            state: replacementShipments.state,
            resolutionId: replacementShipments.resolutionId,
          })
          .from(replacementShipments)
          .where(inArray(replacementShipments.resolutionId, replacementIds))
    ).map(({ resolutionId, ...shipment }) => [resolutionId, shipment]),
  );
  return rows.map((r) => ({
    id: r.id,
    order: { id: r.orderId, orderNumber: numbers.get(r.orderId) ?? '' },
    clientId: r.clientId,
    remedy: r.remedy,
    units: r.units,
    credit:
      r.creditKind === null
        ? null
        : {
            kind: r.creditKind,
            units: r.units,
            amount:
              r.creditAmountMinor === null || r.creditCurrency === null
                ? null
                : { amountMinor: r.creditAmountMinor, currency: r.creditCurrency },
          },
    appliedTo:
      r.appliedToOrderId === null || r.appliedAt === null
        ? null
        : {
            id: r.appliedToOrderId,
            orderNumber: numbers.get(r.appliedToOrderId) ?? '',
            appliedAt: r.appliedAt.toISOString(),
          },
    replacementShipment: shipments.get(r.id) ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}

export type RemakeOrderView = ShipmentFields & {
  id: string;
  remakeNumber: string;
  investigationId: string;
  order: OrderRef;
  clientId: string;
  productId: string;
  lot: string;
  units: number;
  createdAt: string;
};

export async function remakeOrderViews(
  db: Db,
  rows: readonly (typeof remakeOrders.$inferSelect)[],
): Promise<RemakeOrderView[]> {
  const numbers = await orderRefs(
    db,
    rows.map((r) => r.orderId),
  );
  return rows.map((r) => ({
    id: r.id,
    remakeNumber: r.remakeNumber,
    investigationId: r.investigationId,
    order: { id: r.orderId, orderNumber: numbers.get(r.orderId) ?? '' },
    clientId: r.clientId,
    productId: r.productId,
    lot: r.lot,
    units: r.units,
    ...shipmentFields(r),
    createdAt: r.createdAt.toISOString(),
  }));
}

export type ReplacementShipmentView = ShipmentFields & {
  id: string;
  shipmentNumber: string;
  resolutionId: string;
  order: OrderRef;
  clientId: string;
  productId: string;
  units: number;
  createdAt: string;
};

export async function replacementShipmentViews(
  db: Db,
  rows: readonly ReplacementShipment[],
): Promise<ReplacementShipmentView[]> {
  const numbers = await orderRefs(
    db,
    rows.map((r) => r.orderId),
  );
  return rows.map((r) => ({
    id: r.id,
    shipmentNumber: r.shipmentNumber,
    resolutionId: r.resolutionId,
    order: { id: r.orderId, orderNumber: numbers.get(r.orderId) ?? '' },
    clientId: r.clientId,
    productId: r.productId,
    units: r.units,
    ...shipmentFields(r),
    createdAt: r.createdAt.toISOString(),
  }));
}

export type OemOrderSummary = {
  id: string;
  orderNumber: string;
  version: number;
  state: OemOrder['state'];
  orderedOn: string;
  /** Why sales declined the request: the client reads it. */
  declineReason: string | null;
  confirmedAt: string | null;
  client: { id: string; name: string };
  product: { id: string; sku: string; name: { en: string; zh: string } };
  quantity: number;
  spareRateBps: number;
  spareUnits: number;
  deliveryDate: string;
  lots: OrderLot[];
  unitPrice: Money | null;
  createdAt: string;
};

export type OemOrderView = OemOrderSummary & {
  policyVersion: string;
  defectWindowEndsOn: string;
  /** Credits from earlier orders this order took, and credits this order's excess gave. */
  nextOrderCredits: { applied: ExcessResolutionView[]; granted: ExcessResolutionView[] };
  billing: OrderBilling;
  remakeOrders: RemakeOrderView[];
  replacementShipments: ReplacementShipmentView[];
};

export function orderSummary(loaded: LoadedOrder): OemOrderSummary {
  const { order } = loaded;
  return {
    id: order.id,
    orderNumber: order.orderNumber,
    version: order.version,
    state: order.state,
    orderedOn: order.orderedOn,
    declineReason: order.declineReason,
    confirmedAt: order.confirmedAt?.toISOString() ?? null,
    client: { id: order.clientId, name: loaded.clientName },
    product: {
      id: loaded.product.id,
      sku: loaded.product.sku,
      name: { en: loaded.product.nameEn, zh: loaded.product.nameZh },
    },
    quantity: order.quantity,
    spareRateBps: order.spareRateBps,
    spareUnits: order.spareUnits,
    deliveryDate: order.deliveryDate,
    lots: lotsOf(order),
    unitPrice: unitPriceOf(order),
    createdAt: order.createdAt.toISOString(),
  };
}

export async function orderView(
  db: Db,
  versions: readonly PolicyVersion[],
  orderId: string,
): Promise<OemOrderView> {
  const loaded = await loadOrder(db, orderId);
  if (!loaded) throw new AppError('not_found', orderNotFound.code, orderNotFound.message);
  const policy = policyOfOrder(versions, loaded.order);
  const credits = await db
    .select()
    .from(excessResolutions)
    .where(
      and(
        eq(excessResolutions.remedy, 'next_order_credit'),
        sql`(${excessResolutions.orderId} = ${orderId} or ${excessResolutions.appliedToOrderId} = ${orderId})`,
      ),
    )
    .orderBy(asc(excessResolutions.createdAt), asc(excessResolutions.id));
  const views = await resolutionViews(db, credits);
  const applied = views.filter((c) => c.appliedTo?.id === orderId);
  const remakes = await db
    .select()
    .from(remakeOrders)
    .where(eq(remakeOrders.orderId, orderId))
    .orderBy(asc(remakeOrders.createdAt), asc(remakeOrders.remakeNumber));
  return {
    ...orderSummary(loaded),
    policyVersion: policy.id,
    defectWindowEndsOn: defectWindowEnd(loaded.order, policy.oem).toString(),
    nextOrderCredits: { applied, granted: views.filter((c) => c.order.id === orderId) },
    billing: orderBilling(
      { quantity: loaded.order.quantity, unitPrice: unitPriceOf(loaded.order) },
      applied.flatMap((c) =>
        c.credit ? [{ kind: c.credit.kind, units: c.credit.units, amount: c.credit.amount }] : [],
      ),
    ),
    remakeOrders: await remakeOrderViews(db, remakes),
    replacementShipments: await replacementShipmentViews(
      db,
      await db
        .select()
        .from(replacementShipments)
        .where(eq(replacementShipments.orderId, orderId))
        .orderBy(asc(replacementShipments.createdAt), asc(replacementShipments.shipmentNumber)),
    ),
  };
}

/**
 * Evidence files for a report or an investigation: uploads that exist and that the actor may attach
 * (its own, or — for staff who may read every upload — any a guest did not send on a ticket). Anything
 * else is refused as unknown.
 */
export async function checkEvidence(db: Db, actor: Actor, uploadIds: readonly string[]): Promise<string[]> {
  const ids = [...new Set(uploadIds)];
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: uploads.id, uploadedBy: uploads.uploadedBy, ticketId: uploads.ticketId })
    .from(uploads)
    .where(inArray(uploads.id, ids))
    // Held until the evidence rows are written, so the unclaimed-upload job cannot delete a file
    // between this check and the insert that refers to it (see runUnclaimedUploadCleanup).
    .for('key share');
  const mayReadAll = authorize(actor, 'uploads.read', {}) === 'allowed';
  // A guest's file came for the flow its ticket names, and is attached only through it.
  const usable = new Set(
    rows
      .filter((r) => r.uploadedBy === auditActor(actor) || (mayReadAll && r.ticketId === null))
      .map((r) => r.id),
  );
  const unknown = ids.filter((id) => !usable.has(id));
  if (unknown.length > 0) {
    throw new AppError('invalid', 'EVIDENCE_NOT_FOUND', 'attach files you uploaded through /api/v1/uploads', {
      field: 'evidenceUploadIds',
      unknown,
    });
  }
  return ids;
}

/** Where the client is written to: its e-mail address, else its role's outbox queue is enough. */
export function clientRecipient(loaded: Pick<LoadedOrder, 'clientEmail'>): string | null {
  return loaded.clientEmail;
}

/**
 * `OEM-2026-000123` / `RMK-2026-000123`: the store's year, then a database sequence, unique across
 * processes (a rolled-back transaction may leave a gap).
 */
export async function nextNumber(
  tx: Transaction,
  sequence:
    'oem_order_number_seq' | 'remake_order_number_seq' | 'replacement_shipment_number_seq' | 'rma_number_seq',
  prefix: 'OEM' | 'RMK' | 'RPL' | 'RMA',
  year: number,
): Promise<string> {
  const n = scalarOf(await tx.execute(sql`select nextval(${sql.raw(`'${sequence}'`)})::text as n`), 'n');
  if (typeof n !== 'string') throw new Error(`the ${sequence} sequence returned nothing`);
  return `${prefix}-${year}-${n.padStart(6, '0')}`;
}
