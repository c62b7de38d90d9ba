import { parseCalendarInput, Temporal } from '../calendar.js';
import type { OrderLot } from './oem-order.js';
import { parseSerialRange, serialInRange } from './serial-range.js';

/*
 * A defect report as an OEM client files it (one by one, or a row of a CSV upload), checked before
 * anything is looked up: the same rules whichever way it arrives. What needs the other reports (a
 * serial already reported, more defects than the lot holds) is checked by the app after.
 */

export type DefectReportInput = {
  lot?: string | undefined;
  /** How many units failed; with serials it may be left out (it is their number). */
  units?: number | undefined;
  serials?: readonly string[] | undefined;
  failureMode: string;
  /** Defaults to today; a date or an RFC 3339 instant (the day it falls on in the store's zone). */
  reportedOn?: string | undefined;
};

export type CheckedDefectReport = {
  lot: string;
  units: number;
  serials: string[];
  failureMode: string;
  reportedOn: string;
};

export type DefectReportField = 'lot' | 'units' | 'serials' | 'failureMode' | 'reportedOn';

export type DefectReportProblemCode =
  | 'LOT_REQUIRED'
  | 'LOT_NOT_ON_ORDER'
  | 'UNITS_REQUIRED'
  | 'INVALID_UNITS'
  | 'UNITS_MISMATCH'
  | 'UNITS_EXCEED_LOT'
  | 'INVALID_SERIAL'
  | 'DUPLICATE_SERIAL'
  | 'SERIAL_NOT_IN_LOT'
  | 'TOO_MANY_SERIALS'
  | 'FAILURE_MODE_REQUIRED'
  | 'FAILURE_MODE_TOO_LONG'
  | 'INVALID_DATE'
  | 'REPORTED_ON_IN_FUTURE'
  | 'REPORTED_BEFORE_DELIVERY';

export type DefectReportProblem = {
  field: DefectReportField;
  code: DefectReportProblemCode;
  message: string;
};

export const MAX_FAILURE_MODE_LENGTH = 200;
export const MAX_SERIALS_PER_REPORT = 5_000;
const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

export type DefectReportContext = {
  lots: readonly OrderLot[];
  deliveryDate: Temporal.PlainDate;
  today: Temporal.PlainDate;
  timeZone: string;
};

/** The lot a set of serials belongs to, when the order's serial ranges place all of them in one. */
function lotOfSerials(lots: readonly OrderLot[], serials: readonly string[]): string | undefined {
  const holding = lots.filter((l) => {
    if (!l.serials) return false;
    const range = parseSerialRange(l.serials);
    return !('code' in range) && serials.every((s) => serialInRange(range, s));
  });
  return holding.length === 1 ? holding[0]?.lot : undefined;
}

/** Checks one report against its order: every problem is given, not only the first. */
export function checkDefectReport(
  input: DefectReportInput,
  context: DefectReportContext,
): { ok: true; report: CheckedDefectReport } | { ok: false; problems: DefectReportProblem[] } {
  const problems: DefectReportProblem[] = [];
  const problem = (field: DefectReportField, code: DefectReportProblemCode, message: string) => {
    problems.push({ field, code, message });
  };

  const serials = (input.serials ?? []).map((s) => s.trim()).filter((s) => s !== '');
  if (serials.length > MAX_SERIALS_PER_REPORT) {
    problem('serials', 'TOO_MANY_SERIALS', `at most ${MAX_SERIALS_PER_REPORT} serials per report`);
  }
  const badSerial = serials.find((s) => !SERIAL.test(s));
  if (badSerial !== undefined) {
    problem('serials', 'INVALID_SERIAL', `"${badSerial}" is not a serial number`);
  }
  const repeated = serials.find((s, i) => serials.indexOf(s) !== i);
  if (repeated !== undefined) problem('serials', 'DUPLICATE_SERIAL', `serial ${repeated} is listed twice`);

  // The lot: named, or the order's only one, or the one whose serial range holds every serial.
  const named = input.lot?.trim() ?? '';
  let lot: (typeof context.lots)[number] | undefined;
  if (named !== '') {
    lot = context.lots.find((l) => l.lot === named);
    if (!lot) {
      problem(
        'lot',
        'LOT_NOT_ON_ORDER',
        `lot ${named} is not on this order (its lots: ${context.lots.map((l) => l.lot).join(', ')})`,
      );
    }
  } else if (context.lots.length === 1) {
    lot = context.lots[0];
  } else {
    const found = serials.length > 0 ? lotOfSerials(context.lots, serials) : undefined;
    lot = context.lots.find((l) => l.lot === found);
    if (!lot) problem('lot', 'LOT_REQUIRED', 'this order ships in several lots: say which one failed');
  }

  if (lot?.serials && serials.length > 0 && badSerial === undefined) {
    const range = parseSerialRange(lot.serials);
    const outside = 'code' in range ? undefined : serials.find((s) => !serialInRange(range, s));
    if (outside !== undefined) {
      problem(
        'serials',
        'SERIAL_NOT_IN_LOT',
        `serial ${outside} is not in lot ${lot.lot} (${lot.serials.first} … ${lot.serials.last})`,
      );
    }
  }

  let units: number | undefined;
  if (input.units === undefined) {
    if (serials.length > 0) units = serials.length;
    else problem('units', 'UNITS_REQUIRED', 'say how many units failed, or list their serials');
  } else if (!Number.isSafeInteger(input.units) || input.units <= 0) {
    problem('units', 'INVALID_UNITS', 'the number of failed units is a whole number above zero');
  } else if (serials.length > 0 && input.units !== serials.length) {
    problem('units', 'UNITS_MISMATCH', `${input.units} units, but ${serials.length} serials listed`);
  } else {
    units = input.units;
  }
  if (units !== undefined && lot && units > lot.units) {
    problem('units', 'UNITS_EXCEED_LOT', `lot ${lot.lot} holds ${lot.units} units, fewer than ${units}`);
  }

  const failureMode = input.failureMode.trim();
  if (failureMode === '') {
    problem('failureMode', 'FAILURE_MODE_REQUIRED', 'say how the units fail (e.g. no sound on the left)');
  } else if (failureMode.length > MAX_FAILURE_MODE_LENGTH) {
    problem(
      'failureMode',
      'FAILURE_MODE_TOO_LONG',
      `the failure mode is at most ${MAX_FAILURE_MODE_LENGTH} characters`,
    );
  }

  let reportedOn: string | undefined;
  const rawDay = input.reportedOn?.trim() ?? '';
  const day = rawDay === '' ? context.today : parseCalendarInput(rawDay, context.timeZone);
  if ('code' in day) {
    problem('reportedOn', 'INVALID_DATE', day.message);
  } else if (Temporal.PlainDate.compare(day, context.today) > 0) {
    problem(
      'reportedOn',
      'REPORTED_ON_IN_FUTURE',
      `${day.toString()} is after today (${context.today.toString()})`,
    );
  } else if (Temporal.PlainDate.compare(day, context.deliveryDate) < 0) {
    problem(
      'reportedOn',
      'REPORTED_BEFORE_DELIVERY',
      `${day.toString()} is before the order was delivered (${context.deliveryDate.toString()})`,
    );
  } else {
    reportedOn = day.toString();
  }

  if (problems.length > 0 || !lot || units === undefined || reportedOn === undefined) {
    return { ok: false, problems };
  }
  return { ok: true, report: { lot: lot.lot, units, serials, failureMode, reportedOn } };
}

/** The columns of an OEM client's CSV upload of defect reports, in the template's order. */
export const DEFECT_CSV_COLUMNS = [
  'order_number',
  'lot',
  'units',
  'serials',
  'failure_mode',
  'reported_on',
] as const;
export type DefectCsvColumn = (typeof DEFECT_CSV_COLUMNS)[number];
/** Optional columns: a file may leave them out. */
export const OPTIONAL_DEFECT_CSV_COLUMNS: readonly DefectCsvColumn[] = [
  'lot',
  'units',
  'serials',
  'reported_on',
];

export const csvColumnOfDefectField: Record<DefectReportField, DefectCsvColumn> = {
  lot: 'lot',
  units: 'units',
  serials: 'serials',
  failureMode: 'failure_mode',
  reportedOn: 'reported_on',
};

/** Reports per upload, like sales per import: one transaction that stays short. */
export const MAX_DEFECT_REPORTS_PER_UPLOAD = 5_000;

/** Serials in one CSV cell: separated by spaces, commas or semicolons. */
export function serialsOfCell(cell: string): string[] {
  return cell
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
