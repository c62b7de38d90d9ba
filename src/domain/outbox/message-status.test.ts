import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelOf, messageStatus, withoutSecrets } from './message-status.js';

const facts = (recipient: string, over: Partial<Parameters<typeof messageStatus>[0]> = {}) => ({
  recipient,
  sent: false,
  attempts: 0,
  ...over,
});

describe('outbox message status', () => {
  it('tells the channel by the recipient', () => {
    expect(channelOf('li.wei@example.com')).toBe('email');
    expect(channelOf('+86 138 0000 0000')).toBe('phone');
    expect(channelOf('role:support')).toBe('staff');
  });

  it('follows an e-mail from queued through retries to sent or failed', () => {
    expect(messageStatus(facts('a@b.example'), 10)).toBe('queued');
    expect(messageStatus(facts('a@b.example', { attempts: 3 }), 10)).toBe('retrying');
    expect(messageStatus(facts('a@b.example', { attempts: 10 }), 10)).toBe('failed');
    expect(messageStatus(facts('a@b.example', { attempts: 4, sent: true }), 10)).toBe('sent');
  });

  it('gives a phone number to staff to call, and a staff notice to their desk', () => {
    expect(messageStatus(facts('+86 138 0000 0000'), 10)).toBe('to_call');
    expect(messageStatus(facts('+86 138 0000 0000', { sent: true }), 10)).toBe('sent');
    expect(messageStatus(facts('role:support'), 10)).toBe('internal');
  });

  it('takes the secret out of every acting link, and leaves the rest of the text', () => {
    const body = [
      'Follow your repair: https://service.halotek.example.com/track?token=AbC-123_xyz',
      'Answer the quote: https://service.halotek.example.com/quote?token=q9q9q9&lang=zh',
      'Join: https://service.halotek.example.com/accept-invitation?token=inv0',
      'Reset: https://service.halotek.example.com/api/auth/reset-password/rst77?callbackURL=%2Freset',
      'Confirm: https://service.halotek.example.com/api/auth/verify-email?callbackURL=%2F&token=eyJh.bG.ci',
      'Maintenance number M-7K3Q-2XRP, due 2026-12-01.',
    ].join('\n');
    const shown = withoutSecrets(body);
    for (const secret of ['AbC-123_xyz', 'q9q9q9', 'inv0', 'rst77', 'eyJh.bG.ci']) {
      expect(shown).not.toContain(secret);
    }
    expect(shown).toContain('/track?token=…');
    expect(shown).toContain('&lang=zh');
    expect(shown).toContain('/reset-password/…?callbackURL=%2Freset');
    expect(shown).toContain('Maintenance number M-7K3Q-2XRP, due 2026-12-01.');
  });

  it('never shows a token, whatever it is made of (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._~-]{8,64}$/),
        fc.constantFrom('/track?token=', '/quote?lang=en&token=', '/accept-invitation?token='),
        fc.string({ maxLength: 40 }).filter((s) => !/[?&]/.test(s)),
        (token, path, after) => {
          const shown = withoutSecrets(`see https://x.example${path}${token}\n${after}`);
          expect(shown).not.toContain(token);
          expect(shown.endsWith(after)).toBe(true);
        },
      ),
    );
  });
});
