import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../../db/client.js';
import { isUniqueViolation } from '../../../db/errors.js';
import { lotAllocations, lots, oemClients, oemOrders, products } from '../../../db/schema.js';
import type { Actor } from '../../../domain/access/access.js';
import { calendarDateIn, parseCalendarInput } from '../../../domain/calendar.js';
import { checkAllocation } from '../../../domain/oem/lot-allocation.js';
import { LOT_PATTERN, type OrderLot } from '../../../domain/oem/oem-order.js';
import { parseSerialRange, type SerialRange } from '../../../domain/oem/serial-range.js';
import { recordAudit, auditActor } from '../../audit.js';
import { AppError } from '../../errors.js';
import { assertMay } from '../lot-defect-rates.js';
import { loadOrder, lotsOf, type OemDeps, orderNotFound } from '../oem-records.js';
import { invalid } from './request-oem-order.js';

/*
 * The maker's production lots (QA or sales record one when its goods ship) and their allocations to
 * clients' confirmed orders. An order's lots are written from its allocations only — a client never
 * names a lot — and a lot never ships more units than it holds: allocations take the lot's row lock,
 * so two orders racing for its last units cannot both have them.
 */

export const lotNotFound = { code: 'LOT_NOT_FOUND', message: 'no such lot' };

export type LotAllocationView = {
  id: string;
  order: { id: string; orderNumber: string };
  client: { id: string; name: string };
  units: number;
  createdAt: string;
};

export type LotView = {
  id: string;
  product: { id: string; sku: string; name: { en: string; zh: string } };
  code: string;
  quantity: number;
  allocated: number;
  left: number;
  madeOn: string;
  shippedOn: string | null;
  allocations: LotAllocationView[];
  createdAt: string;
};

type Db = Database | Transaction;

async function lotViews(db: Db, where: ReturnType<typeof eq> | undefined, limit = 500): Promise<LotView[]> {
  const rows = await db
    .select({
      lot: lots,
      product: { id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh },
    })
    .from(lots)
    .innerJoin(products, eq(products.id, lots.productId))
    .where(where)
    .orderBy(desc(lots.madeOn), asc(lots.code))
    .limit(limit);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.lot.id);
  const allocations = await db
    .select({
      a: lotAllocations,
      orderNumber: oemOrders.orderNumber,
      clientName: oemClients.name,
    })
    .from(lotAllocations)
    .innerJoin(oemOrders, eq(oemOrders.id, lotAllocations.orderId))
    .innerJoin(oemClients, eq(oemClients.id, lotAllocations.clientId))
    .where(sql`${lotAllocations.lotId} = any(${sql.param(ids)}::uuid[])`)
    .orderBy(asc(lotAllocations.createdAt), asc(lotAllocations.id));
  return rows.map(({ lot, product }) => {
    const mine = allocations.filter((x) => x.a.lotId === lot.id);
    const allocated = mine.reduce((s, x) => s + x.a.units, 0);
    return {
      id: lot.id,
      product: { id: product.id, sku: product.sku, name: { en: product.nameEn, zh: product.nameZh } },
      code: lot.code,
      quantity: lot.quantity,
      allocated,
      left: Math.max(0, lot.quantity - allocated),
      madeOn: lot.madeOn,
      shippedOn: lot.shippedOn,
      allocations: mine.map((x) => ({
        id: x.a.id,
        order: { id: x.a.orderId, orderNumber: x.orderNumber },
        client: { id: x.a.clientId, name: x.clientName },
        units: x.a.units,
        createdAt: x.a.createdAt.toISOString(),
      })),
      createdAt: lot.createdAt.toISOString(),
    };
  });
}

export async function listLots(
  deps: OemDeps,
  actor: Actor,
  query: { productId?: string | undefined },
): Promise<LotView[]> {
  assertMay(actor, 'lots.read');
  return lotViews(deps.db, query.productId ? eq(lots.productId, query.productId) : undefined);
}

export async function getLot(deps: OemDeps, actor: Actor, lotId: string): Promise<LotView> {
  assertMay(actor, 'lots.read');
  const [found] = await lotViews(deps.db, eq(lots.id, lotId), 1);
  if (!found) throw new AppError('not_found', lotNotFound.code, lotNotFound.message);
  return found;
}

/** QA or sales record a lot: its product, code, the units made, made and (when known) shipped. */
export async function createLot(
  deps: OemDeps,
  actor: Actor,
  input: {
    productId?: string | undefined;
    sku?: string | undefined;
    code: string;
    quantity: number;
    madeOn: string;
    shippedOn?: string | undefined;
  },
): Promise<LotView> {
  assertMay(actor, 'lots.manage');
  if (!input.productId && !input.sku)
    throw invalid('PRODUCT_REQUIRED', 'name the product (productId or sku)', 'sku');
  const code = input.code.trim();
  if (!LOT_PATTERN.test(code)) {
    throw invalid('INVALID_LOT', `a lot code is up to 64 letters, digits and . _ / - ("${code}")`, 'code');
  }
  const today = calendarDateIn(deps.now(), deps.storeTimeZone);
  const madeOn = parseCalendarInput(input.madeOn.trim(), deps.storeTimeZone);
  if ('code' in madeOn) throw invalid('INVALID_DATE', `madeOn: ${madeOn.message}`, 'madeOn');
  if (madeOn.until(today).days < 0)
    throw invalid('INVALID_DATE', 'madeOn: a lot is not made in the future', 'madeOn');
  let shippedOn: string | null = null;
  if (input.shippedOn !== undefined) {
    const s = parseCalendarInput(input.shippedOn.trim(), deps.storeTimeZone);
    if ('code' in s) throw invalid('INVALID_DATE', `shippedOn: ${s.message}`, 'shippedOn');
    if (madeOn.until(s).days < 0)
      throw invalid('INVALID_DATE', 'shippedOn: not before it was made', 'shippedOn');
    shippedOn = s.toString();
  }
  try {
    const id = await deps.db.transaction(async (tx) => {
      const [product] = await tx
        .select({ id: products.id })
        .from(products)
        .where(input.productId ? eq(products.id, input.productId) : eq(products.sku, input.sku ?? ''));
      if (!product)
        throw invalid('UNKNOWN_PRODUCT', `no product ${input.sku ?? input.productId ?? ''}`, 'sku');
      // A lot code names one product's lot: the same code on another product would mix their rates.
      const [clash] = await tx
        .select({ id: lots.id })
        .from(lots)
        .where(and(eq(lots.code, code), ne(lots.productId, product.id)))
        .limit(1);
      if (clash) {
        throw new AppError('conflict', 'LOT_OF_ANOTHER_PRODUCT', `lot ${code} is another product’s lot`, {
          field: 'code',
        });
      }
      const [row] = await tx
        .insert(lots)
        .values({
          productId: product.id,
          code,
          quantity: input.quantity,
          madeOn: madeOn.toString(),
          shippedOn,
          createdBy: auditActor(actor),
        })
        .returning({ id: lots.id });
      if (!row) throw new Error('insert returned no lot');
      await recordAudit(tx, actor, {
        action: 'lot.created',
        entityType: 'lot',
        entityId: row.id,
        data: { productId: product.id, code, quantity: input.quantity, madeOn: madeOn.toString(), shippedOn },
      });
      return row.id;
    });
    return await getLot(deps, actor, id);
  } catch (err) {
    if (isUniqueViolation(err, 'lots_product_code_idx')) {
      throw new AppError('conflict', 'LOT_CODE_TAKEN', `lot ${code} is already recorded`, { field: 'code' });
    }
    throw err;
  }
}

/**
 * Ships units of a lot to a client's confirmed order of the same product: never more than the lot has
 * left, nor more than the order lacks. The lot's row is locked first, then the order's, so two orders
 * racing for a lot's last units are served one after the other (the second: 409 LOT_UNITS_EXHAUSTED).
 * The order's lots (what its defect reports and the lot rates count) are written in the same transaction.
 */
export async function allocateLot(
  deps: OemDeps,
  actor: Actor,
  lotId: string,
  input: { orderId: string; units: number; serials?: SerialRange | undefined },
): Promise<LotView> {
  assertMay(actor, 'lots.manage');
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const [lot] = await tx.select().from(lots).where(eq(lots.id, lotId)).for('update');
    if (!lot) throw new AppError('not_found', lotNotFound.code, lotNotFound.message);
    const loaded = await loadOrder(tx, input.orderId, true);
    if (!loaded)
      throw new AppError('not_found', orderNotFound.code, orderNotFound.message, { field: 'orderId' });
    const { order } = loaded;
    if (order.state !== 'confirmed') {
      throw new AppError(
        'conflict',
        'ORDER_NOT_CONFIRMED',
        `order ${order.orderNumber} is ${order.state}: only a confirmed order ships`,
        { field: 'orderId', state: order.state },
      );
    }
    const orderLots = lotsOf(order);
    if (orderLots.some((l) => l.lot === lot.code)) {
      throw new AppError(
        'conflict',
        'LOT_ALREADY_ON_ORDER',
        `lot ${lot.code} already ships on order ${order.orderNumber}`,
        {
          field: 'orderId',
        },
      );
    }
    const [sum] = await tx
      .select({ units: sql<number>`coalesce(sum(${lotAllocations.units}), 0)::int` })
      .from(lotAllocations)
      .where(eq(lotAllocations.lotId, lot.id));
    const checked = checkAllocation({
      lot: { code: lot.code, productId: lot.productId, quantity: lot.quantity, allocated: sum?.units ?? 0 },
      order: {
        orderNumber: order.orderNumber,
        productId: order.productId,
        quantity: order.quantity,
        allocated: orderLots.reduce((s, l) => s + l.units, 0),
      },
      units: input.units,
    });
    if (!checked.ok) {
      throw new AppError(
        checked.problem.code === 'INVALID_UNITS' ? 'invalid' : 'conflict',
        checked.problem.code,
        checked.problem.message,
        { field: 'units', left: checked.problem.left },
      );
    }
    let serials: SerialRange | null = null;
    if (input.serials) {
      const range = parseSerialRange(input.serials);
      if ('code' in range) throw invalid(range.code, `lot ${lot.code}: ${range.message}`, 'serials');
      if (range.count !== input.units) {
        throw invalid(
          'SERIAL_RANGE_MISMATCH',
          `lot ${lot.code}: the serial range holds ${range.count} units, the allocation ${input.units}`,
          'serials',
        );
      }
      serials = { first: input.serials.first.trim(), last: input.serials.last.trim() };
    }
    const [row] = await tx
      .insert(lotAllocations)
      .values({
        lotId: lot.id,
        orderId: order.id,
        clientId: order.clientId,
        units: input.units,
        createdBy: auditActor(actor),
      })
      .returning({ id: lotAllocations.id });
    if (!row) throw new Error('insert returned no allocation');
    const details: OrderLot[] = [...orderLots, { lot: lot.code, units: input.units, serials }];
    // The lot totals' trigger adds the lot's new units from this update.
    await tx
      .update(oemOrders)
      .set({
        lots: details.map((l) => l.lot),
        lotDetails: details,
        version: sql`${oemOrders.version} + 1`,
        updatedAt: new Date(now.epochMilliseconds),
      })
      .where(eq(oemOrders.id, order.id));
    if (!lot.shippedOn) {
      await tx
        .update(lots)
        .set({ shippedOn: calendarDateIn(now, deps.storeTimeZone).toString() })
        .where(eq(lots.id, lot.id));
    }
    await recordAudit(tx, actor, {
      action: 'lot.allocated',
      entityType: 'lot',
      entityId: lot.id,
      data: {
        allocationId: row.id,
        orderId: order.id,
        clientId: order.clientId,
        units: input.units,
        serials,
      },
    });
  });
  return getLot(deps, actor, lotId);
}
