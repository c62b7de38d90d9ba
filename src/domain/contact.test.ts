import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contactKey, contactMatches } from './contact.js';

describe('contactMatches', () => {
  it('matches an e-mail address whatever its case and surrounding spaces', () => {
    expect(contactMatches('  Li.Wei@Example.com ', ['li.wei@example.com'])).toBe(true);
    expect(contactMatches('li.wei@example.org', ['li.wei@example.com'])).toBe(false);
  });

  it('matches a phone number written with or without the country code and separators', () => {
    const onRecord = ['+86 138 0013 5521'];
    expect(contactMatches('13800135521', onRecord)).toBe(true);
    expect(contactMatches('+86-138-0013-5521', onRecord)).toBe(true);
    expect(contactMatches('(0086) 138 0013 5521', onRecord)).toBe(true);
    expect(contactMatches('13800135522', onRecord)).toBe(false);
  });

  it('refuses contacts too short to prove anything, and matches nothing on an empty record', () => {
    expect(contactKey('5521')).toBeUndefined();
    expect(contactMatches('5521', ['5521'])).toBe(false);
    expect(contactMatches('', [''])).toBe(false);
    expect(contactMatches('li.wei@example.com', [null, undefined])).toBe(false);
  });

  it('does not let text that is neither an address nor a number match a number', () => {
    expect(contactMatches('call me 138 0013 5521', ['13800135521'])).toBe(false);
  });

  it('matches every contact against itself, once usable', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.stringMatching(/^\+?[0-9 ]{7,20}$/)), (contact) => {
        fc.pre(contactKey(contact) !== undefined);
        expect(contactMatches(contact, [contact])).toBe(true);
      }),
    );
  });
});
