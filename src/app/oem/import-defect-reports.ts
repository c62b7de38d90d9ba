import { CsvError, parse } from 'csv-parse/sync';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { oemOrders } from '../../db/schema.js';
import { type Actor, authorize } from '../../domain/access/access.js';
import { calendarDateIn, Temporal } from '../../domain/calendar.js';
import {
  checkDefectReport,
  csvColumnOfDefectField,
  DEFECT_CSV_COLUMNS,
  type DefectCsvColumn,
  MAX_DEFECT_REPORTS_PER_UPLOAD,
  OPTIONAL_DEFECT_CSV_COLUMNS,
  serialsOfCell,
} from '../../domain/oem/defect-report.js';
import { textProblem } from '../../domain/text.js';
import { forbidden } from '../access.js';
import { AppError } from '../errors.js';
import { checkAgainstOrders, type PendingReport, writeReports } from './defect-writes.js';
import { type LoadedOrder, loadOrder, lotsOf, type OemDeps } from './oem-records.js';

/** One refused cell (or row) of an upload; `row` as a spreadsheet numbers it (the header is row 1). */
export type DefectImportProblem = {
  row: number;
  field: DefectCsvColumn | 'row';
  code: string;
  message: string;
};

function parseCsv(csv: string): string[][] {
  try {
    // Blank lines are kept (as one empty cell) so that record indexes stay the spreadsheet's rows.
    return parse(csv, { bom: true, relax_column_count: true, trim: true });
  } catch (err) {
    if (err instanceof CsvError) {
      throw new AppError('invalid', 'CSV_MALFORMED', `the file is not valid CSV: ${err.message}`);
    }
    throw err;
  }
}

/** Which column holds each field; any order, the optional ones may be left out, no unknown ones. */
function columnsOf(header: readonly string[]): Partial<Record<DefectCsvColumn, number>> {
  const names = header.map((h) => h.trim().toLowerCase());
  const required = DEFECT_CSV_COLUMNS.filter((c) => !OPTIONAL_DEFECT_CSV_COLUMNS.includes(c));
  const missing = required.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(DEFECT_CSV_COLUMNS as readonly string[]).includes(n));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (missing.length > 0 || unknown.length > 0 || repeated.length > 0) {
    throw new AppError(
      'invalid',
      'CSV_HEADER_INVALID',
      `the first row names the columns ${DEFECT_CSV_COLUMNS.join(',')} (${OPTIONAL_DEFECT_CSV_COLUMNS.join(', ')} may be left out)`,
      { expected: DEFECT_CSV_COLUMNS, optional: OPTIONAL_DEFECT_CSV_COLUMNS, missing, unknown, repeated },
    );
  }
  return Object.fromEntries(
    DEFECT_CSV_COLUMNS.filter((c) => names.includes(c)).map((c) => [c, names.indexOf(c)]),
  );
}

const isBlank = (record: readonly string[]) => record.every((cell) => cell === '');

function rejected(problems: DefectImportProblem[]): AppError {
  const order = (p: DefectImportProblem) => (p.field === 'row' ? -1 : DEFECT_CSV_COLUMNS.indexOf(p.field));
  const rows = [...problems].sort((a, b) => a.row - b.row || order(a) - order(b));
  const count = new Set(rows.map((p) => p.row)).size;
  return new AppError(
    'invalid',
    'IMPORT_REJECTED',
    `nothing was imported: ${count} row${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} fixing`,
    { rows },
  );
}

/**
 * An OEM client uploads many defect reports at once as CSV: every row is checked (its cells, its
 * order — which must be the client's — and its lot, then the lot's totals and serials against the
 * other rows and earlier reports) before anything is written; one bad row refuses the whole file with
 * every problem by row and column. A file that passes is written in one transaction.
 */
export async function importDefectReports(
  deps: OemDeps,
  actor: Actor,
  csv: string,
  options: { clientId?: string | undefined } = {},
): Promise<{ imported: number }> {
  if (authorize(actor, 'oemDefects.report', {}) === 'forbidden') throw forbidden();
  const [header, ...records] = parseCsv(csv);
  if (!header || isBlank(header)) {
    throw new AppError('invalid', 'IMPORT_EMPTY', 'the file is empty; its first row names the columns');
  }
  const column = columnsOf(header);
  const rows = records.map((record, i) => ({ row: i + 2, record })).filter((r) => !isBlank(r.record));
  if (rows.length === 0)
    throw new AppError('invalid', 'IMPORT_EMPTY', 'the file has no reports under its header');
  if (rows.length > MAX_DEFECT_REPORTS_PER_UPLOAD) {
    throw new AppError(
      'invalid',
      'IMPORT_TOO_LARGE',
      `at most ${MAX_DEFECT_REPORTS_PER_UPLOAD} reports per file (this one has ${rows.length}); split it`,
      { max: MAX_DEFECT_REPORTS_PER_UPLOAD, rows: rows.length },
    );
  }

  const versions = await deps.policies.versions();
  const now = deps.now();
  const today = calendarDateIn(now, deps.storeTimeZone);
  const cellOf = (record: readonly string[], c: DefectCsvColumn) => {
    const i = column[c];
    return i === undefined ? '' : (record[i] ?? '');
  };
  // A cell with a control character is refused by name before anything reads it (NUL cannot be stored,
  // nor even looked up).
  const textProblems = new Map<number, DefectImportProblem[]>();
  for (const { row, record } of rows) {
    const found = DEFECT_CSV_COLUMNS.flatMap((c) => {
      const problem = textProblem(cellOf(record, c), { multiline: false });
      return problem ? [{ row, field: c, ...problem }] : [];
    });
    if (found.length > 0) textProblems.set(row, found);
  }
  const numbers = [
    ...new Set(
      rows
        .filter((r) => !textProblems.has(r.row))
        .map((r) => cellOf(r.record, 'order_number'))
        .filter((n) => n !== ''),
    ),
  ];

  // Order numbers are the clients' own and unique per client only: an OEM user's file names its
  // client's orders; staff name the client (clientId) when a number is used by more than one.
  const clientId = actor.role === 'oem' ? actor.scope.oemClientId : options.clientId;

  const written = await deps.db.transaction(async (tx) => {
    // The orders named, locked in one order (by id) so two uploads never deadlock.
    const ids =
      numbers.length === 0
        ? []
        : await tx
            .select({ id: oemOrders.id })
            .from(oemOrders)
            .where(
              and(
                inArray(oemOrders.orderNumber, numbers),
                clientId === undefined ? undefined : eq(oemOrders.clientId, clientId),
              ),
            )
            .orderBy(asc(oemOrders.id));
    const orders = new Map<string, LoadedOrder>();
    const ambiguous = new Set<string>();
    for (const { id } of ids) {
      const loaded = await loadOrder(tx, id, true);
      // Another client's order does not exist, as far as this client can tell.
      if (
        loaded &&
        authorize(actor, 'oemDefects.report', { oemClientId: loaded.order.clientId }) === 'allowed'
      ) {
        if (orders.has(loaded.order.orderNumber)) ambiguous.add(loaded.order.orderNumber);
        orders.set(loaded.order.orderNumber, loaded);
      }
    }

    const problems: DefectImportProblem[] = [];
    const pending: PendingReport[] = [];
    for (const { row, record } of rows) {
      const badCells = textProblems.get(row);
      if (badCells) {
        problems.push(...badCells);
        continue;
      }
      if (record.length !== header.length) {
        problems.push({
          row,
          field: 'row',
          code: 'WRONG_COLUMN_COUNT',
          message: `the row has ${record.length} cells; the header has ${header.length}`,
        });
        continue;
      }
      const number = cellOf(record, 'order_number');
      if (ambiguous.has(number)) {
        problems.push({
          row,
          field: 'order_number',
          code: 'ORDER_NUMBER_AMBIGUOUS',
          message: `more than one client has an order ${number}: upload the file with ?clientId= naming the client`,
        });
        continue;
      }
      const loaded = orders.get(number);
      if (!loaded) {
        problems.push({
          row,
          field: 'order_number',
          code: number === '' ? 'ORDER_REQUIRED' : 'OEM_ORDER_NOT_FOUND',
          message: number === '' ? 'give the order number' : `no order ${number} among your orders`,
        });
        continue;
      }
      if (loaded.order.state !== 'confirmed') {
        problems.push({
          row,
          field: 'order_number',
          code: 'ORDER_NOT_CONFIRMED',
          message: `order ${number} is ${loaded.order.state}: defects are reported on confirmed orders`,
        });
        continue;
      }
      const units = cellOf(record, 'units');
      const checked = checkDefectReport(
        {
          lot: cellOf(record, 'lot'),
          units: units === '' ? undefined : Number(units),
          serials: serialsOfCell(cellOf(record, 'serials')),
          failureMode: cellOf(record, 'failure_mode'),
          reportedOn: cellOf(record, 'reported_on'),
        },
        {
          lots: lotsOf(loaded.order),
          deliveryDate: Temporal.PlainDate.from(loaded.order.deliveryDate),
          today,
          timeZone: deps.storeTimeZone,
        },
      );
      if (checked.ok) pending.push({ row, order: loaded, report: checked.report });
      else
        for (const p of checked.problems)
          problems.push({ ...p, row, field: csvColumnOfDefectField[p.field] });
    }
    // Checked even when some rows already failed, so the report names every problem at once.
    for (const p of await checkAgainstOrders(tx, pending)) {
      problems.push({ ...p, field: csvColumnOfDefectField[p.field] });
    }
    if (problems.length > 0) throw rejected(problems);
    return writeReports(tx, { actor, versions, pending, source: 'csv', today, now });
  });
  return { imported: written.length };
}
