import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import { checkDefectReport, type DefectReportInput, serialsOfCell } from './defect-report.js';
import type { OrderLot } from './oem-order.js';

const d = (s: string) => Temporal.PlainDate.from(s);
const lots: OrderLot[] = [
  { lot: 'L1', units: 100, serials: { first: 'S-001', last: 'S-100' } },
  { lot: 'L2', units: 50, serials: null },
];
const context = { lots, deliveryDate: d('2026-06-01'), today: d('2026-11-30'), timeZone: 'Asia/Shanghai' };
const check = (input: Partial<DefectReportInput>) =>
  checkDefectReport({ failureMode: 'no sound', ...input }, context);
const codes = (input: Partial<DefectReportInput>) => {
  const r = check(input);
  return r.ok ? [] : r.problems.map((p) => `${p.field}:${p.code}`);
};

describe('a defect report', () => {
  it('takes a count or serials; serials name their lot and are their count; today by default', () => {
    expect(check({ lot: 'L2', units: 3 })).toEqual({
      ok: true,
      report: { lot: 'L2', units: 3, serials: [], failureMode: 'no sound', reportedOn: '2026-11-30' },
    });
    expect(check({ serials: ['S-010', 'S-011'], reportedOn: '2026-07-01' })).toMatchObject({
      ok: true,
      report: { lot: 'L1', units: 2, serials: ['S-010', 'S-011'], reportedOn: '2026-07-01' },
    });
  });

  it('names every problem with its field', () => {
    expect(codes({ units: 3 })).toEqual(['lot:LOT_REQUIRED']);
    expect(codes({ lot: 'L9', units: 3 })).toEqual(['lot:LOT_NOT_ON_ORDER']);
    expect(codes({ lot: 'L1' })).toEqual(['units:UNITS_REQUIRED']);
    expect(codes({ lot: 'L1', units: 0 })).toEqual(['units:INVALID_UNITS']);
    expect(codes({ lot: 'L1', units: 2.5 })).toEqual(['units:INVALID_UNITS']);
    expect(codes({ lot: 'L2', units: 51 })).toEqual(['units:UNITS_EXCEED_LOT']);
    expect(codes({ lot: 'L1', units: 3, serials: ['S-001'] })).toEqual(['units:UNITS_MISMATCH']);
    expect(codes({ lot: 'L1', serials: ['S-001', 'S-001'] })).toEqual(['serials:DUPLICATE_SERIAL']);
    expect(codes({ lot: 'L1', serials: ['S-101'] })).toEqual(['serials:SERIAL_NOT_IN_LOT']);
    expect(codes({ lot: 'L1', serials: ['S 1'] })).toEqual(['serials:INVALID_SERIAL']);
    expect(codes({ lot: 'L1', units: 1, failureMode: '  ' })).toEqual(['failureMode:FAILURE_MODE_REQUIRED']);
    expect(codes({ lot: 'L1', units: 1, reportedOn: '2026-12-01' })).toEqual([
      'reportedOn:REPORTED_ON_IN_FUTURE',
    ]);
    expect(codes({ lot: 'L1', units: 1, reportedOn: '2026-05-31' })).toEqual([
      'reportedOn:REPORTED_BEFORE_DELIVERY',
    ]);
    expect(codes({ lot: 'L1', units: 1, reportedOn: '2026-02-30' })).toEqual(['reportedOn:INVALID_DATE']);
    expect(codes({ lot: 'L9', units: -1, failureMode: '' })).toEqual([
      'lot:LOT_NOT_ON_ORDER',
      'units:INVALID_UNITS',
      'failureMode:FAILURE_MODE_REQUIRED',
    ]);
  });

  it('reads the serials of a CSV cell', () => {
    expect(serialsOfCell(' S-001; S-002 S-003,S-004 ')).toEqual(['S-001', 'S-002', 'S-003', 'S-004']);
    expect(serialsOfCell('')).toEqual([]);
  });
});
