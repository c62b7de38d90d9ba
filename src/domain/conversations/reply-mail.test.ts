import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCustomersAddress, replyAddress, replyText, tokenOfReplyAddress } from './reply-mail.js';

const token = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);

describe('reply addresses', () => {
  it('reads back the token of every address it writes, whatever the domain’s case', () => {
    fc.assert(
      fc.property(token, fc.constantFrom('halotek.example.com', 'Mail.Example.ORG'), (t, domain) => {
        expect(tokenOfReplyAddress(replyAddress(t, domain), domain.toLowerCase())).toBe(t);
      }),
    );
  });

  it('finds no token in another domain, another local part or a token of the wrong shape', () => {
    const t = 'a'.repeat(43);
    const domain = 'halotek.example.com';
    expect(tokenOfReplyAddress(`reply+${t}@evil.example.com`, domain)).toBeNull();
    expect(tokenOfReplyAddress(`support@${domain}`, domain)).toBeNull();
    expect(tokenOfReplyAddress(`reply+${t.slice(1)}@${domain}`, domain)).toBeNull();
    expect(tokenOfReplyAddress(`reply+${t}x@${domain}`, domain)).toBeNull();
    expect(tokenOfReplyAddress(`reply+${t.slice(1)}/@${domain}`, domain)).toBeNull();
    expect(tokenOfReplyAddress('no-at-sign', domain)).toBeNull();
  });
});

describe('the reply itself', () => {
  it('keeps the new words and drops the quoted history of common mail programs', () => {
    const sent = 'Dear Li Wei, the panel is repaired.';
    expect(
      replyText(`Thank you!\nSee the photo.\n\nOn Tue, 1 Dec 2026, Halotek <x@y> wrote:\n> ${sent}\n`),
    ).toBe('Thank you!\nSee the photo.');
    expect(replyText(`Thanks\r\n\r\n-----Original Message-----\r\nFrom: Halotek\r\n${sent}`)).toBe('Thanks');
    expect(replyText(`好的，谢谢\n\n在 2026年12月1日 周二 10:00，Halotek 写道：\n> ${sent}`)).toBe(
      '好的，谢谢',
    );
    expect(replyText(`Yes\n> quoted\nstill mine\n-- \nLi Wei\n+86 138`)).toBe('Yes\nstill mine');
    expect(replyText(`On Tue, 1 Dec 2026 at 10:00, Halotek After-sales <reply+x@y>\nwrote:\n> ${sent}`)).toBe(
      '',
    );
  });

  it('never keeps a quoted line, and keeps unquoted text without history markers as written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9 ,.!?]{0,40}$/), { maxLength: 10 }),
        fc.array(fc.stringMatching(/^[a-z0-9 ,.!?]{0,40}$/), { maxLength: 10 }),
        (mine, quoted) => {
          const text = [...mine, ...quoted.map((q) => `> ${q}`)].join('\n');
          const kept = replyText(text);
          expect(kept.split('\n').some((line) => line.startsWith('>'))).toBe(false);
          expect(kept).toBe(
            mine
              .map((l) => l.replace(/\s+$/, ''))
              .join('\n')
              .trim() === ''
              ? ''
              : kept,
          );
          for (const line of mine) if (line.trim() !== '') expect(kept).toContain(line.trim());
        },
      ),
    );
  });
});

describe('the sender', () => {
  it('is the customer only from an address on record, without case', () => {
    expect(isCustomersAddress('Li.Wei@Example.com', ['li.wei@example.com', null])).toBe(true);
    expect(isCustomersAddress('someone@example.com', ['li.wei@example.com'])).toBe(false);
    expect(isCustomersAddress(null, ['li.wei@example.com'])).toBe(false);
    expect(isCustomersAddress('x@example.com', [null])).toBe(false);
  });
});
