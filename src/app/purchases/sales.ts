import { randomUUID } from 'node:crypto';
import { and, asc, eq, ne, type SQL, sql, type SQLWrapper } from 'drizzle-orm';
import { Temporal } from '../../domain/calendar.js';
import {
  changesOf,
  dealerSaleMeetsRegistration,
  initialVerification,
  type PurchaseChanges,
  purchaseDateProblem,
} from '../../domain/purchases/verification.js';
import type { Transaction } from '../../db/client.js';
import { auditEvents, endUsers, products, purchases, units } from '../../db/schema.js';
import { contactKey } from '../../domain/contact.js';
import type { Sale, SaleField, SaleItem } from '../../domain/purchases/sale.js';
import { type UnitState, unitTransition } from '../../domain/units/unit-state.js';
import { isUniqueViolation } from '../../db/errors.js';
import { insertMany } from '../../db/insert-many.js';
import { type AuditActor, auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';

/*
 * What recording one sale and importing a dealer's CSV share: the look-ups that need the database
 * (the product, the unit, whether it was sold already) and the writes (customer, unit, purchase,
 * audit event). Both run inside the caller's transaction, and both work on a batch so that an import
 * of thousands of rows costs a handful of queries, not thousands.
 */

/** Units whose lot nobody told us: a unit first seen in a sale. */
export const UNKNOWN_LOT = 'unknown';

export type SaleLookupCode =
  | 'UNKNOWN_PRODUCT'
  | 'UNKNOWN_SERIAL'
  | 'SERIAL_PRODUCT_MISMATCH'
  | 'SERIAL_ALREADY_RECORDED'
  | 'DUPLICATE_SERIAL'
  | 'PURCHASE_BEFORE_UNIT_MADE'
  | 'UNIT_RETURNED';

export type SaleLookupProblem = { index: number; field: SaleField; code: SaleLookupCode; message: string };

/** A sale whose product (and unit, when it names one) is known. */
export type ResolvedSale<S extends SaleItem = Sale> = {
  sale: S;
  productId: string;
  /** The unit already on record, or the id of the one this sale adds (`newUnit`). */
  unitId: string | null;
  newUnit: boolean;
  /**
   * A customer's pending registration of the same unit, which a dealer's sale meets: the same buyer's
   * becomes this sale (verified), another buyer's is rejected (domain/purchases/verification.ts).
   */
  pendingRegistration?: { purchaseId: string; endUserId: string } | undefined;
};

/** Who puts the sales on record: a dealer's word (or the maker's for it) meets pending registrations. */
export type ResolveOptions = { by: 'dealer' | 'customer' };

/**
 * `column = any($1)`: one array parameter, however many values. A list of thousands of parameters costs
 * more to build and to parse than the look-up it asks for.
 */
const anyOf = (column: SQLWrapper, values: readonly string[], type: 'text' | 'uuid') =>
  sql`${column} = any(${sql.param(values)}::${sql.raw(type)}[])`;

/**
 * Finds each sale's product and unit. A serial on record gives its product (an SKU given with it must
 * agree); an unknown serial with an SKU becomes a new unit of that product; a unit already sold, or
 * named twice in one batch, is refused, so a CSV sent twice does not record its sales twice.
 */
export async function resolveSales<S extends SaleItem>(
  tx: Transaction,
  sales: readonly S[],
  options: ResolveOptions = { by: 'dealer' },
): Promise<{ ok: true; resolved: ResolvedSale<S>[] } | { ok: false; problems: SaleLookupProblem[] }> {
  const skus = [...new Set(sales.flatMap((s) => (s.sku ? [s.sku] : [])))];
  const serials = [...new Set(sales.flatMap((s) => (s.serial ? [s.serial] : [])))];

  const productBySku = new Map<string, string>();
  if (skus.length > 0) {
    const rows = await tx
      .select({ id: products.id, sku: products.sku })
      .from(products)
      .where(anyOf(products.sku, skus, 'text'));
    for (const r of rows) productBySku.set(r.sku, r.id);
  }
  const unitBySerial = new Map<
    string,
    { id: string; productId: string; sku: string; madeOn: string | null; state: UnitState }
  >();
  if (serials.length > 0) {
    const rows = await tx
      .select({
        id: units.id,
        serial: units.serial,
        productId: units.productId,
        sku: products.sku,
        madeOn: units.madeOn,
        state: units.state,
      })
      .from(units)
      .innerJoin(products, eq(products.id, units.productId))
      .where(anyOf(units.serial, serials, 'text'))
      // Two sales of one unit racing: the second waits here, then finds the first one's purchase.
      .for('update', { of: units });
    for (const r of rows) unitBySerial.set(r.serial, r);
  }
  // The live purchase of each unit (a rejected registration holds none): a verified one means sold; a
  // pending registration is met by a dealer's sale and refuses another customer's.
  const soldUnits = new Set<string>();
  const pendingByUnit = new Map<string, { purchaseId: string; endUserId: string }>();
  const knownUnits = [...unitBySerial.values()].map((u) => u.id);
  if (knownUnits.length > 0) {
    const rows = await tx
      .select({
        id: purchases.id,
        unitId: purchases.unitId,
        endUserId: purchases.endUserId,
        verification: purchases.verification,
      })
      .from(purchases)
      .where(and(anyOf(purchases.unitId, knownUnits, 'uuid'), ne(purchases.verification, 'rejected')));
    for (const r of rows) {
      if (!r.unitId) continue;
      if (r.verification === 'pending' && options.by === 'dealer') {
        pendingByUnit.set(r.unitId, { purchaseId: r.id, endUserId: r.endUserId });
      } else soldUnits.add(r.unitId);
    }
  }

  const problems: SaleLookupProblem[] = [];
  const resolved: ResolvedSale<S>[] = [];
  const seenSerials = new Set<string>();
  sales.forEach((sale, index) => {
    const problem = (field: SaleField, code: SaleLookupCode, message: string) =>
      problems.push({ index, field, code, message });
    const skuProduct = sale.sku === undefined ? undefined : productBySku.get(sale.sku);
    if (sale.sku !== undefined && skuProduct === undefined) {
      problem('sku', 'UNKNOWN_PRODUCT', `no product has the SKU "${sale.sku}"`);
      return;
    }
    if (sale.serial === undefined) {
      if (skuProduct !== undefined)
        resolved.push({ sale, productId: skuProduct, unitId: null, newUnit: false });
      return;
    }
    if (seenSerials.has(sale.serial)) {
      problem('serial', 'DUPLICATE_SERIAL', `serial "${sale.serial}" is named twice`);
      return;
    }
    seenSerials.add(sale.serial);
    const unit = unitBySerial.get(sale.serial);
    if (unit === undefined) {
      if (skuProduct === undefined) {
        problem(
          'serial',
          'UNKNOWN_SERIAL',
          `no unit has the serial "${sale.serial}"; give the product’s SKU to add it`,
        );
        return;
      }
      resolved.push({ sale, productId: skuProduct, unitId: randomUUID(), newUnit: true });
      return;
    }
    if (skuProduct !== undefined && skuProduct !== unit.productId) {
      problem(
        'sku',
        'SERIAL_PRODUCT_MISMATCH',
        `serial "${sale.serial}" is a unit of ${unit.sku}, not ${sale.sku ?? ''}`,
      );
      return;
    }
    // A returned unit is never sold again (domain/units/unit-state.ts); one handed over as a replacement
    // belongs to the sale it replaced a unit of.
    if (unit.state === 'returned') {
      problem(
        'serial',
        'UNIT_RETURNED',
        `the unit "${sale.serial}" was returned; a returned unit is not sold again`,
      );
      return;
    }
    // A unit a pending registration holds is 'sold' in the registry; a dealer's sale meets that
    // registration (below) rather than being refused.
    if (soldUnits.has(unit.id) || (!unitTransition(unit.state, 'sell').ok && !pendingByUnit.has(unit.id))) {
      problem('serial', 'SERIAL_ALREADY_RECORDED', `the unit "${sale.serial}" was already sold and recorded`);
      return;
    }
    const dateProblem = purchaseDateProblem(
      Temporal.PlainDate.from(sale.purchaseDate),
      unit.madeOn === null ? null : Temporal.PlainDate.from(unit.madeOn),
    );
    if (dateProblem) {
      problem('purchaseDate', dateProblem.code, dateProblem.message);
      return;
    }
    resolved.push({
      sale,
      productId: unit.productId,
      unitId: unit.id,
      newUnit: false,
      pendingRegistration: pendingByUnit.get(unit.id),
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, resolved };
}

/**
 * A sale that lost a race with another naming the same new serial hits the units' unique serial; it
 * is the same refusal as a unit already sold, not a server error.
 */
export function saleRaceConflict(err: unknown): AppError | undefined {
  if (!isUniqueViolation(err, 'units_serial_unique') && !isUniqueViolation(err, 'purchases_live_unit_idx')) {
    return undefined;
  }
  return new AppError(
    'conflict',
    'SERIAL_ALREADY_RECORDED',
    'a unit with this serial was recorded by another sale at the same time',
  );
}

/** The digits a phone is compared by in SQL: the same last 11 as `contactKey`. */
const phoneDigits = (column: typeof endUsers.phone) =>
  sql<string>`right(regexp_replace(coalesce(${column}, ''), '[^0-9]', '', 'g'), 11)`;

/**
 * The customer record of each sale's buyer: an existing one with the same e-mail address (in any
 * case) or else the same phone number (as `contactKey` compares them), oldest first; otherwise a new
 * one, shared by every sale of the batch to the same buyer.
 */
async function customersOf(tx: Transaction, sales: readonly Sale[]): Promise<string[]> {
  const emailKeys = [...new Set(sales.flatMap((s) => (s.buyerEmail ? [contactKey(s.buyerEmail)] : [])))];
  const phoneKeys = [
    ...new Set(sales.flatMap((s) => (s.buyerPhone ? [contactKey(s.buyerPhone)] : []))),
  ].filter((k): k is string => k !== undefined);
  const byKey = new Map<string, string>();
  const known = async (condition: SQL) => {
    const rows = await tx
      .select({ id: endUsers.id, email: endUsers.email, phone: endUsers.phone })
      .from(endUsers)
      .where(condition)
      .orderBy(asc(endUsers.createdAt), asc(endUsers.id));
    for (const r of rows) {
      for (const contact of [r.email, r.phone]) {
        const key = contact ? contactKey(contact) : undefined;
        if (key !== undefined && !byKey.has(key)) byKey.set(key, r.id);
      }
    }
  };
  const emails = emailKeys.filter((k): k is string => k !== undefined);
  if (emails.length > 0) await known(anyOf(sql`lower(${endUsers.email})`, emails, 'text'));
  if (phoneKeys.length > 0) {
    await known(
      anyOf(
        phoneDigits(endUsers.phone),
        phoneKeys.map((k) => k.slice('tel:'.length)),
        'text',
      ),
    );
  }

  const created: (typeof endUsers.$inferInsert)[] = [];
  const ids = sales.map((sale) => {
    const keys = [sale.buyerEmail, sale.buyerPhone].flatMap((c) => {
      const key = c ? contactKey(c) : undefined;
      return key === undefined ? [] : [key];
    });
    // The e-mail address first: it is what a customer signs up with and is linked by.
    const existing = keys.map((k) => byKey.get(k)).find((id) => id !== undefined);
    const id = existing ?? randomUUID();
    if (existing === undefined) {
      created.push({
        id,
        name: sale.buyerName,
        email: sale.buyerEmail ?? null,
        phone: sale.buyerPhone ?? null,
      });
    }
    for (const k of keys) if (!byKey.has(k)) byKey.set(k, id);
    return id;
  });
  await insertMany(tx, endUsers, created);
  return ids;
}

export type WriteSalesOptions = {
  actor: AuditActor;
  dealerId: string | null;
  /** The audit action of each purchase: `purchase.recorded` (a dealer's sale) or `purchase.registered`. */
  action: 'purchase.recorded' | 'purchase.registered';
  /** A customer registering their own purchase: the record is theirs, not looked up by contact. */
  endUserId?: string | undefined;
  proofUploadId?: string | undefined;
  /** The SHA-256 of the proof's bytes: one receipt proves one live purchase. */
  proofSha256?: string | undefined;
  idempotencyKey?: string | undefined;
  /** Said in each audit event, e.g. that the sale came in a CSV import. */
  auditData?: Record<string, unknown>;
  /** When it happens (the app's clock): a dealer's sale is verified at this moment. */
  at: Date;
};

/** A registration a dealer's sale made verified: its purchase and what the dealer's record changed. */
export type MatchedRegistration = { purchaseId: string; changes: PurchaseChanges };

/**
 * Writes resolved sales: new units, customers, purchases and one audit event each. A dealer's sale is
 * verified; a customer's registration pending. A dealer's sale of a unit a customer registered meets the
 * registration: the same buyer's becomes this sale — one purchase, verified, with the dealer's date and
 * dealer — and another buyer's is rejected (the dealer's record stands). Returns the purchases' ids, in
 * the order of `resolved`, and the registrations matched.
 */
export async function writeSales(
  tx: Transaction,
  resolved: readonly ResolvedSale[],
  options: WriteSalesOptions,
): Promise<string[]> {
  return (await writeSalesAndMatches(tx, resolved, options)).ids;
}

export async function writeSalesAndMatches(
  tx: Transaction,
  resolved: readonly ResolvedSale[],
  options: WriteSalesOptions,
): Promise<{ ids: string[]; matched: MatchedRegistration[] }> {
  const newUnits = resolved.flatMap((r) =>
    r.newUnit && r.unitId && r.sale.serial
      ? [
          {
            id: r.unitId,
            serial: r.sale.serial,
            productId: r.productId,
            lot: UNKNOWN_LOT,
            state: 'sold' as const,
          },
        ]
      : [],
  );
  await insertMany(tx, units, newUnits);
  // Units on record that these sales sell leave the stock (resolveSales locked them and refused others).
  const soldKnown = resolved.flatMap((r) => (!r.newUnit && r.unitId ? [r.unitId] : []));
  if (soldKnown.length > 0) {
    await tx
      .update(units)
      .set({ state: 'sold' })
      .where(sql`${anyOf(units.id, soldKnown, 'uuid')} and ${units.state} = 'in_stock'`);
  }

  const customerIds =
    options.endUserId === undefined
      ? await customersOf(
          tx,
          resolved.map((r) => r.sale),
        )
      : resolved.map(() => options.endUserId ?? '');
  const recordedBy = auditActor(options.actor);
  const registering = options.action === 'purchase.registered';
  const verification = initialVerification(registering ? 'customer' : 'dealer');

  // Registrations this batch meets: matched ones become the sale, superseded ones are rejected first so
  // that the sale can take their unit.
  const matched: MatchedRegistration[] = [];
  const matchedIds = new Map<number, string>();
  for (const [i, r] of resolved.entries()) {
    const pending = r.pendingRegistration;
    if (pending === undefined || registering) continue;
    const outcome = dealerSaleMeetsRegistration(customerIds[i] === pending.endUserId);
    const [current] = await tx
      .select({
        purchaseDate: purchases.purchaseDate,
        dealerId: purchases.dealerId,
        verification: purchases.verification,
      })
      .from(purchases)
      .where(eq(purchases.id, pending.purchaseId))
      .for('update');
    // Checked meanwhile: rejected, it holds the unit no more and the sale is recorded as any other;
    // confirmed, the unit is sold.
    if (current?.verification === 'rejected') continue;
    if (current?.verification !== 'pending') {
      throw new AppError(
        'conflict',
        'SERIAL_ALREADY_RECORDED',
        `the unit "${r.sale.serial ?? ''}" was confirmed sold to its registrant meanwhile`,
      );
    }
    if (outcome === 'match') {
      const changes = changesOf(current, { purchaseDate: r.sale.purchaseDate, dealerId: options.dealerId });
      await tx
        .update(purchases)
        .set({
          purchaseDate: r.sale.purchaseDate,
          dealerId: options.dealerId,
          // The dealer's record of the sale, as a retry with its key finds it.
          buyerName: r.sale.buyerName,
          buyerEmail: r.sale.buyerEmail ?? null,
          buyerPhone: r.sale.buyerPhone ?? null,
          // The price is the dealer's to record: a registration never had one.
          priceMinor: 'price' in r.sale ? (r.sale.price?.amountMinor ?? null) : null,
          currency: 'price' in r.sale ? (r.sale.price?.currency ?? null) : null,
          idempotencyKey: options.idempotencyKey ?? null,
          verification: 'verified',
          verifiedBy: recordedBy,
          verifiedAt: options.at,
        })
        .where(eq(purchases.id, pending.purchaseId));
      await recordAudit(tx, options.actor, {
        action: 'purchase.verified',
        entityType: 'purchase',
        entityId: pending.purchaseId,
        data: { via: 'dealer_sale', ...options.auditData, changes },
      });
      matched.push({ purchaseId: pending.purchaseId, changes });
      matchedIds.set(i, pending.purchaseId);
    } else {
      await tx
        .update(purchases)
        .set({
          verification: 'rejected',
          rejectionCode: 'SOLD_TO_ANOTHER_BUYER',
          verifiedBy: recordedBy,
          verifiedAt: options.at,
        })
        .where(eq(purchases.id, pending.purchaseId));
      await recordAudit(tx, options.actor, {
        action: 'purchase.rejected',
        entityType: 'purchase',
        entityId: pending.purchaseId,
        data: { via: 'dealer_sale', rejectionCode: 'SOLD_TO_ANOTHER_BUYER', dealerId: options.dealerId },
      });
    }
  }

  const rows = resolved.flatMap((r, i) =>
    matchedIds.has(i)
      ? []
      : [
          {
            id: randomUUID(),
            productId: r.productId,
            unitId: r.unitId,
            dealerId: options.dealerId,
            endUserId: customerIds[i] ?? '',
            purchaseDate: r.sale.purchaseDate,
            proofUploadId: options.proofUploadId ?? null,
            proofSha256: options.proofSha256 ?? null,
            recordedBy,
            verification,
            verifiedBy: verification === 'verified' ? recordedBy : null,
            verifiedAt: verification === 'verified' ? options.at : null,
            buyerName: r.sale.buyerName,
            buyerEmail: r.sale.buyerEmail ?? null,
            buyerPhone: r.sale.buyerPhone ?? null,
            priceMinor: 'price' in r.sale ? (r.sale.price?.amountMinor ?? null) : null,
            currency: 'price' in r.sale ? (r.sale.price?.currency ?? null) : null,
            idempotencyKey: options.idempotencyKey ?? null,
          },
        ],
  );
  await insertMany(tx, purchases, rows);
  // Built by PostgreSQL from the rows just written: a jsonb[] parameter of one event per sale cost more to
  // send and parse than the events' insert itself (bench/results/latest.md).
  const inserted = rows.map((r) => r.id);
  if (inserted.length > 0) {
    await tx.execute(sql`
    insert into ${auditEvents} (actor, action, entity_type, entity_id, data)
    select ${recordedBy}, ${options.action}, 'purchase', p.id::text,
           jsonb_build_object('dealerId', p.dealer_id, 'productId', p.product_id, 'unitId', p.unit_id,
                              'endUserId', p.end_user_id, 'purchaseDate', p.purchase_date,
                              'verification', p.verification)
             || ${JSON.stringify(options.auditData ?? {})}::jsonb
    from unnest(${sql.param(inserted)}::uuid[]) with ordinality as sale(id, n)
    join ${purchases} p on p.id = sale.id
    order by sale.n`);
  }
  let next = 0;
  const ids = resolved.map((_, i) => matchedIds.get(i) ?? rows[next++]?.id ?? '');
  return { ids, matched };
}

/**
 * A registration rejected by its check held its unit as sold on the customer's word only: the unit is
 * back in stock for the sale that really happened (one handed over or returned keeps its state).
 */
export async function releaseUnitOfRejected(tx: Transaction, purchaseId: string): Promise<void> {
  await tx.execute(sql`update ${units} set state = 'in_stock'
    where ${units.state} = 'sold'
      and ${units.id} = (select ${purchases.unitId} from ${purchases} where ${purchases.id} = ${purchaseId})
      and not exists (select 1 from ${purchases} p where p.unit_id = ${units.id}
                      and p.verification <> 'rejected' and p.id <> ${purchaseId})`);
}
