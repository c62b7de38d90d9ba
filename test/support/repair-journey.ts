import type { Role } from '../../src/domain/access/access.js';
import { DEMO_SKUS } from '../../src/db/seed.js';

/** A test's call of the API as a demo role, failing the test on anything but 2xx. */
export type JourneyCall = <T>(
  role: Role,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
) => Promise<T>;

/** The walk-in repair's moves after it is issued, in order. */
export const REPAIR_PATH = ['received', 'diagnosing', 'repairing', 'repaired', 'returned'] as const;

/**
 * A repair at a service center, through the API as people make it: the dealer records the sale of a DC
 * power panel, support takes the claim and chooses a maintenance order, issues it walk-in at Shenzhen and
 * moves it all the way to returned, calling the customer once the product is in. What the event feed
 * and the webhooks both have to show, step by step.
 */
export async function repairAtServiceCenter(
  call: JourneyCall,
  purchaseDate: string,
): Promise<{ saleId: string; claimId: string; order: { id: string; version: number } }> {
  const sale = await call<{ id: string }>('dealer', 'POST', '/api/v1/purchases', {
    sku: DEMO_SKUS.dcPowerPanel,
    purchaseDate,
    buyer: { name: 'Sun Li', email: 'sun.li@example.com' },
  });
  const claim = await call<{ id: string }>('support', 'POST', '/api/v1/claims', {
    purchaseId: sale.id,
    cause: 'quality',
    description: 'Output voltage drops under load',
  });
  await call('support', 'POST', `/api/v1/claims/${claim.id}/remedy`, {
    remedy: 'maintenance_order',
    expectedVersion: 1,
  });
  let order = await call<{ id: string; version: number }>(
    'support',
    'POST',
    `/api/v1/claims/${claim.id}/maintenance-order`,
    { mode: 'walk_in', location: { cityId: 'shenzhen' } },
  );
  for (const to of REPAIR_PATH) {
    order = await call('support', 'POST', `/api/v1/maintenance-orders/${order.id}/transitions`, {
      to,
      expectedVersion: order.version,
    });
    // The center calls the customer once it holds the product.
    if (to === 'received') {
      order = await call('support', 'POST', `/api/v1/maintenance-orders/${order.id}/contact`, {
        note: 'Called: the fault is confirmed',
        expectedVersion: order.version,
      });
    }
  }
  return { saleId: sale.id, claimId: claim.id, order };
}
