import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, startsFormula } from './csv.js';

describe('CSV cells the app writes', () => {
  const formulaish = fc.oneof(
    fc.constantFrom(
      '=1+1',
      '+1',
      '-1',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      '=HYPERLINK("http://x","y")',
      '=cmd|" /C calc"!A0',
    ),
    fc.string(),
    fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n'), fc.string()).map(([a, b]) => a + b),
  );

  it('never lets text start a formula, and keeps what was typed after the apostrophe', () => {
    fc.assert(
      fc.property(formulaish, (text) => {
        const cell = csvCell(text, 'text');
        expect(startsFormula(cell)).toBe(false);
        const rows: string[][] = parse(`${cell}\r\n`);
        const back = rows[0]?.[0] ?? '';
        expect(back === text || back === `'${text}`).toBe(true);
        if (back !== text) expect(/^[=+\-@\t\r\n]/.test(text)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it('writes the app’s own values as they are', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('2026-01-02')).toBe('2026-01-02');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b', 'text')).toBe('"a,b"');
    expect(csvCell('=1', 'text')).toBe("'=1");
  });
});
