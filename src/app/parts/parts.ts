import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type Part, parts, products } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Money } from '../../domain/money.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { assertVersion } from '../optimistic-lock.js';
import { warrantyCostSettings } from '../insight/cost/cost-settings.js';

/*
 * The parts list: the maker's catalogue of spare parts a repair may use, each with its unit cost in
 * the maker's currency and, optionally, the product it belongs to. Admins keep it; technicians pick
 * from it. A part is retired, never deleted: the orders that used it keep pointing at it.
 */

export type PartView = {
  id: string;
  partNumber: string;
  name: { en: string; zh: string };
  unitCost: Money;
  product: { id: string; sku: string } | null;
  active: boolean;
  version: number;
};

export const partNotFound = { code: 'PART_NOT_FOUND', message: 'no such part' } as const;

export type PartInput = {
  partNumber: string;
  name: { en: string; zh: string };
  unitCostMinor: number;
  productId?: string | null | undefined;
};

function view(row: Part, sku: string | null): PartView {
  return {
    id: row.id,
    partNumber: row.partNumber,
    name: { en: row.nameEn, zh: row.nameZh },
    unitCost: { amountMinor: row.unitCostMinor, currency: row.currency },
    product: row.productId && sku ? { id: row.productId, sku } : null,
    active: row.active,
    version: row.version,
  };
}

function selectParts(db: Database) {
  return db
    .select({ part: parts, sku: products.sku })
    .from(parts)
    .leftJoin(products, eq(products.id, parts.productId));
}

/**
 * The parts list, by part number. `productId`: the parts of that product and those of none (what a
 * repair of it may use); retired parts only when asked for.
 */
export async function listParts(
  db: Database,
  actor: Actor,
  query: { productId?: string | undefined; includeRetired?: boolean | undefined },
): Promise<PartView[]> {
  assertAllowed(actor, 'parts.read', {}, partNotFound);
  const rows = await selectParts(db)
    .where(
      and(
        query.includeRetired ? undefined : eq(parts.active, true),
        query.productId ? or(eq(parts.productId, query.productId), isNull(parts.productId)) : undefined,
      ),
    )
    .orderBy(asc(parts.partNumber));
  return rows.map((r) => view(r.part, r.sku));
}

async function assertProduct(db: Database, productId: string | null | undefined): Promise<void> {
  if (!productId) return;
  const [row] = await db.select({ id: products.id }).from(products).where(eq(products.id, productId));
  if (!row)
    throw new AppError('invalid', 'UNKNOWN_PRODUCT', 'no product has this id', { field: 'productId' });
}

function partNumberTaken(partNumber: string): AppError {
  return new AppError('conflict', 'PART_NUMBER_TAKEN', `another part already has the number ${partNumber}`, {
    partNumber,
  });
}

/** An admin adds a part, priced in the maker's currency. */
export async function createPart(db: Database, actor: Actor, input: PartInput): Promise<PartView> {
  assertAllowed(actor, 'parts.manage', {}, partNotFound);
  await assertProduct(db, input.productId);
  const { currency } = await warrantyCostSettings(db);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(parts)
      .values({
        partNumber: input.partNumber,
        nameEn: input.name.en,
        nameZh: input.name.zh,
        unitCostMinor: input.unitCostMinor,
        currency,
        productId: input.productId ?? null,
      })
      .onConflictDoNothing({ target: parts.partNumber })
      .returning();
    if (!row) throw partNumberTaken(input.partNumber);
    await recordAudit(tx, actor, {
      action: 'part.created',
      entityType: 'part',
      entityId: row.id,
      data: {
        partNumber: row.partNumber,
        name: input.name,
        unitCost: { amountMinor: row.unitCostMinor, currency },
        productId: row.productId,
      },
    });
    return row.id;
  });
  return getPart(db, id);
}

async function getPart(db: Database, id: string): Promise<PartView> {
  const [row] = await selectParts(db).where(eq(parts.id, id));
  if (!row) throw new AppError('not_found', partNotFound.code, partNotFound.message);
  return view(row.part, row.sku);
}

/**
 * An admin changes a part (its cost applies to repairs recorded from then on; those already recorded
 * keep the cost they had) or retires it. Audited with what changed.
 */
export async function updatePart(
  db: Database,
  actor: Actor,
  id: string,
  input: PartInput & { active: boolean; expectedVersion: number },
): Promise<PartView> {
  assertAllowed(actor, 'parts.manage', {}, partNotFound);
  await assertProduct(db, input.productId);
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(parts).where(eq(parts.id, id)).for('update');
    if (!before) throw new AppError('not_found', partNotFound.code, partNotFound.message);
    assertVersion('part', before, input.expectedVersion);
    const [taken] = await tx
      .select({ id: parts.id })
      .from(parts)
      .where(and(eq(parts.partNumber, input.partNumber), sql`${parts.id} <> ${id}`));
    if (taken) throw partNumberTaken(input.partNumber);
    const [after] = await tx
      .update(parts)
      .set({
        partNumber: input.partNumber,
        nameEn: input.name.en,
        nameZh: input.name.zh,
        unitCostMinor: input.unitCostMinor,
        productId: input.productId ?? null,
        active: input.active,
        version: sql`${parts.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(parts.id, id), eq(parts.version, input.expectedVersion)))
      .returning();
    if (!after) throw new Error('the locked part did not update');
    await recordAudit(tx, actor, {
      action: 'part.updated',
      entityType: 'part',
      entityId: id,
      data: {
        before: {
          partNumber: before.partNumber,
          name: { en: before.nameEn, zh: before.nameZh },
          unitCostMinor: before.unitCostMinor,
          productId: before.productId,
          active: before.active,
        },
        after: {
          partNumber: after.partNumber,
          name: input.name,
          unitCostMinor: after.unitCostMinor,
          productId: after.productId,
          active: after.active,
        },
      },
    });
  });
  return getPart(db, id);
}
