import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import {
  type ClaimStatus,
  claims,
  dealers,
  endUsers,
  maintenanceOrders,
  products,
  purchases,
  serviceCenters,
  units,
} from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import type { VerificationState } from '../../domain/purchases/verification.js';
import { forbidden } from '../access.js';
import { claimScopeCondition } from '../claims/claim-view.js';
import { purchaseScopeCondition } from '../purchases/purchase-view.js';
import { claimTextMatch, maintenanceOrderTextMatch, phoneFragment, purchaseTextMatch } from './predicates.js';

/*
 * The staff search box: one text, three groups — claims, maintenance orders, purchases — each its few
 * newest matches, with what matched. Each group is what the caller may read of that kind, in the query
 * (the lists' own scope conditions): a dealer finds its own sales and the claims on them, a technician
 * its center's orders, support and admins everything. A kind the role may not read at all is `null`:
 * the group is not there, rather than empty.
 */

/** How many matches of each kind are shown: the box finds, the lists (with `q`) page through the rest. */
export const SEARCH_GROUP_SIZE = 5;

/** What part of a hit the text was found in, so the page can say why it is there. */
export const searchFields = [
  'claimReference',
  'maintenanceNumber',
  'invoiceNumber',
  'serial',
  'customerName',
  'customerEmail',
  'customerPhone',
  'buyerName',
  'buyerEmail',
  'buyerPhone',
] as const;
export type SearchField = (typeof searchFields)[number];

type Contact = { name: string | null; email: string | null; phone: string | null };
type Product = { sku: string; name: { en: string; zh: string } };

export type ClaimHit = {
  id: string;
  status: ClaimStatus;
  reportedOn: string;
  product: Product;
  serial: string | null;
  maintenanceNumbers: string[];
  customer: Contact;
  matched: SearchField[];
};

export type MaintenanceOrderHit = {
  id: string;
  claimId: string;
  maintenanceNumber: string;
  state: MaintenanceState;
  serviceCenter: { id: string; name: { en: string; zh: string } };
  product: Product;
  serial: string | null;
  customer: Contact;
  matched: SearchField[];
};

export type PurchaseHit = {
  id: string;
  purchaseDate: string;
  verification: VerificationState;
  product: Product;
  serial: string | null;
  /** `nameZh`: the dealer's name in Chinese, where the maker gave one. */
  dealer: { id: string; name: string; nameZh: string | null } | null;
  customer: Contact;
  buyer: Contact;
  matched: SearchField[];
};

export type SearchGroup<T> = { items: T[]; more: boolean };

export type SearchResults = {
  q: string;
  claims: SearchGroup<ClaimHit> | null;
  maintenanceOrders: SearchGroup<MaintenanceOrderHit> | null;
  purchases: SearchGroup<PurchaseHit> | null;
};

/** Which of a hit's fields hold the text: the same test as the SQL's, in JavaScript. */
function matchedFields(q: string, fields: Partial<Record<SearchField, string | null | undefined>>) {
  const needle = q.trim().toLowerCase();
  const digits = phoneFragment(q);
  const phone = (f: SearchField) => f === 'customerPhone' || f === 'buyerPhone';
  return searchFields.filter((f) => {
    const value = fields[f];
    if (!value) return false;
    if (value.toLowerCase().includes(needle)) return true;
    return phone(f) && digits !== undefined && value.replace(/\D/g, '').includes(digits);
  });
}

/**
 * Newest first, written so that no index can give the order: otherwise PostgreSQL may walk the big
 * table's created_at index newest first, testing every row against the match until it has a page — a
 * scan of every claim when the text matches nothing. This way the trigram indexes find the (few)
 * matches first and only those are sorted.
 */
const newestFirst = (createdAt: SQL | typeof claims.createdAt, id: SQL | typeof claims.id) => [
  sql`${createdAt} + interval '0 seconds' desc`,
  sql`${id} desc`,
];

const productOf = (row: { sku: string; nameEn: string; nameZh: string }): Product => ({
  sku: row.sku,
  name: { en: row.nameEn, zh: row.nameZh },
});

function group<T>(rows: T[]): SearchGroup<T> {
  return { items: rows.slice(0, SEARCH_GROUP_SIZE), more: rows.length > SEARCH_GROUP_SIZE };
}

async function searchClaims(db: Database, actor: Actor, q: string) {
  const filter = listFilter(actor, 'claims.read');
  if (filter.kind === 'none') return null;
  const scope = claimScopeCondition(filter);
  if (scope === false) return group<ClaimHit>([]);
  const rows = await db
    .select({
      id: claims.id,
      status: claims.status,
      reportedOn: claims.reportedOn,
      sku: products.sku,
      nameEn: products.nameEn,
      nameZh: products.nameZh,
      serial: units.serial,
      customerName: endUsers.name,
      customerEmail: endUsers.email,
      customerPhone: endUsers.phone,
      buyerName: purchases.buyerName,
      buyerEmail: purchases.buyerEmail,
      buyerPhone: purchases.buyerPhone,
      maintenanceNumbers: sql<
        string[]
      >`array(select ${maintenanceOrders.maintenanceNumber} from ${maintenanceOrders}
        where ${maintenanceOrders.claimId} = ${claims.id} order by ${maintenanceOrders.createdAt})`,
    })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .leftJoin(units, eq(units.id, purchases.unitId))
    .where(and(scope, claimTextMatch(q)))
    .orderBy(...newestFirst(claims.createdAt, claims.id))
    .limit(SEARCH_GROUP_SIZE + 1);
  return group(
    rows.map((r): ClaimHit => ({
      id: r.id,
      status: r.status,
      reportedOn: r.reportedOn,
      product: productOf(r),
      serial: r.serial,
      maintenanceNumbers: r.maintenanceNumbers,
      customer: { name: r.customerName, email: r.customerEmail, phone: r.customerPhone },
      matched: matchedFields(q, {
        ...r,
        claimReference: r.id,
        maintenanceNumber: r.maintenanceNumbers.find((n) => n.toLowerCase().includes(q.trim().toLowerCase())),
      }),
    })),
  );
}

async function searchMaintenanceOrders(db: Database, actor: Actor, q: string) {
  const filter = listFilter(actor, 'maintenanceOrders.read');
  if (filter.kind === 'none') return null;
  const conditions: SQL[] = [maintenanceOrderTextMatch(q)];
  if (filter.kind === 'scope') {
    const { serviceCenterId, endUserId } = filter.owners;
    if (serviceCenterId) conditions.push(eq(maintenanceOrders.serviceCenterId, serviceCenterId));
    else if (endUserId) conditions.push(eq(claims.endUserId, endUserId));
    else return group<MaintenanceOrderHit>([]);
  }
  const rows = await db
    .select({
      id: maintenanceOrders.id,
      claimId: maintenanceOrders.claimId,
      maintenanceNumber: maintenanceOrders.maintenanceNumber,
      state: maintenanceOrders.state,
      centerId: serviceCenters.id,
      centerEn: serviceCenters.nameEn,
      centerZh: serviceCenters.nameZh,
      sku: products.sku,
      nameEn: products.nameEn,
      nameZh: products.nameZh,
      serial: units.serial,
      customerName: endUsers.name,
      customerEmail: endUsers.email,
      customerPhone: endUsers.phone,
      buyerName: purchases.buyerName,
      buyerEmail: purchases.buyerEmail,
      buyerPhone: purchases.buyerPhone,
    })
    .from(maintenanceOrders)
    .innerJoin(serviceCenters, eq(serviceCenters.id, maintenanceOrders.serviceCenterId))
    .innerJoin(claims, eq(claims.id, maintenanceOrders.claimId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .leftJoin(units, eq(units.id, purchases.unitId))
    .where(and(...conditions))
    .orderBy(...newestFirst(sql`${maintenanceOrders.createdAt}`, sql`${maintenanceOrders.id}`))
    .limit(SEARCH_GROUP_SIZE + 1);
  return group(
    rows.map((r): MaintenanceOrderHit => ({
      id: r.id,
      claimId: r.claimId,
      maintenanceNumber: r.maintenanceNumber,
      state: r.state,
      serviceCenter: { id: r.centerId, name: { en: r.centerEn, zh: r.centerZh } },
      product: productOf(r),
      serial: r.serial,
      customer: { name: r.customerName, email: r.customerEmail, phone: r.customerPhone },
      matched: matchedFields(q, { ...r, claimReference: r.claimId }),
    })),
  );
}

async function searchPurchases(db: Database, actor: Actor, q: string) {
  const filter = listFilter(actor, 'purchases.read');
  if (filter.kind === 'none') return null;
  const scope = purchaseScopeCondition(filter);
  if (scope === false) return group<PurchaseHit>([]);
  const rows = await db
    .select({
      id: purchases.id,
      purchaseDate: purchases.purchaseDate,
      verification: purchases.verification,
      sku: products.sku,
      nameEn: products.nameEn,
      nameZh: products.nameZh,
      serial: units.serial,
      dealerId: dealers.id,
      dealerName: dealers.name,
      dealerNameZh: dealers.nameZh,
      customerName: endUsers.name,
      customerEmail: endUsers.email,
      customerPhone: endUsers.phone,
      buyerName: purchases.buyerName,
      buyerEmail: purchases.buyerEmail,
      buyerPhone: purchases.buyerPhone,
    })
    .from(purchases)
    .innerJoin(products, eq(products.id, purchases.productId))
    .innerJoin(endUsers, eq(endUsers.id, purchases.endUserId))
    .leftJoin(units, eq(units.id, purchases.unitId))
    .leftJoin(dealers, eq(dealers.id, purchases.dealerId))
    .where(and(scope, purchaseTextMatch(q)))
    .orderBy(...newestFirst(sql`${purchases.createdAt}`, sql`${purchases.id}`))
    .limit(SEARCH_GROUP_SIZE + 1);
  return group(
    rows.map((r): PurchaseHit => ({
      id: r.id,
      purchaseDate: r.purchaseDate,
      verification: r.verification,
      product: productOf(r),
      serial: r.serial,
      dealer:
        r.dealerId !== null && r.dealerName !== null
          ? { id: r.dealerId, name: r.dealerName, nameZh: r.dealerNameZh }
          : null,
      customer: { name: r.customerName, email: r.customerEmail, phone: r.customerPhone },
      buyer: { name: r.buyerName, email: r.buyerEmail, phone: r.buyerPhone },
      matched: matchedFields(q, r),
    })),
  );
}

/**
 * Searches what the actor may read. `q` arrives checked (2–100 characters once trimmed, no control
 * characters: the route's schema and the text guard); `%` and `_` in it are literal.
 */
export async function search(deps: { db: Database }, actor: Actor, q: string): Promise<SearchResults> {
  if (listFilter(actor, 'search.use').kind === 'none') throw forbidden();
  const text = q.trim();
  // At once: on PostgreSQL each takes a connection of the pool (PGlite runs them in turn anyway).
  const [claimHits, orderHits, purchaseHits] = await Promise.all([
    searchClaims(deps.db, actor, text),
    searchMaintenanceOrders(deps.db, actor, text),
    searchPurchases(deps.db, actor, text),
  ]);
  return { q: text, claims: claimHits, maintenanceOrders: orderHits, purchases: purchaseHits };
}
