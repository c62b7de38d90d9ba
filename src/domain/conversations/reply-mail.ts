/*
 * E-mail replies to a conversation, pure: the reply address each message to a customer carries, and
 * what is kept of a reply (the new words, not the quoted history every mail program adds below them).
 */

/** The token part: URL-safe base64 of 32 bytes, so an address never needs quoting. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** `reply+<token>@<domain>`. */
export function replyAddress(token: string, domain: string): string {
  return `reply+${token}@${domain}`;
}

/**
 * The token of a reply address, or null when the address is not one of ours (another local part, no
 * token, a token of the wrong shape, another domain). Local parts are compared as written, but domains
 * without case, as mail servers do.
 */
export function tokenOfReplyAddress(address: string, domain: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  const local = address.slice(0, at);
  if (address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  if (!local.toLowerCase().startsWith('reply+')) return null;
  const token = local.slice('reply+'.length);
  return TOKEN.test(token) ? token : null;
}

/**
 * Lines that start the quoted history: "On … wrote:", Outlook's "-----Original Message-----" and
 * "From: …" header block, Chinese clients' "在 … 写道：", and a "Sent from my phone" signature. What
 * follows one is history.
 */
const HISTORY_STARTS: readonly RegExp[] = [
  /^On\b.*\bwrote:\s*$/i,
  /^-{2,}\s*Original Message\s*-{2,}\s*$/i,
  /^-{2,}\s*原始邮件\s*-{2,}\s*$/,
  /^_{10,}\s*$/,
  /^From:\s.*$/i,
  /^发件人[:：]/,
  /^在.*写道[:：]\s*$/,
  /^\d{4}[-/年].*写道[:：]\s*$/,
];

/**
 * The reply itself: the lines before the quoted history, without quoted (`>`) lines, the signature
 * after "-- ", and blank lines at either end. A reply that is all quote keeps nothing.
 */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (line === '-- ' || line === '--') break;
    // "On Mon, 1 Dec 2026 at 10:00, Halotek <…>" may be broken over two lines before "wrote:".
    const joined = `${trimmed} ${(lines[i + 1] ?? '').trim()}`;
    if (
      HISTORY_STARTS.some((re) => re.test(trimmed)) ||
      (/^On\b/i.test(trimmed) && /\bwrote:\s*$/i.test(joined))
    ) {
      break;
    }
    if (trimmed.startsWith('>')) continue;
    kept.push(line.replace(/\s+$/, ''));
  }
  while (kept.length > 0 && kept[0]?.trim() === '') kept.shift();
  while (kept.length > 0 && kept[kept.length - 1]?.trim() === '') kept.pop();
  return kept.join('\n');
}

/** Whether a reply comes from the conversation's customer: the address on record, without case. */
export function isCustomersAddress(from: string | null, onRecord: readonly (string | null)[]): boolean {
  if (!from) return false;
  const sender = from.trim().toLowerCase();
  return onRecord.some((address) => address !== null && address.trim().toLowerCase() === sender);
}
