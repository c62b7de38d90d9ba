import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  claims,
  endUsers,
  maintenanceOrders,
  phoneDigits,
  purchases,
  quotes,
  units,
} from '../../db/schema.js';

/*
 * What a staff member's search text matches, as WHERE conditions on claims, maintenance orders,
 * purchases and quotes: a maintenance number, a claim's reference (its id), a unit's serial, the
 * customer's or the buyer's name, e-mail or phone — any part of each, case aside. The staff search
 * (search.ts) and the lists' `q` parameter both use them; neither adds a scope here, that is the caller's.
 *
 * Written for the trigram (pg_trgm GIN) indexes of migration 0025, and so that PostgreSQL can use them at
 * a million purchases: each table is matched on its own columns with `ilike`, which a trigram index
 * answers; a match through another table is `column = any(array(select id from that table where …))` —
 * an uncorrelated sub-select run once, whose ids are looked up in the column's b-tree index — so every
 * branch of the OR is an index scan and the OR a BitmapOr, never a scan of the big table.
 */

/**
 * Texts this short match the start of a value only. A trigram index can find "any part" only from three
 * characters on (`%ab%` holds no trigram, so PostgreSQL would read the whole index and every row); the
 * start of a value it finds by the padded trigrams of its first characters (`ab%`: "  a", " ab"). So a
 * two-character name — 王伟 — or the first letters of one still find it, at any size.
 */
export const SHORT_TEXT = 3;

/** Whether a text is matched at the start of values only (see SHORT_TEXT). */
export const isShortText = (q: string): boolean => Array.from(q.trim()).length < SHORT_TEXT;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The text as a LIKE pattern matching any part: `%` and `_` typed by a person are literal characters. */
export function containsPattern(q: string): string {
  return `%${escapeLike(q.trim())}%`;
}

/** The LIKE pattern a text is matched with: any part, or the start of a value when it is short. */
export function textPattern(q: string): string {
  return isShortText(q) ? `${escapeLike(q.trim())}%` : containsPattern(q);
}

/** The same test as the SQL's, in JavaScript: whether `value` holds the text (case aside). */
export function textFoundIn(value: string, q: string): boolean {
  const needle = q.trim().toLowerCase();
  const hay = value.toLowerCase();
  return isShortText(q) ? hay.startsWith(needle) : hay.includes(needle);
}

/**
 * The digits of a text that reads as (part of) a phone number — digits with the spaces, dashes, dots,
 * brackets and plus people type between them — when there are at least three (a trigram); else none.
 * "138 0013" is 1380013; "SN-0013" is no phone, so its digits do not match every phone with 0013 in it.
 */
export function phoneFragment(q: string): string | undefined {
  const text = q.trim();
  if (!/^[\d\s()+\-.]+$/.test(text)) return undefined;
  const digits = text.replace(/\D/g, '');
  return digits.length >= 3 ? digits : undefined;
}

type Match = { pattern: string; digits: string | undefined; reference: boolean };

/**
 * A claim's reference is its id, which holds hex digits and dashes only: other text cannot be part of
 * one, so the reference index is not asked (its common trigrams would cost a name search dearly).
 */
const mayBeReference = (q: string) => /^[0-9a-f-]+$/i.test(q.trim());

function matchOf(q: string): Match {
  return { pattern: textPattern(q), digits: phoneFragment(q), reference: mayBeReference(q) };
}

/** A name, an e-mail and a phone, matched as the trigram indexes on them are written. */
function contactMatch(m: Match, name: SQL | typeof endUsers.name, email: SQL, phone: SQL): SQL {
  const parts = [sql`${name} ilike ${m.pattern}`, sql`${email} ilike ${m.pattern}`];
  if (m.digits !== undefined) parts.push(sql`${phoneDigits(phone)} like ${`%${m.digits}%`}`);
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** The ids of the customers (end users) whose name, e-mail or phone matches. */
function endUserIds(m: Match): SQL {
  return sql`array(select ${endUsers.id} from ${endUsers} where ${contactMatch(
    m,
    endUsers.name,
    sql`${endUsers.email}`,
    sql`${endUsers.phone}`,
  )})`;
}

/** The ids of the units whose serial matches. */
function unitIds(m: Match): SQL {
  return sql`array(select ${units.id} from ${units} where ${units.serial} ilike ${m.pattern})`;
}

function purchaseMatch(m: Match): SQL {
  return sql`(${purchases.unitId} = any(${unitIds(m)})
    or ${purchases.endUserId} = any(${endUserIds(m)})
    or ${contactMatch(m, sql`${purchases.buyerName}`, sql`${purchases.buyerEmail}`, sql`${purchases.buyerPhone}`)})`;
}

/** A claim by its own reference, its purchase (serial, buyer, buyer's customer) or its customer. */
function claimOwnMatch(m: Match): SQL {
  const reference = m.reference ? sql`(${claims.id}::text) ilike ${m.pattern} or ` : sql``;
  return sql`(${reference}${claims.purchaseId} = any(array(select ${purchases.id} from ${purchases} where ${purchaseMatch(m)}))
    or ${claims.endUserId} = any(${endUserIds(m)}))`;
}

/** Purchases by the unit's serial, the customer's name, e-mail or phone, or the buyer's on the proof. */
export function purchaseTextMatch(q: string): SQL {
  return purchaseMatch(matchOf(q));
}

/** Claims by reference, serial, customer or buyer, or the number of a maintenance order issued for them. */
export function claimTextMatch(q: string): SQL {
  const m = matchOf(q);
  return sql`(${claimOwnMatch(m)}
    or ${claims.id} = any(array(select ${maintenanceOrders.claimId} from ${maintenanceOrders}
                                where ${maintenanceOrders.maintenanceNumber} ilike ${m.pattern})))`;
}

/** Maintenance orders by their number, or by what their claim matches (reference, serial, customer). */
export function maintenanceOrderTextMatch(q: string): SQL {
  const m = matchOf(q);
  return sql`(${maintenanceOrders.maintenanceNumber} ilike ${m.pattern}
    or ${maintenanceOrders.claimId} = any(array(select ${claims.id} from ${claims} where ${claimOwnMatch(m)})))`;
}

/** Quotes by their invoice number, or by what their claim matches (maintenance number included). */
export function quoteTextMatch(q: string): SQL {
  const m = matchOf(q);
  return sql`(${quotes.invoiceNumber} ilike ${m.pattern}
    or ${quotes.claimId} = any(array(select ${claims.id} from ${claims} where ${claimTextMatch(q)})))`;
}

/*
 * The staff search box (search.ts) shows a few newest matches of each kind, so it need not find every
 * match: it finds at most SEARCH_CANDIDATES rows of each source — units by serial, customers by name,
 * e-mail or phone, purchases by their buyer, orders by number, claims by reference — once for the three
 * groups, and each group is then read by those ids through b-tree indexes. A common name ("Li Wei", one
 * customer in a hundred) reads the first hundred customers the index finds, not eight thousand; the
 * groups then say `more`. The lists' `q` (the predicates above) still select every match.
 */

/** At most this many rows of each source are candidates for the search box's groups. */
export const SEARCH_CANDIDATES = 100;

/** The ids the text matched in each source, at most SEARCH_CANDIDATES each. */
export type SearchSources = {
  unitIds: string[];
  endUserIds: string[];
  buyerPurchaseIds: string[];
  orderIds: string[];
  referenceClaimIds: string[];
  /** A source had more matches than SEARCH_CANDIDATES: the groups may miss some. */
  capped: boolean;
};

const idsOf = (column: SQL, from: SQL, where: SQL) =>
  sql`array_to_string(array(select ${column} from ${from} where ${where} limit ${SEARCH_CANDIDATES}), ',')`;

/** One statement finding the candidates of every source (each by its own trigram index). */
export function searchSourcesQuery(q: string): SQL {
  const m = matchOf(q);
  const reference = m.reference
    ? idsOf(sql`${claims.id}`, sql`${claims}`, sql`(${claims.id}::text) ilike ${m.pattern}`)
    : sql`''`;
  return sql`select
    ${idsOf(sql`${units.id}`, sql`${units}`, sql`${units.serial} ilike ${m.pattern}`)} as units,
    ${idsOf(sql`${endUsers.id}`, sql`${endUsers}`, contactMatch(m, endUsers.name, sql`${endUsers.email}`, sql`${endUsers.phone}`))} as end_users,
    ${idsOf(sql`${purchases.id}`, sql`${purchases}`, contactMatch(m, sql`${purchases.buyerName}`, sql`${purchases.buyerEmail}`, sql`${purchases.buyerPhone}`))} as buyers,
    ${idsOf(sql`${maintenanceOrders.id}`, sql`${maintenanceOrders}`, sql`${maintenanceOrders.maintenanceNumber} ilike ${m.pattern}`)} as orders,
    ${reference} as refs`;
}

/** The candidates as the statement answered them (ids joined by commas). */
export function searchSourcesOf(row: Record<string, unknown> | undefined): SearchSources {
  const list = (key: string) => {
    const text = row?.[key];
    return typeof text === 'string' && text !== '' ? text.split(',') : [];
  };
  const sources = {
    unitIds: list('units'),
    endUserIds: list('end_users'),
    buyerPurchaseIds: list('buyers'),
    orderIds: list('orders'),
    referenceClaimIds: list('refs'),
  };
  return {
    ...sources,
    capped: Object.values(sources).some((ids) => ids.length >= SEARCH_CANDIDATES),
  };
}

export const noSources = (s: SearchSources): boolean =>
  s.unitIds.length +
    s.endUserIds.length +
    s.buyerPurchaseIds.length +
    s.orderIds.length +
    s.referenceClaimIds.length ===
  0;

/** Ids as one uuid[] parameter (uuids hold hex digits and dashes only, so the literal is safe). */
const uuidArray = (ids: string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

function purchasesOfSources(s: SearchSources): SQL {
  return sql`(${purchases.id} = any(${uuidArray(s.buyerPurchaseIds)})
    or ${purchases.unitId} = any(${uuidArray(s.unitIds)})
    or ${purchases.endUserId} = any(${uuidArray(s.endUserIds)}))`;
}

function claimOwnOfSources(s: SearchSources): SQL {
  return sql`(${claims.id} = any(${uuidArray(s.referenceClaimIds)})
    or ${claims.endUserId} = any(${uuidArray(s.endUserIds)})
    or ${claims.purchaseId} = any(array(select ${purchases.id} from ${purchases} where ${purchasesOfSources(s)})))`;
}

/** Purchases the candidates lead to (as purchaseTextMatch, among the candidates). */
export function purchaseSourceMatch(s: SearchSources): SQL {
  return purchasesOfSources(s);
}

/** Claims the candidates lead to (as claimTextMatch, among the candidates). */
export function claimSourceMatch(s: SearchSources): SQL {
  return sql`(${claimOwnOfSources(s)}
    or ${claims.id} = any(array(select ${maintenanceOrders.claimId} from ${maintenanceOrders}
                                where ${maintenanceOrders.id} = any(${uuidArray(s.orderIds)}))))`;
}

/** Maintenance orders the candidates lead to (as maintenanceOrderTextMatch, among the candidates). */
export function maintenanceOrderSourceMatch(s: SearchSources): SQL {
  return sql`(${maintenanceOrders.id} = any(${uuidArray(s.orderIds)})
    or ${maintenanceOrders.claimId} = any(array(select ${claims.id} from ${claims} where ${claimOwnOfSources(s)})))`;
}

/*
 * A dealer or a technician searches within its own rows: a dealer's sales, a center's orders. Those are
 * few (a dealer's hundreds, a center's thousands), so each row of the scope is tested, joined to its
 * unit and customers, through the scope's own index — the candidates above, found in the whole table,
 * could all be other dealers' and hide the dealer's own matches.
 */

/** The same match as purchaseTextMatch, tested on a row joined to its unit, customer and buyer. */
export function purchaseRowMatch(
  q: string,
  joined: { serial: SQL; customer: { name: SQL; email: SQL; phone: SQL } },
): SQL {
  const m = matchOf(q);
  return sql`(${joined.serial} ilike ${m.pattern}
    or ${contactMatch(m, joined.customer.name, joined.customer.email, joined.customer.phone)}
    or ${contactMatch(m, sql`${purchases.buyerName}`, sql`${purchases.buyerEmail}`, sql`${purchases.buyerPhone}`)})`;
}

type ClaimRow = { serial: SQL; claimCustomer: { name: SQL; email: SQL; phone: SQL } };

/** The customer of a claim's purchase (usually the claim's own), read by its key from the joined purchase. */
const PURCHASE_CUSTOMERS = 'purchase_customers';
const purchaseCustomers = alias(endUsers, PURCHASE_CUSTOMERS);

function claimOwnRowMatch(m: Match, joined: ClaimRow): SQL {
  const reference = m.reference ? sql`(${claims.id}::text) ilike ${m.pattern} or ` : sql``;
  const pc = purchaseCustomers;
  return sql`(${reference}${joined.serial} ilike ${m.pattern}
    or ${contactMatch(m, joined.claimCustomer.name, joined.claimCustomer.email, joined.claimCustomer.phone)}
    or ${contactMatch(m, sql`${purchases.buyerName}`, sql`${purchases.buyerEmail}`, sql`${purchases.buyerPhone}`)}
    or exists(select 1 from ${endUsers} as ${sql.identifier(PURCHASE_CUSTOMERS)} where ${pc.id} = ${purchases.endUserId} and ${pc.id} <> ${claims.endUserId}
              and ${contactMatch(m, sql`${pc.name}`, sql`${pc.email}`, sql`${pc.phone}`)}))`;
}

/** The same match as claimTextMatch, tested on a claim joined to its purchase, unit and customers. */
export function claimRowMatch(q: string, joined: ClaimRow): SQL {
  const m = matchOf(q);
  return sql`(${claimOwnRowMatch(m, joined)}
    or exists(select 1 from ${maintenanceOrders} where ${maintenanceOrders.claimId} = ${claims.id}
              and ${maintenanceOrders.maintenanceNumber} ilike ${m.pattern}))`;
}

/** The same match as maintenanceOrderTextMatch, tested on an order joined to its claim and the rest. */
export function maintenanceOrderRowMatch(q: string, joined: ClaimRow): SQL {
  const m = matchOf(q);
  return sql`(${maintenanceOrders.maintenanceNumber} ilike ${m.pattern} or ${claimOwnRowMatch(m, joined)})`;
}
