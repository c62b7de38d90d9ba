import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { products } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { Money } from '../../domain/money.js';
import { assertAllowed } from '../access.js';
import { recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import { type ProductView, view } from './products.js';

const productNotFound = { code: 'PRODUCT_NOT_FOUND', message: 'no such product' };

/** Every product with its catalogue price, by SKU: what sales keep up to date. */
export async function listCataloguePrices(db: Database, actor: Actor): Promise<ProductView[]> {
  assertAllowed(actor, 'products.price', {}, productNotFound);
  const rows = await db.select().from(products).orderBy(asc(products.sku));
  return rows.map(view);
}

/**
 * Sets (or, with null, clears) a product's catalogue price. It bounds what a dealer may ask back for a
 * remedy on the product from now on; requests already made keep their amounts. Audited with before/after.
 */
export async function setCataloguePrice(
  db: Database,
  actor: Actor,
  productId: string,
  price: Money | null,
): Promise<ProductView> {
  assertAllowed(actor, 'products.price', {}, productNotFound);
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(products).where(eq(products.id, productId)).for('update');
    if (!row) throw new AppError('not_found', productNotFound.code, productNotFound.message);
    const [updated] = await tx
      .update(products)
      .set({ priceMinor: price?.amountMinor ?? null, currency: price?.currency ?? null })
      .where(eq(products.id, productId))
      .returning();
    if (!updated) throw new Error('update returned no product');
    await recordAudit(tx, actor, {
      action: 'product.price_changed',
      entityType: 'product',
      entityId: productId,
      data: { before: view(row).price, after: price },
    });
    return view(updated);
  });
}
