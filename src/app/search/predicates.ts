import { sql, type SQL } from 'drizzle-orm';
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

/** The text as a LIKE pattern matching any part: `%` and `_` typed by a person are literal characters. */
export function containsPattern(q: string): string {
  return `%${q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
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
  return { pattern: containsPattern(q), digits: phoneFragment(q), reference: mayBeReference(q) };
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
