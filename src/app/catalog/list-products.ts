import { asc } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { products } from '../../db/schema.js';
import type { LocalizedText } from '../../domain/policy/schema.js';

export type ProductSummary = { sku: string; name: LocalizedText; category: string };

export async function listProducts(deps: { db: Database }): Promise<ProductSummary[]> {
  const rows = await deps.db
    .select({
      sku: products.sku,
      nameEn: products.nameEn,
      nameZh: products.nameZh,
      category: products.category,
    })
    .from(products)
    .orderBy(asc(products.sku));
  return rows.map((r) => ({ sku: r.sku, name: { en: r.nameEn, zh: r.nameZh }, category: r.category }));
}
