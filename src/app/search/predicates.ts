import { type SQL, sql } from 'drizzle-orm';
import { claims, maintenanceOrders, purchases, quotes } from '../../db/schema.js';
import { likeContains } from '../lists/keyset.js';

/*
 * Free text (`q`) over a list's entity: its number, the unit's serial, the customer's name, phone and
 * e-mail, case-insensitive, with LIKE's wildcards taken literally. Each predicate names only its own
 * entity's table from the outer query (the rest is looked up in a subquery), so any list of that
 * entity can use it whatever it joins.
 */

const pattern = (q: string) => likeContains(q);

function customerMatches(alias: string, p: string): SQL {
  const a = sql.raw(alias);
  return sql`(${a}.name ilike ${p} escape '\\' or ${a}.email ilike ${p} escape '\\' or ${a}.phone ilike ${p} escape '\\')`;
}

function buyerMatches(alias: string, p: string): SQL {
  const a = sql.raw(alias);
  return sql`(${a}.buyer_name ilike ${p} escape '\\' or ${a}.buyer_email ilike ${p} escape '\\' or ${a}.buyer_phone ilike ${p} escape '\\')`;
}

/** A purchase by its unit's serial, its buyer's or customer's name, phone or e-mail. */
export function purchaseTextMatch(q: string): SQL {
  const p = pattern(q);
  return sql`(${buyerMatches('"purchases"', p)}
    or exists (select 1 from end_users q_e where q_e.id = ${purchases.endUserId} and ${customerMatches('q_e', p)})
    or exists (select 1 from units q_u where q_u.id = ${purchases.unitId} and q_u.serial ilike ${p} escape '\\'))`;
}

/** A claim by its maintenance number, its unit's serial, its customer's name, phone or e-mail. */
export function claimTextMatch(q: string): SQL {
  const p = pattern(q);
  return sql`(exists (select 1 from end_users q_e where q_e.id = ${claims.endUserId} and ${customerMatches('q_e', p)})
    or exists (select 1 from purchases q_p left join units q_u on q_u.id = q_p.unit_id
      where q_p.id = ${claims.purchaseId} and (q_u.serial ilike ${p} escape '\\' or ${buyerMatches('q_p', p)}))
    or exists (select 1 from maintenance_orders q_m where q_m.claim_id = ${claims.id}
      and q_m.maintenance_number ilike ${p} escape '\\'))`;
}

/** A maintenance order by its number, its unit's serial, its customer's name, phone or e-mail. */
export function maintenanceOrderTextMatch(q: string): SQL {
  const p = pattern(q);
  return sql`(${maintenanceOrders.maintenanceNumber} ilike ${p} escape '\\'
    or exists (select 1 from claims q_c join end_users q_e on q_e.id = q_c.end_user_id
      join purchases q_p on q_p.id = q_c.purchase_id left join units q_u on q_u.id = q_p.unit_id
      where q_c.id = ${maintenanceOrders.claimId}
        and (${customerMatches('q_e', p)} or q_u.serial ilike ${p} escape '\\')))`;
}

/** A quote by its invoice number, its claim's serial or customer. */
export function quoteTextMatch(q: string): SQL {
  const p = pattern(q);
  return sql`(${quotes.invoiceNumber} ilike ${p} escape '\\'
    or exists (select 1 from claims q_c join end_users q_e on q_e.id = q_c.end_user_id
      join purchases q_p on q_p.id = q_c.purchase_id left join units q_u on q_u.id = q_p.unit_id
      where q_c.id = ${quotes.claimId}
        and (${customerMatches('q_e', p)} or q_u.serial ilike ${p} escape '\\')))`;
}
