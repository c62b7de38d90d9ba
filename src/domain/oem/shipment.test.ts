import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import {
  allowedShipmentMoves,
  allowedShippingModes,
  defaultShippingMode,
  isOpenShipment,
  moveShipment,
  type ShipmentKind,
  type ShipmentMove,
  type ShipmentSnapshot,
  shipmentKinds,
  shipmentStates,
  shippingModes,
} from './shipment.js';

const TODAY = Temporal.PlainDate.from('2026-11-30');

const fresh = (kind: ShipmentKind): ShipmentSnapshot => ({
  kind,
  state: 'planned',
  shippingMode: defaultShippingMode[kind],
  carrier: null,
  waybill: null,
  shippedOn: null,
  deliveredOn: null,
  cancellationReason: null,
});

/** What each move needs to be accepted, so the table alone decides. */
const complete = (to: ShipmentMove['to']): ShipmentMove => ({
  to,
  today: TODAY,
  ...(to === 'shipped' ? { carrier: 'Cathay Cargo', waybill: '160-12345675' } : {}),
  ...(to === 'cancelled' ? { reason: 'the client withdrew the order' } : {}),
});

function codeOf(current: ShipmentSnapshot, move: ShipmentMove): string {
  const r = moveShipment(current, move);
  return r.ok ? 'ok' : r.error.code;
}

function inProduction(kind: ShipmentKind): ShipmentSnapshot {
  return { ...fresh(kind), state: 'in_production' };
}

describe('a shipment to an OEM client', () => {
  it('moves only along its table; a refused move lists the allowed ones', () => {
    for (const kind of shipmentKinds) {
      for (const from of shipmentStates) {
        for (const to of shipmentStates) {
          const current = {
            ...fresh(kind),
            state: from,
            ...(from === 'shipped' || from === 'delivered'
              ? { carrier: 'DHL', waybill: 'X1', shippedOn: '2026-11-20' }
              : {}),
          };
          const r = moveShipment(current, complete(to));
          expect(r.ok, `${kind} ${from} → ${to}`).toBe(allowedShipmentMoves(from).includes(to));
          if (!r.ok) {
            expect(r.error).toMatchObject({
              code: 'ILLEGAL_TRANSITION',
              allowed: allowedShipmentMoves(from),
            });
          }
        }
      }
    }
    expect(allowedShipmentMoves('planned')).toEqual(['in_production', 'cancelled']);
    expect(allowedShipmentMoves('in_production')).toEqual(['shipped', 'cancelled']);
    expect(allowedShipmentMoves('shipped')).toEqual(['delivered']);
    expect(allowedShipmentMoves('delivered')).toEqual([]);
    expect(isOpenShipment('in_production')).toBe(true);
    expect(isOpenShipment('shipped')).toBe(false);
  });

  it('ships with a carrier and a waybill, on today unless told the day it left', () => {
    const r = moveShipment(inProduction('remake'), {
      to: 'shipped',
      today: TODAY,
      carrier: '  Cathay Cargo ',
      waybill: ' 160-12345675 ',
    });
    expect(r).toEqual({
      ok: true,
      notify: true,
      shipment: {
        ...inProduction('remake'),
        state: 'shipped',
        carrier: 'Cathay Cargo',
        waybill: '160-12345675',
        shippedOn: '2026-11-30',
      },
    });
    const ship = (m: Partial<ShipmentMove>) =>
      codeOf(inProduction('remake'), { ...complete('shipped'), ...m });
    expect(ship({ carrier: ' ' })).toBe('CARRIER_REQUIRED');
    expect(ship({ waybill: undefined })).toBe('WAYBILL_REQUIRED');
    expect(ship({ shippedOn: TODAY.add({ days: 1 }) })).toBe('DAY_IN_FUTURE');
    expect(ship({ shippedOn: TODAY.subtract({ days: 3 }) })).toBe('ok');
    expect(codeOf(fresh('remake'), { to: 'in_production', today: TODAY, carrier: 'DHL' })).toBe(
      'FIELD_NOT_FOR_THIS_MOVE',
    );
  });

  it('sends a remake by air only; a replacement the way staff choose, by sea unless told', () => {
    for (const mode of shippingModes) {
      const remake = moveShipment(inProduction('remake'), { ...complete('shipped'), shippingMode: mode });
      expect(remake.ok, mode).toBe(mode === 'air');
      if (!remake.ok)
        expect(remake.error).toMatchObject({ code: 'SHIPPING_MODE_NOT_ALLOWED', allowed: ['air'] });
      const replacement = moveShipment(inProduction('replacement'), {
        ...complete('shipped'),
        shippingMode: mode,
      });
      expect(replacement.ok && replacement.shipment.shippingMode).toBe(mode);
    }
    const byDefault = moveShipment(inProduction('replacement'), complete('shipped'));
    expect(byDefault.ok && byDefault.shipment.shippingMode).toBe('sea');
  });

  it('is delivered no earlier than it left and no later than today; cancelling says why', () => {
    const shipped: ShipmentSnapshot = {
      ...fresh('replacement'),
      state: 'shipped',
      carrier: 'COSCO',
      waybill: 'COSU6123456789',
      shippedOn: '2026-11-10',
    };
    const deliver = (deliveredOn?: Temporal.PlainDate) =>
      codeOf(shipped, { to: 'delivered', today: TODAY, deliveredOn });
    expect(deliver(Temporal.PlainDate.from('2026-11-09'))).toBe('DELIVERED_BEFORE_SHIPPED');
    expect(deliver(Temporal.PlainDate.from('2026-11-10'))).toBe('ok');
    expect(deliver(TODAY.add({ days: 1 }))).toBe('DAY_IN_FUTURE');
    const done = moveShipment(shipped, { to: 'delivered', today: TODAY });
    expect(done.ok && done.shipment.deliveredOn).toBe('2026-11-30');
    expect(codeOf(fresh('remake'), { to: 'cancelled', today: TODAY })).toBe('REASON_REQUIRED');
    const cancelled = moveShipment(fresh('remake'), { to: 'cancelled', today: TODAY, reason: ' merged ' });
    expect(cancelled).toMatchObject({
      ok: true,
      notify: false,
      shipment: { state: 'cancelled', cancellationReason: 'merged' },
    });
  });

  it('keeps its invariants over any sequence of moves (property)', () => {
    const moveArb: fc.Arbitrary<ShipmentMove> = fc.record(
      {
        to: fc.constantFrom(...shipmentStates),
        today: fc.integer({ min: 0, max: 60 }).map((d) => TODAY.subtract({ days: d })),
        carrier: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
        waybill: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
        shippingMode: fc.option(fc.constantFrom(...shippingModes), { nil: undefined }),
        shippedOn: fc.option(
          fc.integer({ min: 0, max: 90 }).map((d) => TODAY.subtract({ days: d })),
          { nil: undefined },
        ),
        deliveredOn: fc.option(
          fc.integer({ min: 0, max: 90 }).map((d) => TODAY.subtract({ days: d })),
          { nil: undefined },
        ),
        reason: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
      },
      { requiredKeys: ['to', 'today'] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...shipmentKinds), fc.array(moveArb, { maxLength: 12 }), (kind, moves) => {
        let s = fresh(kind);
        for (const m of moves) {
          const r = moveShipment(s, m);
          if (!r.ok) {
            // A refused move changes nothing; an illegal one names exactly the table's moves.
            if (r.error.code === 'ILLEGAL_TRANSITION')
              expect(r.error.allowed).toEqual(allowedShipmentMoves(s.state));
            continue;
          }
          expect(allowedShipmentMoves(s.state)).toContain(m.to);
          s = r.shipment;
          const modes: readonly string[] = allowedShippingModes[kind];
          expect(modes).toContain(s.shippingMode);
          if (s.state === 'shipped' || s.state === 'delivered') {
            expect(s.carrier?.trim()).toBeTruthy();
            expect(s.waybill?.trim()).toBeTruthy();
            expect(s.shippedOn).not.toBeNull();
          }
          if (s.state === 'delivered') {
            expect((s.deliveredOn ?? '') >= (s.shippedOn ?? '')).toBe(true);
            expect(s.deliveredOn).not.toBeNull();
          } else {
            expect(s.deliveredOn).toBeNull();
          }
          if (s.state === 'cancelled') {
            expect(s.shippedOn).toBeNull();
            expect(s.cancellationReason?.trim()).toBeTruthy();
          }
        }
      }),
    );
  });
});
