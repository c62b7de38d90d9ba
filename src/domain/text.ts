/*
 * What text the business keeps. Nothing a person types into a name, a serial or a subject contains a
 * control character: NUL cannot even be stored (PostgreSQL text refuses it, and the refusal was a 500),
 * ESC and the C1 controls (U+0080–U+009F, NEL among them) are terminal and mail-header tricks, and CR/LF in
 * a name becomes a header line of the e-mail it is put in. Such text is refused, never stripped: a
 * serial or an e-mail address silently changed would name something else. Free text that is multi-line
 * by nature (a claim's description, a technician's note) may hold tab, line feed and carriage return.
 * A lone surrogate is not text at all (it has no UTF-8 form) and is refused the same way.
 */

export type TextProblem = { code: 'CONTROL_CHARACTER' | 'INVALID_UNICODE'; message: string };

/** C0 controls, DEL and the C1 controls: matching them is the point. */
// eslint-disable-next-line no-control-regex
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f]/;
/** The same but tab, line feed and carriage return. */
// eslint-disable-next-line no-control-regex
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `text` may not be kept, or undefined when it may. */
export function textProblem(text: string, options: { multiline: boolean }): TextProblem | undefined {
  const forbidden = (options.multiline ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).exec(text);
  if (forbidden) {
    return {
      code: 'CONTROL_CHARACTER',
      message: `contains the control character ${codePoint(forbidden[0])}${
        options.multiline ? '' : '; this field is one line (no tab, line feed or carriage return)'
      }`,
    };
  }
  const lone = LONE_SURROGATE.exec(text);
  if (lone)
    return { code: 'INVALID_UNICODE', message: `contains ${codePoint(lone[0])}, half of a character` };
  return undefined;
}

/**
 * Fields that are multi-line by nature, by their name in a request body: what a customer or a member of
 * staff writes in sentences. Everything else is one line. A quote line's `description` is one line: it
 * is a line of the quote and the invoice.
 */
const MULTI_LINE_FIELD_NAMES: ReadonlySet<string> = new Set([
  'description',
  'note',
  'diagnosis',
  'findings',
  'reason',
  // A message in a claim's conversation.
  'text',
  // A customer's comment with a rating.
  'comment',
]);

/** Whether the field at this path of a request body may hold line breaks (see MULTI_LINE_FIELD_NAMES). */
export function isMultiLineField(path: readonly (string | number)[]): boolean {
  const name = path.at(-1);
  if (typeof name !== 'string' || !MULTI_LINE_FIELD_NAMES.has(name)) return false;
  return path[0] !== 'lines';
}
