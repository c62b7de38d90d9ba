import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { claims, conversations, endUsers, products, purchases } from '../../db/schema.js';
import { type Actor, listFilter } from '../../domain/access/access.js';
import { forbidden } from '../access.js';
import type { ConversationDeps } from './conversation-records.js';

export type WaitingConversation = {
  id: string;
  claimId: string;
  waitingSince: string;
  lastMessageAt: string | null;
  customerName: string;
  product: { en: string; zh: string };
  maintenanceNumber: string | null;
  /** The claim's latest maintenance order: where a technician answers. */
  maintenanceOrderId: string | null;
  /** The first words of the customer's latest message. */
  excerpt: string;
};

export const EXCERPT_CHARS = 140;

/**
 * The conversations waiting for staff, oldest first: support and sales every one, a dealer those on its
 * sales, a center those on the orders it works (the claim's latest order). Read from the partial index
 * of waiting conversations and stopped at `limit`.
 */
export async function listWaitingConversations(
  deps: Pick<ConversationDeps, 'db'>,
  actor: Actor,
  query: { limit: number },
): Promise<{ items: WaitingConversation[] }> {
  const filter = listFilter(actor, 'conversations.queue');
  if (filter.kind === 'none') throw forbidden();
  const latestCenter = sql`(select mo.service_center_id from maintenance_orders mo
     where mo.claim_id = ${claims.id} order by mo.created_at desc, mo.id desc limit 1)`;
  const latestNumber = sql<string | null>`(select mo.maintenance_number from maintenance_orders mo
     where mo.claim_id = ${claims.id} order by mo.created_at desc, mo.id desc limit 1)`;
  const latestOrder = sql<string | null>`(select mo.id from maintenance_orders mo
     where mo.claim_id = ${claims.id} order by mo.created_at desc, mo.id desc limit 1)`;
  const scope: SQL[] = [];
  if (filter.kind === 'scope') {
    const { dealerId, serviceCenterId } = filter.owners;
    if (dealerId) scope.push(eq(purchases.dealerId, dealerId));
    else if (serviceCenterId) scope.push(sql`${latestCenter} = ${serviceCenterId}`);
    else throw forbidden();
  }
  const rows = await deps.db
    .select({
      id: conversations.id,
      claimId: conversations.claimId,
      waitingSince: conversations.waitingSince,
      lastMessageAt: conversations.lastMessageAt,
      customerName: endUsers.name,
      productEn: products.nameEn,
      productZh: products.nameZh,
      maintenanceNumber: latestNumber,
      maintenanceOrderId: latestOrder,
      excerpt: sql<string | null>`(select left(m.body, ${EXCERPT_CHARS}) from conversation_messages m
         where m.conversation_id = ${conversations.id} and m.author_kind = 'customer'
         order by m.seq desc limit 1)`,
    })
    .from(conversations)
    .innerJoin(claims, eq(claims.id, conversations.claimId))
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .innerJoin(products, eq(products.id, purchases.productId))
    .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
    .where(and(eq(conversations.state, 'waiting_for_staff'), ...scope))
    .orderBy(asc(conversations.waitingSince), asc(conversations.id))
    .limit(query.limit);
  return {
    items: rows.map((r) => ({
      id: r.id,
      claimId: r.claimId,
      waitingSince: (r.waitingSince ?? new Date(0)).toISOString(),
      lastMessageAt: r.lastMessageAt?.toISOString() ?? null,
      customerName: r.customerName,
      product: { en: r.productEn, zh: r.productZh },
      maintenanceNumber: r.maintenanceNumber,
      maintenanceOrderId: r.maintenanceOrderId,
      excerpt: r.excerpt ?? '',
    })),
  };
}
