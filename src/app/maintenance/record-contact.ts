import { sql } from 'drizzle-orm';
import { maintenanceOrderEvents, maintenanceOrders } from '../../db/schema.js';
import type { Actor } from '../../domain/access/access.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import { auditActor, recordAudit } from '../audit.js';
import { AppError } from '../errors.js';
import {
  centerToday,
  loadOrder,
  type MaintenanceOrderDetail,
  orderView,
} from './maintenance-order-records.js';
import { timelineOf } from './read-maintenance-orders.js';
import { loadOrderForChange, type MaintenanceOrderDeps, updateAtVersion } from './move-maintenance-order.js';
import { recordOrderEvent } from './order-events.js';

export type RecordContactInput = {
  orderId: string;
  expectedVersion: number;
  /**
   * What was said: on the order's timeline, which the customer follows too (they were on the call, and
   * the dialog says so), and in the audit log.
   */
  note?: string | undefined;
};

/** The center holds the product in these states, and the commitment to contact the customer runs. */
export const contactStates: readonly MaintenanceState[] = [
  'received',
  'diagnosing',
  'paidService',
  'repairing',
  'repaired',
];

/**
 * The center records that it contacted the customer, which the policy requires within the committed
 * service period. The first contact is the one the commitment is judged by; later ones are audited.
 */
export async function recordCustomerContact(
  deps: MaintenanceOrderDeps,
  actor: Actor,
  input: RecordContactInput,
): Promise<MaintenanceOrderDetail> {
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const { order, center } = await loadOrderForChange(tx, actor, input.orderId, input.expectedVersion);
    if (!contactStates.includes(order.state)) {
      throw new AppError(
        'conflict',
        'CONTACT_NOT_EXPECTED',
        `a contact is recorded while the center holds the product, not while the order is ${order.state}`,
        { state: order.state, allowedStates: contactStates },
      );
    }
    const today = centerToday(center, now).toString();
    await updateAtVersion(
      tx,
      order.id,
      input.expectedVersion,
      { contactedOn: sql`coalesce(${maintenanceOrders.contactedOn}, ${today}::date)` },
      now,
    );
    const note = input.note?.trim();
    await tx.insert(maintenanceOrderEvents).values({
      orderId: order.id,
      kind: 'contact',
      fromState: order.state,
      toState: order.state,
      on: today,
      at: new Date(now.epochMilliseconds),
      actor: auditActor(actor),
      note: note ? note : null,
    });
    await recordAudit(tx, actor, {
      action: 'maintenance_order.customer_contacted',
      entityType: 'maintenance_order',
      entityId: order.id,
      data: { on: today, first: order.contactedOn === null, ...(note ? { note } : {}) },
    });
    const updated = await loadOrder(tx, order.id);
    if (!updated) throw new Error('the maintenance order just updated is missing');
    await recordOrderEvent(tx, { type: 'maintenance_order.contact_recorded' }, updated, now);
    return { ...orderView(updated, now, actor), timeline: await timelineOf(tx, order.id) };
  });
}
