import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import { orderCommitmentStatus } from './deadlines.js';
import { dueSoonDays } from './sla-days.js';

const weekdays = { businessDays: [1, 2, 3, 4, 5], closedOn: [], openOn: [] };

describe('dueSoonDays', () => {
  it('on a Friday at a Monday–Friday center holds Friday to Monday, not Tuesday', () => {
    const friday = Temporal.PlainDate.from('2026-12-04');
    expect(dueSoonDays(friday, weekdays)).toEqual(['2026-12-04', '2026-12-05', '2026-12-06', '2026-12-07']);
  });

  it('agrees with the commitment status of every due day in the coming months', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 0, max: 90 }),
        (dayOffset, businessDays, ahead) => {
          const today = Temporal.PlainDate.from('2024-01-01').add({ days: dayOffset });
          const calendar = { businessDays, closedOn: [], openOn: [] };
          const dueOn = today.add({ days: ahead }).toString();
          const status = orderCommitmentStatus(
            { state: 'received', dueOn, returnedOn: null },
            today,
            calendar,
          );
          expect(dueSoonDays(today, calendar).includes(dueOn)).toBe(status === 'due_soon');
        },
      ),
    );
  });
});
