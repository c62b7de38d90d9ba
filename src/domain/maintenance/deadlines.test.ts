import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import {
  type DeadlineCandidate,
  deadlineActions,
  orderCommitmentStatus,
  warnDaysBefore,
} from './deadlines.js';

const d = (s: string) => Temporal.PlainDate.from(s);
const weekdays = { businessDays: [1, 2, 3, 4, 5], closedOn: [] };
// Wednesday 25 November 2026, noon in Shanghai.
const NOW = Temporal.Instant.from('2026-11-25T04:00:00Z');

const candidate = (overrides: Partial<DeadlineCandidate>): DeadlineCandidate => ({
  id: 'o1',
  state: 'diagnosing',
  dueOn: '2026-11-30',
  returnedOn: null,
  contactedOn: null,
  reminded: false,
  escalated: false,
  timeZone: 'Asia/Shanghai',
  calendar: weekdays,
  ...overrides,
});

describe('warnDaysBefore', () => {
  it('reaches back one business day, across a weekend and closed days', () => {
    expect(warnDaysBefore(d('2026-11-26'), weekdays)).toBe(1); // Thursday ← Wednesday
    expect(warnDaysBefore(d('2026-11-30'), weekdays)).toBe(3); // Monday ← Friday
    expect(warnDaysBefore(d('2026-11-30'), { ...weekdays, closedOn: ['2026-11-27'] })).toBe(4);
    expect(warnDaysBefore(d('2026-11-30'), { businessDays: [], closedOn: [] })).toBe(0);
  });
});

describe('orderCommitmentStatus', () => {
  const today = d('2026-11-25');
  it('reads the states of a commitment', () => {
    const status = (dueOn: string | null, returnedOn: string | null = null, state = 'diagnosing' as const) =>
      orderCommitmentStatus({ state, dueOn, returnedOn }, today, weekdays);
    expect(status(null)).toBe('not_started');
    expect(status('2026-11-27')).toBe('on_track'); // Friday: Thursday is a business day left
    expect(status('2026-11-26')).toBe('due_soon');
    expect(status('2026-11-25')).toBe('due_soon');
    expect(status('2026-11-24')).toBe('missed');
    expect(status('2026-11-24', '2026-11-24')).toBe('met');
    expect(status('2026-11-24', '2026-11-25')).toBe('missed');
    expect(
      orderCommitmentStatus({ state: 'cancelled', dueOn: '2026-11-24', returnedOn: null }, today, weekdays),
    ).toBe('cancelled');
  });
});

describe('deadlineActions', () => {
  it('reminds the customer when the due day is one business day away, even over a weekend', () => {
    // Due Monday 30th; on Wednesday two business days are left, so nothing yet.
    expect(deadlineActions([candidate({})], NOW)).toEqual([]);
    const friday = Temporal.Instant.from('2026-11-27T04:00:00Z');
    expect(deadlineActions([candidate({})], friday)).toEqual([
      { orderId: 'o1', status: 'due_soon', remind: true, escalate: false },
    ]);
  });

  it('escalates a missed commitment once, and reminds a customer never reminded', () => {
    const missed = candidate({ dueOn: '2026-11-24' });
    expect(deadlineActions([missed], NOW)).toEqual([
      { orderId: 'o1', status: 'missed', remind: true, escalate: true },
    ]);
    expect(deadlineActions([{ ...missed, reminded: true }], NOW)).toEqual([
      { orderId: 'o1', status: 'missed', remind: false, escalate: true },
    ]);
    expect(deadlineActions([{ ...missed, reminded: true, escalated: true }], NOW)).toEqual([]);
  });

  it('leaves alone orders contacted, returned, not yet received or out of the clock', () => {
    const missed = { dueOn: '2026-11-24' };
    expect(deadlineActions([candidate({ ...missed, contactedOn: '2026-11-23' })], NOW)).toEqual([]);
    expect(deadlineActions([candidate({ ...missed, state: 'repaired' })], NOW)).toEqual([]);
    expect(deadlineActions([candidate({ ...missed, state: 'paidService' })], NOW)).toEqual([]);
    expect(deadlineActions([candidate({ state: 'received', dueOn: null })], NOW)).toEqual([]);
  });

  it('counts the day in the center’s time zone', () => {
    // 04:00 UTC on the 25th is still the 24th in Los Angeles: a commitment due on the 24th is not missed there.
    const order = candidate({ dueOn: '2026-11-24', timeZone: 'America/Los_Angeles' });
    expect(deadlineActions([order], NOW)).toEqual([
      { orderId: 'o1', status: 'due_soon', remind: true, escalate: false },
    ]);
  });
});
