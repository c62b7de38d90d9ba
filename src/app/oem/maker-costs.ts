import { and, asc, desc, eq } from 'drizzle-orm';
import { csvCell } from '../../domain/csv.js';
import { makerCostEntries, type MakerCostKind, oemClients, products, remakeOrders } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { ShipmentState } from '../../domain/oem/shipment.js';
import { assertAllowed, forbidden } from '../access.js';
import { calendarDateIn } from '../../domain/calendar.js';
import { type Money, minorDigits, money } from '../../domain/money.js';
import { recordAudit, auditActor } from '../audit.js';
import { AppError } from '../errors.js';
import { assertMay } from './lot-defect-rates.js';
import { remakeNotFound } from './move-remake-order.js';
import { type OemDeps, type RemakeOrderView, remakeOrderViews } from './oem-records.js';

/*
 * The maker's cost ledger of batch defects: one entry per cost (remade units, air freight, anything
 * else), never edited — a correction is another entry. Viewed per client, product and lot, and
 * exported as CSV for accounting.
 */

export type CostEntryView = {
  id: string;
  kind: MakerCostKind;
  remakeOrder: { id: string; remakeNumber: string };
  investigationId: string;
  client: { id: string; name: string };
  product: { id: string; sku: string };
  lot: string;
  units: number | null;
  amount: Money;
  note: string | null;
  bookedOn: string;
  recordedBy: string;
  createdAt: string;
};

export type CostTotal = {
  client: { id: string; name: string };
  product: { id: string; sku: string };
  lot: string;
  currency: string;
  amountMinor: number;
  /** Remade units (entries of kind remake_units). */
  units: number;
};

export type MakerCostLedger = {
  entries: CostEntryView[];
  /** Per client, product, lot and currency. */
  totals: CostTotal[];
  /** Per currency, over the entries shown. */
  total: Money[];
};

export type CostFilter = {
  clientId?: string | undefined;
  productId?: string | undefined;
  lot?: string | undefined;
};

async function entries(deps: OemDeps, filter: CostFilter): Promise<CostEntryView[]> {
  const rows = await deps.db
    .select({
      entry: makerCostEntries,
      remakeNumber: remakeOrders.remakeNumber,
      clientName: oemClients.name,
      sku: products.sku,
    })
    .from(makerCostEntries)
    .innerJoin(remakeOrders, eq(remakeOrders.id, makerCostEntries.remakeOrderId))
    .innerJoin(oemClients, eq(oemClients.id, makerCostEntries.clientId))
    .innerJoin(products, eq(products.id, makerCostEntries.productId))
    .where(
      and(
        filter.clientId ? eq(makerCostEntries.clientId, filter.clientId) : undefined,
        filter.productId ? eq(makerCostEntries.productId, filter.productId) : undefined,
        filter.lot ? eq(makerCostEntries.lot, filter.lot) : undefined,
      ),
    )
    // Entries of one transaction share created_at: the kind keeps a remake's freight before its units.
    .orderBy(
      asc(makerCostEntries.bookedOn),
      asc(makerCostEntries.createdAt),
      asc(makerCostEntries.kind),
      asc(makerCostEntries.id),
    );
  return rows.map(({ entry: e, remakeNumber, clientName, sku }) => ({
    id: e.id,
    kind: e.kind,
    remakeOrder: { id: e.remakeOrderId, remakeNumber },
    investigationId: e.investigationId,
    client: { id: e.clientId, name: clientName },
    product: { id: e.productId, sku },
    lot: e.lot,
    units: e.units,
    amount: { amountMinor: e.amountMinor, currency: e.currency },
    note: e.note,
    bookedOn: e.bookedOn,
    recordedBy: e.recordedBy,
    createdAt: e.createdAt.toISOString(),
  }));
}

export async function makerCostLedger(
  deps: OemDeps,
  actor: Actor,
  filter: CostFilter,
): Promise<MakerCostLedger> {
  assertMay(actor, 'makerCosts.read');
  const list = await entries(deps, filter);
  const totals = new Map<string, CostTotal>();
  const total = new Map<string, number>();
  for (const e of list) {
    const key = [e.client.id, e.product.id, e.lot, e.amount.currency].join(' ');
    const t = totals.get(key) ?? {
      client: e.client,
      product: e.product,
      lot: e.lot,
      currency: e.amount.currency,
      amountMinor: 0,
      units: 0,
    };
    t.amountMinor += e.amount.amountMinor;
    if (e.kind === 'remake_units') t.units += e.units ?? 0;
    totals.set(key, t);
    total.set(e.amount.currency, (total.get(e.amount.currency) ?? 0) + e.amount.amountMinor);
  }
  return {
    entries: list,
    totals: [...totals.values()].sort(
      (a, b) =>
        a.client.name.localeCompare(b.client.name) ||
        a.product.sku.localeCompare(b.product.sku) ||
        a.lot.localeCompare(b.lot) ||
        a.currency.localeCompare(b.currency),
    ),
    total: [...total.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amountMinor]) => ({ amountMinor, currency })),
  };
}

/** "1234.50" from 123450 minor units of CNY: exact, no floating point, no thousands separators. */
export function decimalAmount(amount: Money): string {
  const digits = minorDigits(amount.currency);
  const negative = amount.amountMinor < 0;
  const text = String(Math.abs(amount.amountMinor)).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${text.slice(text.length - digits)}` : ''}`;
}

export const MAKER_COST_CSV_COLUMNS = [
  'booked_on',
  'client',
  'product_sku',
  'lot',
  'remake_number',
  'kind',
  'units',
  'amount',
  'amount_minor',
  'currency',
  'note',
] as const;

export async function makerCostCsv(deps: OemDeps, actor: Actor, filter: CostFilter): Promise<string> {
  assertMay(actor, 'makerCosts.read');
  const lines = [MAKER_COST_CSV_COLUMNS.join(',')];
  for (const e of await entries(deps, filter)) {
    lines.push(
      [
        csvCell(e.bookedOn),
        csvCell(e.client.name, 'text'),
        csvCell(e.product.sku, 'text'),
        csvCell(e.lot, 'text'),
        csvCell(e.remakeOrder.remakeNumber),
        csvCell(e.kind),
        csvCell(e.units),
        csvCell(decimalAmount(e.amount)),
        csvCell(e.amount.amountMinor),
        csvCell(e.amount.currency),
        csvCell(e.note, 'text'),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Remake orders, newest first: staff see every client's; an OEM client's user its own (another
 * client's is a 404 by id and absent from the list).
 */
export async function listRemakeOrders(
  deps: OemDeps,
  actor: Actor,
  query: {
    clientId?: string | undefined;
    orderId?: string | undefined;
    state?: ShipmentState | undefined;
    limit: number;
    offset: number;
  },
): Promise<RemakeOrderView[]> {
  const filter = listFilter(actor, 'remakeOrders.read');
  if (filter.kind === 'none') throw forbidden();
  const own = filter.kind === 'scope' ? filter.owners.oemClientId : undefined;
  if (filter.kind === 'scope' && !own) return [];
  const rows = await deps.db
    .select()
    .from(remakeOrders)
    .where(
      and(
        own ? eq(remakeOrders.clientId, own) : undefined,
        query.clientId ? eq(remakeOrders.clientId, query.clientId) : undefined,
        query.orderId ? eq(remakeOrders.orderId, query.orderId) : undefined,
        query.state ? eq(remakeOrders.state, query.state) : undefined,
      ),
    )
    .orderBy(desc(remakeOrders.createdAt), desc(remakeOrders.remakeNumber))
    .limit(query.limit)
    .offset(query.offset);
  return remakeOrderViews(deps.db, rows);
}

export async function getRemakeOrder(deps: OemDeps, actor: Actor, id: string): Promise<RemakeOrderView> {
  const [row] = await deps.db.select().from(remakeOrders).where(eq(remakeOrders.id, id));
  if (!row) throw new AppError('not_found', remakeNotFound.code, remakeNotFound.message);
  assertAllowed(actor, 'remakeOrders.read', { oemClientId: row.clientId }, remakeNotFound);
  const [view] = await remakeOrderViews(deps.db, [row]);
  if (!view) throw new Error('no view of the remake order');
  return view;
}

/** QA books a further cost of a remake (the actual freight, customs, rework): a new ledger entry. */
export async function recordMakerCost(
  deps: OemDeps,
  actor: Actor,
  remakeOrderId: string,
  input: { kind: MakerCostKind; amount: Money; units?: number | undefined; note?: string | undefined },
): Promise<CostEntryView> {
  assertMay(actor, 'makerCosts.record');
  const amount = money(input.amount.amountMinor, input.amount.currency);
  if ('code' in amount) throw new AppError('invalid', 'INVALID_AMOUNT', amount.message, { field: 'amount' });
  const id = await deps.db.transaction(async (tx) => {
    const [remake] = await tx.select().from(remakeOrders).where(eq(remakeOrders.id, remakeOrderId));
    if (!remake) throw new AppError('not_found', remakeNotFound.code, remakeNotFound.message);
    const [row] = await tx
      .insert(makerCostEntries)
      .values({
        kind: input.kind,
        remakeOrderId: remake.id,
        investigationId: remake.investigationId,
        clientId: remake.clientId,
        productId: remake.productId,
        lot: remake.lot,
        units: input.units ?? null,
        amountMinor: amount.amountMinor,
        currency: amount.currency,
        note: input.note?.trim() || null,
        bookedOn: calendarDateIn(deps.now(), deps.storeTimeZone).toString(),
        recordedBy: auditActor(actor),
      })
      .returning({ id: makerCostEntries.id });
    if (!row) throw new Error('insert returned no cost entry');
    await recordAudit(tx, actor, {
      action: 'maker_cost.booked',
      entityType: 'maker_cost_entry',
      entityId: row.id,
      data: {
        remakeOrderId: remake.id,
        kind: input.kind,
        units: input.units ?? null,
        amount,
        note: input.note ?? null,
      },
    });
    return row.id;
  });
  const entry = (await entries(deps, {})).find((e) => e.id === id);
  if (!entry) throw new Error('the booked cost entry is missing');
  return entry;
}
