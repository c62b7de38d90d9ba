import { CsvError, parse } from 'csv-parse/sync';
import type { Actor } from '../../domain/access/access.js';
import { calendarDateIn } from '../../domain/calendar.js';
import {
  checkPriceCells,
  checkSale,
  csvColumnOfField,
  MAX_SALES_PER_IMPORT,
  type Sale,
  SALE_CSV_COLUMNS,
  SALE_CSV_OPTIONAL_COLUMNS,
  type SaleCsvColumn,
} from '../../domain/purchases/sale.js';
import { textProblem } from '../../domain/text.js';
import { AppError } from '../errors.js';
import type { PurchasesDeps } from './purchase-view.js';
import { dealerOfSale } from './record-purchase.js';
import { redecideClaims } from './redecide-claims.js';
import { resolveSales, saleRaceConflict, writeSalesAndMatches } from './sales.js';
import { recordSaleEvents } from './purchase-events.js';

/**
 * One refused cell (or row) of an import. `row` is the row as a spreadsheet numbers it: the header is
 * row 1, the first sale row 2.
 */
export type ImportRowProblem = { row: number; field: SaleCsvColumn | 'row'; code: string; message: string };

export type ImportPurchasesInput = { csv: string; dealerId?: string | undefined };

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

const ALL_COLUMNS: readonly SaleCsvColumn[] = [...SALE_CSV_COLUMNS, ...SALE_CSV_OPTIONAL_COLUMNS];

/**
 * Which column of the file holds each field; any order, every required column once, the optional
 * price columns at most once, and no others. A column the file leaves out is -1.
 */
function columnsOf(header: readonly string[]): Record<SaleCsvColumn, number> {
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = SALE_CSV_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(ALL_COLUMNS as readonly string[]).includes(n));
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (missing.length > 0 || unknown.length > 0 || repeated.length > 0) {
    throw new AppError(
      'invalid',
      'CSV_HEADER_INVALID',
      `the first row must name the columns ${SALE_CSV_COLUMNS.join(',')} (and may add ${SALE_CSV_OPTIONAL_COLUMNS.join(',')})`,
      { expected: SALE_CSV_COLUMNS, optional: SALE_CSV_OPTIONAL_COLUMNS, missing, unknown, repeated },
    );
  }
  return Object.fromEntries(ALL_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<SaleCsvColumn, number>;
}

const isBlank = (record: readonly string[]) => record.every((cell) => cell === '');

function rejected(problems: ImportRowProblem[]): AppError {
  const order = (p: ImportRowProblem) => (p.field === 'row' ? -1 : ALL_COLUMNS.indexOf(p.field));
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
 * A dealer imports its sales from a CSV file: every row is checked (its cells, then its product and
 * unit) before anything is written, and one bad row refuses the whole file with a report of every
 * problem by row and column. A file that passes is recorded in one transaction.
 */
export async function importPurchases(
  deps: PurchasesDeps,
  actor: Actor,
  input: ImportPurchasesInput,
): Promise<{ imported: number }> {
  const dealerId = await dealerOfSale(deps.db, actor, input.dealerId);
  const [header, ...records] = parseCsv(input.csv);
  if (!header || isBlank(header)) {
    throw new AppError('invalid', 'IMPORT_EMPTY', 'the file is empty; its first row names the columns');
  }
  const column = columnsOf(header);
  const rows = records.map((record, i) => ({ row: i + 2, record })).filter((r) => !isBlank(r.record));
  if (rows.length === 0)
    throw new AppError('invalid', 'IMPORT_EMPTY', 'the file has no sales under its header');
  if (rows.length > MAX_SALES_PER_IMPORT) {
    throw new AppError(
      'invalid',
      'IMPORT_TOO_LARGE',
      `at most ${MAX_SALES_PER_IMPORT} sales per file (this one has ${rows.length}); split it`,
      { max: MAX_SALES_PER_IMPORT, rows: rows.length },
    );
  }

  const today = calendarDateIn(deps.now(), deps.storeTimeZone);
  const problems: ImportRowProblem[] = [];
  const sales: { row: number; sale: Sale }[] = [];
  for (const { row, record } of rows) {
    if (record.length !== header.length) {
      problems.push({
        row,
        field: 'row',
        code: 'WRONG_COLUMN_COUNT',
        message: `the row has ${record.length} cells; the header has ${header.length}`,
      });
      continue;
    }
    const cell = (c: SaleCsvColumn) => (column[c] < 0 ? '' : (record[column[c]] ?? ''));
    // A cell with a control character is refused by name before anything reads it (NUL cannot be stored).
    const badCells = ALL_COLUMNS.flatMap((c) => {
      const problem = textProblem(cell(c), { multiline: false });
      return problem ? [{ row, field: c, ...problem }] : [];
    });
    if (badCells.length > 0) {
      problems.push(...badCells);
      continue;
    }
    const price = checkPriceCells(cell('price'), cell('currency'));
    if (!price.ok) {
      for (const p of price.problems) problems.push({ ...p, row, field: csvColumnOfField[p.field] });
      continue;
    }
    const checked = checkSale(
      {
        price: price.price,
        serial: cell('serial'),
        sku: cell('sku'),
        purchaseDate: cell('purchase_date'),
        buyerName: cell('buyer_name'),
        buyerEmail: cell('buyer_email'),
        buyerPhone: cell('buyer_phone'),
      },
      { today, timeZone: deps.storeTimeZone },
    );
    if (checked.ok) sales.push({ row, sale: checked.sale });
    else for (const p of checked.problems) problems.push({ ...p, row, field: csvColumnOfField[p.field] });
  }

  // Read before the transaction: registrations the sales match may have claims to decide again.
  const versions = await deps.policies.versions();
  const now = new Date(deps.now().epochMilliseconds);
  try {
    return await deps.db.transaction(async (tx) => {
      // Looked up even when some rows already failed, so the report names every problem at once.
      const resolved = await resolveSales(
        tx,
        sales.map((s) => s.sale),
      );
      if (!resolved.ok) {
        for (const p of resolved.problems) {
          const row = sales[p.index]?.row ?? 0;
          const serial = sales[p.index]?.sale.serial;
          const first = sales.find((s) => s.sale.serial === serial)?.row;
          const message =
            p.code === 'DUPLICATE_SERIAL'
              ? `serial "${serial ?? ''}" is also in row ${first ?? '?'}`
              : p.message;
          problems.push({ row, field: csvColumnOfField[p.field], code: p.code, message });
        }
      }
      if (problems.length > 0 || !resolved.ok) throw rejected(problems);
      const written = await writeSalesAndMatches(tx, resolved.resolved, {
        actor,
        dealerId,
        action: 'purchase.recorded',
        auditData: { via: 'csv_import' },
        at: now,
      });
      for (const m of written.matched) {
        if (m.changes.purchaseDate) {
          const context = { versions, storeTimeZone: deps.storeTimeZone, actor, at: now };
          await redecideClaims(tx, context, m.purchaseId, m.changes.purchaseDate.to);
        }
      }
      await recordSaleEvents(tx, { ...deps, versions }, written, now);
      return { imported: written.ids.length };
    });
  } catch (err) {
    throw saleRaceConflict(err) ?? err;
  }
}
