import { and, asc, desc, eq } from 'drizzle-orm';
import { isUniqueViolation } from '../../../db/errors.js';
import { oemClients, oemPriceListEntries, products } from '../../../db/schema.js';
import type { Actor } from '../../../domain/access/access.js';
import { parseCalendarInput } from '../../../domain/calendar.js';
import { type Money, money } from '../../../domain/money.js';
import { recordAudit, auditActor } from '../../audit.js';
import { AppError } from '../../errors.js';
import { assertMay } from '../lot-defect-rates.js';
import type { OemDeps } from '../oem-records.js';
import { clientNotFound, invalid } from './request-oem-order.js';

/*
 * The contract prices sales keep per OEM client and product, versioned by the day each takes effect.
 * An entry is never changed: a new price is a new entry, so an order confirmed at a price keeps it.
 */

export type PriceListEntryView = {
  id: string;
  client: { id: string; name: string };
  product: { id: string; sku: string; name: { en: string; zh: string } };
  unitPrice: Money;
  effectiveFrom: string;
  createdBy: string;
  createdAt: string;
};

const select = {
  entry: oemPriceListEntries,
  clientName: oemClients.name,
  product: { id: products.id, sku: products.sku, nameEn: products.nameEn, nameZh: products.nameZh },
};

function view(r: {
  entry: typeof oemPriceListEntries.$inferSelect;
  clientName: string;
  product: { id: string; sku: string; nameEn: string; nameZh: string };
}): PriceListEntryView {
  return {
    id: r.entry.id,
    client: { id: r.entry.clientId, name: r.clientName },
    product: { id: r.product.id, sku: r.product.sku, name: { en: r.product.nameEn, zh: r.product.nameZh } },
    unitPrice: { amountMinor: r.entry.unitPriceMinor, currency: r.entry.currency },
    effectiveFrom: r.entry.effectiveFrom,
    createdBy: r.entry.createdBy,
    createdAt: r.entry.createdAt.toISOString(),
  };
}

export async function listPriceList(
  deps: OemDeps,
  actor: Actor,
  query: { clientId?: string | undefined; productId?: string | undefined },
): Promise<PriceListEntryView[]> {
  assertMay(actor, 'oemPrices.read');
  const rows = await deps.db
    .select(select)
    .from(oemPriceListEntries)
    .innerJoin(oemClients, eq(oemClients.id, oemPriceListEntries.clientId))
    .innerJoin(products, eq(products.id, oemPriceListEntries.productId))
    .where(
      and(
        query.clientId ? eq(oemPriceListEntries.clientId, query.clientId) : undefined,
        query.productId ? eq(oemPriceListEntries.productId, query.productId) : undefined,
      ),
    )
    .orderBy(asc(oemClients.name), asc(products.sku), desc(oemPriceListEntries.effectiveFrom))
    .limit(1000);
  return rows.map(view);
}

/** Sales add a price version for a client and product from a day on (409 PRICE_VERSION_EXISTS for that day). */
export async function addPriceListEntry(
  deps: OemDeps,
  actor: Actor,
  input: {
    clientId: string;
    productId?: string | undefined;
    sku?: string | undefined;
    unitPrice: Money;
    effectiveFrom: string;
  },
): Promise<PriceListEntryView> {
  assertMay(actor, 'oemPrices.manage');
  if (!input.productId && !input.sku)
    throw invalid('PRODUCT_REQUIRED', 'name the product (productId or sku)', 'sku');
  const m = money(input.unitPrice.amountMinor, input.unitPrice.currency);
  if ('code' in m || m.amountMinor < 0) {
    throw invalid('INVALID_AMOUNT', 'the price is whole minor units, at least zero', 'unitPrice');
  }
  const from = parseCalendarInput(input.effectiveFrom.trim(), deps.storeTimeZone);
  if ('code' in from) throw invalid('INVALID_DATE', `effectiveFrom: ${from.message}`, 'effectiveFrom');
  try {
    const id = await deps.db.transaction(async (tx) => {
      const [client] = await tx
        .select({ id: oemClients.id })
        .from(oemClients)
        .where(eq(oemClients.id, input.clientId));
      if (!client) throw new AppError('not_found', clientNotFound.code, clientNotFound.message);
      const [product] = await tx
        .select({ id: products.id })
        .from(products)
        .where(input.productId ? eq(products.id, input.productId) : eq(products.sku, input.sku ?? ''));
      if (!product)
        throw invalid('UNKNOWN_PRODUCT', `no product ${input.sku ?? input.productId ?? ''}`, 'sku');
      const [row] = await tx
        .insert(oemPriceListEntries)
        .values({
          clientId: client.id,
          productId: product.id,
          unitPriceMinor: m.amountMinor,
          currency: m.currency,
          effectiveFrom: from.toString(),
          createdBy: auditActor(actor),
        })
        .returning({ id: oemPriceListEntries.id });
      if (!row) throw new Error('insert returned no price');
      await recordAudit(tx, actor, {
        action: 'oem_price.added',
        entityType: 'oem_price_list_entry',
        entityId: row.id,
        data: { clientId: client.id, productId: product.id, unitPrice: m, effectiveFrom: from.toString() },
      });
      return row.id;
    });
    const [row] = await deps.db
      .select(select)
      .from(oemPriceListEntries)
      .innerJoin(oemClients, eq(oemClients.id, oemPriceListEntries.clientId))
      .innerJoin(products, eq(products.id, oemPriceListEntries.productId))
      .where(eq(oemPriceListEntries.id, id));
    if (!row) throw new Error('the price just added is gone');
    return view(row);
  } catch (err) {
    if (isUniqueViolation(err, 'oem_price_list_entries_version_idx')) {
      throw new AppError(
        'conflict',
        'PRICE_VERSION_EXISTS',
        `a price for this client and product already takes effect on ${from.toString()}: add a version from another day`,
        { field: 'effectiveFrom' },
      );
    }
    throw err;
  }
}
