import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMultiLineField, textProblem } from './text.js';

const isControl = (c: number) => c <= 0x1f || (c >= 0x7f && c <= 0x9f);
const isLineBreakOrTab = (c: number) => c === 0x09 || c === 0x0a || c === 0x0d;

describe('text the business keeps', () => {
  it('refuses exactly the text holding a control character (tab, LF and CR allowed only in multi-line fields)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.boolean(), (text, multiline) => {
        const codes = Array.from(text).map((ch) => ch.codePointAt(0) ?? 0);
        const control = codes.some((c) => isControl(c) && !(multiline && isLineBreakOrTab(c)));
        const problem = textProblem(text, { multiline });
        if (control) expect(problem?.code).toBe('CONTROL_CHARACTER');
        else expect(problem).toBeUndefined();
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses half a character', () => {
    expect(textProblem('a\uD800b', { multiline: true })?.code).toBe('INVALID_UNICODE');
    expect(textProblem('\uDC00', { multiline: false })?.code).toBe('INVALID_UNICODE');
    expect(textProblem('😀 直流屏', { multiline: false })).toBeUndefined();
  });

  it('knows the multi-line fields, and a quote line’s description is one line', () => {
    expect(isMultiLineField(['description'])).toBe(true);
    expect(isMultiLineField(['note'])).toBe(true);
    expect(isMultiLineField(['text'])).toBe(true);
    expect(isMultiLineField(['lines', 0, 'description'])).toBe(false);
    expect(isMultiLineField(['nameEn'])).toBe(false);
  });
});
