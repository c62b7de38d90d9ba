import { describe, expect, it } from 'vitest';
import { halotekPolicyV1 } from '../policy/halotek.js';
import {
  allowedInvestigationMoves,
  type InvestigationSnapshot,
  investigationStates,
  moveInvestigation,
} from './batch-investigation.js';

const policy = halotekPolicyV1.oem;
const open: InvestigationSnapshot = { state: 'open', rootCause: null, evidenceCount: 1 };

describe('a batch-defect investigation', () => {
  it('moves only along its table; a refused move lists the allowed ones', () => {
    for (const from of investigationStates) {
      for (const to of investigationStates) {
        const r = moveInvestigation(
          { state: from, rootCause: 'production', evidenceCount: 1 },
          { to, findings: 'checked' },
          policy,
        );
        expect(r.ok, `${from} → ${to}`).toBe(allowedInvestigationMoves(from).includes(to));
        if (!r.ok && r.error.code === 'ILLEGAL_TRANSITION')
          expect(r.error.allowed).toEqual(allowedInvestigationMoves(from));
      }
    }
  });

  it('confirms a production or electrical cause with evidence, and that makes a remake', () => {
    expect(moveInvestigation(open, { to: 'confirmed', rootCause: 'electrical' }, policy)).toEqual({
      ok: true,
      state: 'confirmed',
      rootCause: 'electrical',
      remake: true,
    });
    const code = (s: InvestigationSnapshot, move: Parameters<typeof moveInvestigation>[1]) => {
      const r = moveInvestigation(s, move, policy);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code(open, { to: 'confirmed' })).toBe('ROOT_CAUSE_REQUIRED');
    expect(code(open, { to: 'confirmed', rootCause: 'other' })).toBe('ROOT_CAUSE_NOT_COVERED');
    expect(code({ ...open, evidenceCount: 0 }, { to: 'confirmed', rootCause: 'production' })).toBe(
      'EVIDENCE_REQUIRED',
    );
    expect(code(open, { to: 'dismissed', rootCause: 'other' })).toBe('FINDINGS_REQUIRED');
    expect(
      moveInvestigation(
        open,
        { to: 'dismissed', rootCause: 'other', findings: 'misuse by one installer' },
        policy,
      ),
    ).toMatchObject({
      ok: true,
      remake: false,
    });
    expect(
      code(
        { state: 'proposed', rootCause: null, evidenceCount: 0 },
        { to: 'confirmed', rootCause: 'production' },
      ),
    ).toBe('ILLEGAL_TRANSITION');
  });
});
