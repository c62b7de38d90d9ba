import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterHeldDecision,
  authorKinds,
  type ConversationState,
  conversationStates,
  heldDecisions,
  isCustomerContact,
  isShownTo,
  MAX_ATTACHMENTS_PER_MESSAGE,
  MAX_MESSAGE_CHARS,
  messageStatuses,
  messageVisibilities,
  type Poster,
  postRefusal,
  stateAfter,
  staffRolesWhoPost,
  waitingSinceAfter,
} from './conversation.js';

const poster: fc.Arbitrary<Poster> = fc.oneof(
  fc.constant<Poster>({ kind: 'customer' }),
  fc.constantFrom(...staffRolesWhoPost).map((role): Poster => ({ kind: 'staff', role })),
);
const message = fc.record({
  authorKind: fc.constantFrom(...authorKinds),
  visibility: fc.constantFrom(...messageVisibilities),
  status: fc.constantFrom(...messageStatuses),
  atMs: fc.integer({ min: 0, max: 2 ** 40 }),
});
const state = fc.constantFrom(...conversationStates);

describe('who may post what', () => {
  it('never lets a customer write an internal note, and lets staff write both', () => {
    fc.assert(
      fc.property(poster, fc.constantFrom(...messageVisibilities), (who, visibility) => {
        const refusal = postRefusal(who, { visibility, body: 'hello', attachments: 0 });
        const expected = who.kind === 'customer' && visibility === 'internal';
        expect(refusal?.code === 'INTERNAL_NOTE_NOT_ALLOWED').toBe(expected);
        expect(refusal === null).toBe(!expected);
      }),
    );
  });

  it('takes a message at the edges of its size and refuses one past them', () => {
    const staff: Poster = { kind: 'staff', role: 'technician' };
    const at = (body: string, attachments: number) =>
      postRefusal(staff, { visibility: 'public', body, attachments })?.code ?? null;
    expect(at('x'.repeat(MAX_MESSAGE_CHARS), 0)).toBeNull();
    expect(at('x'.repeat(MAX_MESSAGE_CHARS + 1), 0)).toBe('MESSAGE_TOO_LONG');
    expect(at('photo', MAX_ATTACHMENTS_PER_MESSAGE)).toBeNull();
    expect(at('photo', MAX_ATTACHMENTS_PER_MESSAGE + 1)).toBe('TOO_MANY_ATTACHMENTS');
    expect(at('', 1)).toBeNull();
    fc.assert(
      fc.property(fc.stringMatching(/^[ \t\n]*$/), (blank) => {
        expect(at(blank, 0)).toBe('EMPTY_MESSAGE');
      }),
    );
  });
});

describe('what a reader is shown', () => {
  it('shows staff everything, and the customer only posted public messages', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(isShownTo('staff', m)).toBe(true);
        expect(isShownTo('customer', m)).toBe(m.visibility === 'public' && m.status === 'posted');
      }),
    );
  });
});

describe('a held e-mail, decided', () => {
  it('is the customer’s message once released, and never shown to them once discarded', () => {
    fc.assert(
      fc.property(fc.constantFrom(...heldDecisions), state, (decision, s) => {
        const after = afterHeldDecision(decision);
        const released = { authorKind: 'customer' as const, ...after };
        expect(isShownTo('customer', released)).toBe(decision === 'release');
        // Released, it waits for staff like any customer message; discarded, it changes nothing.
        expect(stateAfter(s, released)).toBe(decision === 'release' ? 'waiting_for_staff' : s);
        expect(isCustomerContact(released)).toBe(false);
      }),
    );
  });
});

describe('what the conversation waits for', () => {
  it('waits for staff after the customer, for the customer after a staff reply, and ignores notes', () => {
    fc.assert(
      fc.property(state, message, (s, m) => {
        const next = stateAfter(s, m);
        if (m.visibility === 'internal' || m.status !== 'posted') expect(next).toBe(s);
        else expect(next).toBe(m.authorKind === 'customer' ? 'waiting_for_staff' : 'waiting_for_customer');
      }),
    );
  });

  it('keeps the first unanswered customer message as the waiting time, through any sequence', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 30 }), (messages) => {
        let s: ConversationState = 'open';
        let since: number | null = null;
        let firstUnanswered: number | null = null;
        for (const m of messages) {
          since = waitingSinceAfter(s, since, m);
          s = stateAfter(s, m);
          if (m.status === 'posted' && m.visibility === 'public') {
            if (m.authorKind === 'customer') firstUnanswered ??= m.atMs;
            else firstUnanswered = null;
          }
          // Waiting for staff exactly when a waiting time is kept, and it is the first unanswered one.
          expect(since !== null).toBe(s === 'waiting_for_staff');
          expect(since).toBe(firstUnanswered);
        }
      }),
    );
  });

  it('counts only a posted public staff reply as contacting the customer', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(isCustomerContact(m)).toBe(
          m.authorKind === 'staff' && m.visibility === 'public' && m.status === 'posted',
        );
      }),
    );
  });
});
