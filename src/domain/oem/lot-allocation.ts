/*
 * Lots are the maker's production records: a lot of a product holds the units made in it, and ships
 * them to clients' orders by allocations. An allocation never takes more than the lot has left, nor
 * more than the order still lacks, so a lot's units shipped are at most the units made — its defect rate
 * is over units that exist.
 */

export type AllocationProblem = {
  code: 'LOT_OF_ANOTHER_PRODUCT' | 'LOT_UNITS_EXHAUSTED' | 'ORDER_UNITS_EXCEEDED' | 'INVALID_UNITS';
  message: string;
  /** What is left: of the lot, or of the order. */
  left: number;
};

export function checkAllocation(args: {
  lot: { code: string; productId: string; quantity: number; allocated: number };
  order: { orderNumber: string; productId: string; quantity: number; allocated: number };
  units: number;
}): { ok: true } | { ok: false; problem: AllocationProblem } {
  const { lot, order, units } = args;
  const lotLeft = Math.max(0, lot.quantity - lot.allocated);
  const orderLeft = Math.max(0, order.quantity - order.allocated);
  if (!Number.isSafeInteger(units) || units <= 0) {
    return {
      ok: false,
      problem: {
        code: 'INVALID_UNITS',
        message: 'allocate a whole number of units above zero',
        left: lotLeft,
      },
    };
  }
  if (lot.productId !== order.productId) {
    return {
      ok: false,
      problem: {
        code: 'LOT_OF_ANOTHER_PRODUCT',
        message: `lot ${lot.code} is of another product than order ${order.orderNumber}`,
        left: lotLeft,
      },
    };
  }
  if (units > lotLeft) {
    return {
      ok: false,
      problem: {
        code: 'LOT_UNITS_EXHAUSTED',
        message: `lot ${lot.code} has ${lotLeft} of its ${lot.quantity} units left to ship, not ${units}`,
        left: lotLeft,
      },
    };
  }
  if (units > orderLeft) {
    return {
      ok: false,
      problem: {
        code: 'ORDER_UNITS_EXCEEDED',
        message: `order ${order.orderNumber} lacks ${orderLeft} of its ${order.quantity} units, not ${units}`,
        left: orderLeft,
      },
    };
  }
  return { ok: true };
}
