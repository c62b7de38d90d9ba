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
import { type Actor, type ListFilter, listFilter } from '../../domain/access/access.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import type { VerificationState } from '../../domain/purchases/verification.js';
import { forbidden } from '../access.js';
import { claimScopeCondition } from '../claims/claim-view.js';
import { purchaseScopeCondition } from '../purchases/purchase-view.js';
import { rowsOf } from '../../db/rows.js';
import {
  claimRowMatch,
  claimSourceMatch,
  maintenanceOrderRowMatch,
  maintenanceOrderSourceMatch,
  noSources,
  phoneFragment,
  purchaseRowMatch,
  purchaseSourceMatch,
  type SearchSources,
  searchSourcesOf,
  searchSourcesQuery,
  textFoundIn,
} from './predicates.js';

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
  const digits = phoneFragment(q);
  const phone = (f: SearchField) => f === 'customerPhone' || f === 'buyerPhone';
  return searchFields.filter((f) => {
    const value = fields[f];
    if (!value) return false;
    if (textFoundIn(value, q)) return true;
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

const contactOf = (t: typeof endUsers) => ({
  name: sql`${t.name}`,
  email: sql`${t.email}`,
  phone: sql`${t.phone}`,
});

/** A claim's row as the row-wise matches read it (a scoped search joins these). */
const claimRow = { serial: sql`${units.serial}`, claimCustomer: contactOf(endUsers) };

async function searchClaims(db: Database, actor: Actor, q: string, sources: SearchSources | null) {
  const filter = listFilter(actor, 'claims.read');
  if (filter.kind === 'none') return null;
  const scope = claimScopeCondition(filter);
  if (scope === false) return group<ClaimHit>([]);
  const match = sources ? claimSourceMatch(sources) : claimRowMatch(q, claimRow);
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
    .where(and(scope, match))
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
        maintenanceNumber: r.maintenanceNumbers.find((n) => textFoundIn(n, q)),
      }),
    })),
  );
}

async function searchMaintenanceOrders(db: Database, actor: Actor, q: string, sources: SearchSources | null) {
  const filter = listFilter(actor, 'maintenanceOrders.read');
  if (filter.kind === 'none') return null;
  const conditions: SQL[] = [
    sources ? maintenanceOrderSourceMatch(sources) : maintenanceOrderRowMatch(q, claimRow),
  ];
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

async function searchPurchases(db: Database, actor: Actor, q: string, sources: SearchSources | null) {
  const filter = listFilter(actor, 'purchases.read');
  if (filter.kind === 'none') return null;
  const scope = purchaseScopeCondition(filter);
  if (scope === false) return group<PurchaseHit>([]);
  const match = sources
    ? purchaseSourceMatch(sources)
    : purchaseRowMatch(q, { serial: sql`${units.serial}`, customer: contactOf(endUsers) });
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
    .where(and(scope, match))
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
 * A group found from the candidates (`sources`), or, with none, by testing each row of the actor's
 * scope. When a source had more matches than its candidates (a common name), a role reading every row
 * is told `more`; a dealer's or technician's group is read again from its own rows, since the
 * candidates may all have been other dealers' or centers'.
 */
async function found<T>(
  filter: ListFilter,
  sources: SearchSources,
  run: (sources: SearchSources | null) => Promise<SearchGroup<T> | null>,
): Promise<SearchGroup<T> | null> {
  const hits = await run(sources);
  if (hits === null || hits.more || !sources.capped) return hits;
  return filter.kind === 'scope' ? run(null) : { ...hits, more: true };
}

/**
 * Searches what the actor may read. `q` arrives checked (2–100 characters once trimmed, no control
 * characters: the route's schema and the text guard); `%` and `_` in it are literal. A text shorter
 * than three characters matches the start of a value (predicates.ts SHORT_TEXT).
 */
export async function search(deps: { db: Database }, actor: Actor, q: string): Promise<SearchResults> {
  if (listFilter(actor, 'search.use').kind === 'none') throw forbidden();
  const text = q.trim();
  const reads = {
    claims: listFilter(actor, 'claims.read'),
    maintenanceOrders: listFilter(actor, 'maintenanceOrders.read'),
    purchases: listFilter(actor, 'purchases.read'),
  };
  // The candidates of every source, once for all groups, each through its own trigram index: at a few
  // thousand rows PostgreSQL would rather read the tables whole, which costs little natively but tens
  // of milliseconds a table in the embedded PGlite (ILIKE is slow in WebAssembly).
  const sources = searchSourcesOf(
    await deps.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return rowsOf(await tx.execute(searchSourcesQuery(text)))[0];
    }),
  );
  if (noSources(sources)) {
    const empty = <T>(f: ListFilter) => (f.kind === 'none' ? null : group<T>([]));
    return {
      q: text,
      claims: empty(reads.claims),
      maintenanceOrders: empty(reads.maintenanceOrders),
      purchases: empty(reads.purchases),
    };
  }
  const { db } = deps;
  // At once: on PostgreSQL each takes a connection of the pool (PGlite runs them in turn anyway).
  const [claimHits, orderHits, purchaseHits] = await Promise.all([
    found(reads.claims, sources, (s) => searchClaims(db, actor, text, s)),
    found(reads.maintenanceOrders, sources, (s) => searchMaintenanceOrders(db, actor, text, s)),
    found(reads.purchases, sources, (s) => searchPurchases(db, actor, text, s)),
  ]);
  return { q: text, claims: claimHits, maintenanceOrders: orderHits, purchases: purchaseHits };
}
