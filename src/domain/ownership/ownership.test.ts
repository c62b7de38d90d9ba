import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Candidate, decideOwnership, mayOwn, type OwnershipRequest } from './ownership.js';

const person = fc.constantFrom('ann', 'bo', 'cy', 'dee');
const request: fc.Arbitrary<OwnershipRequest> = fc.oneof(
  fc.record({ kind: fc.constant('take' as const), caller: person, reassign: fc.boolean() }),
  fc.record({ kind: fc.constant('assign' as const), caller: person, to: person, reassign: fc.boolean() }),
  fc.record({ kind: fc.constant('release' as const), caller: person, reassign: fc.boolean() }),
);

describe('decideOwnership', () => {
  it('never takes an object from someone else without an explicit reassignment', () => {
    fc.assert(
      fc.property(fc.option(person, { nil: null }), request, (current, req) => {
        const outcome = decideOwnership(current, req);
        if (outcome.kind === 'change' && current !== null && current !== req.caller) {
          expect(req.reassign).toBe(true);
        }
        if (outcome.kind === 'refused') {
          expect(current).not.toBeNull();
          expect(current).not.toBe(req.caller);
          expect(req.reassign).toBe(false);
        }
      }),
    );
  });

  it('changes to what was asked, and says where from', () => {
    fc.assert(
      fc.property(fc.option(person, { nil: null }), request, (current, req) => {
        const outcome = decideOwnership(current, { ...req, reassign: true });
        const to = req.kind === 'take' ? req.caller : req.kind === 'assign' ? req.to : null;
        if (current === to) expect(outcome).toEqual({ kind: 'unchanged', owner: current });
        else expect(outcome).toEqual({ kind: 'change', from: current, to });
      }),
    );
  });

  it('lets anyone take what nobody works, and refuses a plain take of another’s', () => {
    expect(decideOwnership(null, { kind: 'take', caller: 'ann', reassign: false })).toEqual({
      kind: 'change',
      from: null,
      to: 'ann',
    });
    expect(decideOwnership('bo', { kind: 'take', caller: 'ann', reassign: false })).toEqual({
      kind: 'refused',
      code: 'OWNED_BY_ANOTHER',
      owner: 'bo',
    });
    expect(decideOwnership('ann', { kind: 'release', caller: 'ann', reassign: false })).toEqual({
      kind: 'change',
      from: 'ann',
      to: null,
    });
  });
});

describe('mayOwn', () => {
  const base: Candidate = { id: 'u', role: 'support', serviceCenterId: null, active: true };
  it('gives claims to support and admins only', () => {
    expect(mayOwn('claim', base, {})).toBe(true);
    expect(mayOwn('claim', { ...base, role: 'admin' }, {})).toBe(true);
    for (const role of ['qa', 'sales', 'dealer', 'oem', 'customer'])
      expect(mayOwn('claim', { ...base, role }, {})).toBe(false);
    expect(mayOwn('claim', { ...base, role: 'technician', serviceCenterId: 'c1' }, {})).toBe(false);
  });

  it('gives an order to its own center’s technicians, never another center’s, nor to the inactive', () => {
    const tech = { ...base, role: 'technician', serviceCenterId: 'c1' };
    expect(mayOwn('maintenance_order', tech, { serviceCenterId: 'c1' })).toBe(true);
    expect(mayOwn('maintenance_order', tech, { serviceCenterId: 'c2' })).toBe(false);
    expect(mayOwn('maintenance_order', { ...base, active: false }, { serviceCenterId: 'c1' })).toBe(false);
    fc.assert(
      fc.property(fc.constantFrom('c1', 'c2', 'c3'), fc.constantFrom('c1', 'c2', 'c3'), (own, order) => {
        expect(
          mayOwn('maintenance_order', { ...tech, serviceCenterId: own }, { serviceCenterId: order }),
        ).toBe(own === order);
      }),
    );
  });
});
