import type { OemPolicy, RootCause } from '../policy/schema.js';

export const investigationStates = ['proposed', 'open', 'confirmed', 'dismissed', 'closed'] as const;
export type InvestigationState = (typeof investigationStates)[number];

/**
 * A batch-defect investigation's life, as data (the 409 of a refused move lists `to`). The early
 * warning proposes one, or QA opens one; QA confirms a batch defect with its root cause (the policy's
 * production or electrical problems: the maker remakes the units and ships them by air at its cost),
 * or dismisses it with its findings; a confirmed one is closed when the remake is done.
 */
export const investigationTransitions = {
  proposed: { to: ['open', 'dismissed'] },
  open: { to: ['confirmed', 'dismissed'] },
  confirmed: { to: ['closed'] },
  dismissed: { to: [] },
  closed: { to: [] },
} as const satisfies Record<InvestigationState, { to: readonly InvestigationState[] }>;

/** States in which a lot counts as under investigation: a second one on the same lot is refused. */
export const activeInvestigationStates = [
  'proposed',
  'open',
  'confirmed',
] as const satisfies readonly InvestigationState[];

export type InvestigationSnapshot = {
  state: InvestigationState;
  rootCause: RootCause | null;
  evidenceCount: number;
};

export type InvestigationMove = {
  to: InvestigationState;
  rootCause?: RootCause | undefined;
  findings?: string | undefined;
};

export type InvestigationMoveError =
  | {
      code: 'ILLEGAL_TRANSITION';
      message: string;
      from: InvestigationState;
      to: InvestigationState;
      allowed: readonly InvestigationState[];
    }
  | { code: 'ROOT_CAUSE_REQUIRED'; message: string }
  | { code: 'ROOT_CAUSE_NOT_COVERED'; message: string; covered: readonly RootCause[] }
  | { code: 'EVIDENCE_REQUIRED'; message: string }
  | { code: 'FINDINGS_REQUIRED'; message: string };

export function allowedInvestigationMoves(state: InvestigationState): readonly InvestigationState[] {
  return investigationTransitions[state].to;
}

/**
 * Moves an investigation, pure. `remake` says the move confirms a batch defect the maker bears: the
 * caller makes the remake orders and their costs in the same transaction.
 */
export function moveInvestigation(
  current: InvestigationSnapshot,
  move: InvestigationMove,
  policy: Pick<OemPolicy, 'batchDefect'>,
):
  | { ok: true; state: InvestigationState; rootCause: RootCause | null; remake: boolean }
  | { ok: false; error: InvestigationMoveError } {
  const allowed = allowedInvestigationMoves(current.state);
  if (!allowed.includes(move.to)) {
    return {
      ok: false,
      error: {
        code: 'ILLEGAL_TRANSITION',
        message: `an investigation cannot go from ${current.state} to ${move.to}; it may go to ${allowed.length ? allowed.join(', ') : 'nowhere: it is finished'}`,
        from: current.state,
        to: move.to,
        allowed,
      },
    };
  }
  const rootCause = move.rootCause ?? current.rootCause;
  const covered = policy.batchDefect.coveredRootCauses;
  if (move.to === 'confirmed') {
    if (!rootCause) {
      return {
        ok: false,
        error: { code: 'ROOT_CAUSE_REQUIRED', message: 'confirming a batch defect records its root cause' },
      };
    }
    if (!covered.includes(rootCause)) {
      return {
        ok: false,
        error: {
          code: 'ROOT_CAUSE_NOT_COVERED',
          message: `a batch defect the maker remakes is caused by ${covered.join(' or ')} problems, not ${rootCause}: dismiss the investigation with its findings instead`,
          covered,
        },
      };
    }
    if (current.evidenceCount === 0) {
      return {
        ok: false,
        error: { code: 'EVIDENCE_REQUIRED', message: 'attach the evidence before confirming a batch defect' },
      };
    }
  }
  if (move.to === 'dismissed' && !move.findings?.trim()) {
    return {
      ok: false,
      error: { code: 'FINDINGS_REQUIRED', message: 'say why the investigation is dismissed' },
    };
  }
  return { ok: true, state: move.to, rootCause: rootCause ?? null, remake: move.to === 'confirmed' };
}
