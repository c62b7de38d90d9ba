/*
 * A guest proves a maintenance order is theirs by giving the contact it was registered with. People
 * type contacts in many shapes (`+86 138-0013-5521`, `13800135521`, `Li.Wei@Example.com`), so both
 * sides are reduced to a comparable key first.
 */

/** Enough digits that a guess is no easier than guessing the number itself. */
const MIN_PHONE_DIGITS = 7;
/** A mainland mobile number is 11 digits; comparing the last 11 drops a country code such as +86. */
const PHONE_KEY_DIGITS = 11;

export function contactKey(contact: string): string | undefined {
  const trimmed = contact.trim();
  if (trimmed.includes('@')) return trimmed.toLowerCase();
  if (!/^[\d\s()+.-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  return digits.length >= MIN_PHONE_DIGITS ? `tel:${digits.slice(-PHONE_KEY_DIGITS)}` : undefined;
}

/** Whether the contact a guest gave is one of those on record. An unusable contact matches nothing. */
export function contactMatches(given: string, onRecord: readonly (string | null | undefined)[]): boolean {
  const key = contactKey(given);
  if (key === undefined) return false;
  return onRecord.some((known) => known != null && contactKey(known) === key);
}
