import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { type Product, products } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { CalendarLength } from '../../domain/calendar.js';
import type { Money } from '../../domain/money.js';
import type { ProductCategory } from '../../domain/reference-data.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { changesOf } from '../changes.js';
import { AppError } from '../errors.js';

/** The admin's view of a product: the public summary (list-products.ts) plus its id and warranty. */
export type ProductView = {
  id: string;
  sku: string;
  nameEn: string;
  nameZh: string;
  category: ProductCategory;
  warrantyOverride: CalendarLength | null;
  /** The catalogue price (set by sales or admins at PUT /products/{id}/price); null: none yet. */
  price: Money | null;
  createdAt: string;
};

export type ProductInput = {
  sku: string;
  nameEn: string;
  nameZh: string;
  category: ProductCategory;
  warrantyOverride?: CalendarLength | null | undefined;
};

export type ProductsDeps = { db: Database };

const productNotFound = { code: 'PRODUCT_NOT_FOUND', message: 'no such product' };
const SKU_CONSTRAINT = 'products_sku_unique';

export function view(row: Product): ProductView {
  return {
    id: row.id,
    sku: row.sku,
    nameEn: row.nameEn,
    nameZh: row.nameZh,
    category: row.category,
    warrantyOverride: row.warrantyOverride,
    price:
      row.priceMinor === null || row.currency === null
        ? null
        : { amountMinor: row.priceMinor, currency: row.currency },
    createdAt: row.createdAt.toISOString(),
  };
}

function skuTaken(sku: string | undefined): AppError {
  return new AppError('conflict', 'SKU_TAKEN', `another product already has the SKU ${sku ?? ''}`.trim(), {
    field: 'sku',
  });
}

export async function listProductsForAdmin(deps: ProductsDeps, actor: Actor): Promise<ProductView[]> {
  assertAllowed(actor, 'products.manage', {}, productNotFound);
  const rows = await deps.db.select().from(products).orderBy(asc(products.sku));
  return rows.map(view);
}

/** A taken SKU is found by the unique constraint, so two admins adding one at once get one 409. */
export async function createProduct(
  deps: ProductsDeps,
  actor: Actor,
  input: ProductInput,
): Promise<ProductView> {
  assertAllowed(actor, 'products.manage', {}, productNotFound);
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(products)
        .values({
          sku: input.sku,
          nameEn: input.nameEn,
          nameZh: input.nameZh,
          category: input.category,
          warrantyOverride: input.warrantyOverride ?? null,
        })
        .returning();
      if (!row) throw new Error('insert returned no product');
      const { id, createdAt, ...fields } = view(row);
      await recordAudit(tx, actor, {
        action: 'product.created',
        entityType: 'product',
        entityId: id,
        data: fields,
      });
      return { id, createdAt, ...fields };
    });
  } catch (error) {
    if (isUniqueViolation(error, SKU_CONSTRAINT)) throw skuTaken(input.sku);
    throw error;
  }
}

/**
 * Changes the fields sent. A new warranty override applies to every later decision about the product,
 * past purchases included: claims already decided keep the decision they stored.
 */
export async function updateProduct(
  deps: ProductsDeps,
  actor: Actor,
  productId: string,
  patch: Partial<ProductInput>,
): Promise<ProductView> {
  assertAllowed(actor, 'products.manage', {}, productNotFound);
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx.select().from(products).where(eq(products.id, productId)).for('update');
      if (!row) throw new AppError('not_found', productNotFound.code, productNotFound.message);
      const changes = changesOf(row, patch);
      if (!changes.changed) return view(row);
      const [updated] = await tx.update(products).set(changes.set).where(eq(products.id, row.id)).returning();
      if (!updated) throw new Error('update returned no product');
      await recordAudit(tx, actor, {
        action: 'product.updated',
        entityType: 'product',
        entityId: row.id,
        data: { before: changes.before, after: changes.after },
      });
      return view(updated);
    });
  } catch (error) {
    if (isUniqueViolation(error, SKU_CONSTRAINT)) throw skuTaken(patch.sku);
    throw error;
  }
}
