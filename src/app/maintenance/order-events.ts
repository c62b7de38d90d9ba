import type { Transaction } from '../../db/client.js';
import type { Temporal } from '../../domain/calendar.js';
import type { MaintenanceState } from '../../domain/maintenance/state-machine.js';
import { recordEvent } from '../events/record-event.js';
import { type LoadedOrder, orderView, ownersOfOrder } from './maintenance-order-records.js';

/**
 * A maintenance order's event, written in the transaction that changed it: the order as the API shows
 * it after the change, for its service center and its customer.
 */
export async function recordOrderEvent(
  tx: Transaction,
  event:
    | {
        type:
          'maintenance_order.issued' | 'maintenance_order.contact_recorded' | 'maintenance_order.returned';
      }
    | { type: 'maintenance_order.moved'; change: { from: MaintenanceState; to: MaintenanceState } }
    | {
        type: 'maintenance_order.commitment_due_soon' | 'maintenance_order.commitment_missed';
        change: { dueOn: string };
      },
  loaded: LoadedOrder,
  now: Temporal.Instant,
): Promise<void> {
  const common = {
    subjectId: loaded.order.id,
    scope: ownersOfOrder(loaded),
    data: orderView(loaded, now, 'system'),
    occurredAt: now,
  };
  switch (event.type) {
    case 'maintenance_order.moved':
      await recordEvent(tx, { ...common, type: event.type, change: event.change });
      return;
    case 'maintenance_order.commitment_due_soon':
    case 'maintenance_order.commitment_missed':
      await recordEvent(tx, { ...common, type: event.type, change: event.change });
      return;
    default:
      await recordEvent(tx, { ...common, type: event.type });
  }
}
