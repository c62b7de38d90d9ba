import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageText } from './dispatch-outbox.js';
import { messageKeyFrom, openLink, renderWithLink, sealLink, SealedLinkError } from './sealed-links.js';

const key = messageKeyFrom('a-secret-of-at-least-thirty-two-characters');
const other = messageKeyFrom('another-secret-of-at-least-thirty-two-chars');
const link = 'https://service.example.com/accept-invitation?token=AbC-123_xyz';

describe('sealed message links', () => {
  it('shows the link without its secret, and opens to the whole link for its recipient only', () => {
    const sealed = sealLink(key, { url: link, recipient: 'li.wei@example.com' });
    expect(sealed.shown).toBe('https://service.example.com/accept-invitation?token=…');
    expect(sealed.sealed).not.toContain('AbC-123_xyz');
    expect(openLink(key, { sealed: sealed.sealed, recipient: 'li.wei@example.com' })).toBe(link);
    // A row whose recipient was changed in the database does not open: the link cannot be redirected.
    expect(() => openLink(key, { sealed: sealed.sealed, recipient: 'attacker@example.com' })).toThrow(
      SealedLinkError,
    );
    // Under another key it says which key it needs.
    expect(() => openLink(other, { sealed: sealed.sealed, recipient: 'li.wei@example.com' })).toThrow(
      /sealed with another key/,
    );
  });

  it('puts the link back wherever the body shows it, and refuses a body that does not', () => {
    const { shown, sealed } = sealLink(key, { url: link, recipient: 'a@example.com' });
    const body = `Here:\n${shown}\n\n这里：${shown}`;
    expect(messageText(key, { body, sealedLink: sealed, recipient: 'a@example.com' })).toBe(
      `Here:\n${link}\n\n这里：${link}`,
    );
    expect(() => renderWithLink('no link here', link)).toThrow(SealedLinkError);
    expect(messageText(key, { body: 'plain', sealedLink: null, recipient: 'a@example.com' })).toBe('plain');
  });

  it('round-trips any token and recipient, and never leaves the token readable', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{20,60}$/), fc.emailAddress(), (token, recipient) => {
        const url = `https://h.example/track?token=${token}`;
        const sealed = sealLink(key, { url, recipient });
        expect(sealed.sealed.includes(token) || sealed.shown.includes(token)).toBe(false);
        expect(openLink(key, { sealed: sealed.sealed, recipient })).toBe(url);
      }),
    );
  });
});
