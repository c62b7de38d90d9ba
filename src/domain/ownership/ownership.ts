/*
 * Who works a claim or a maintenance order (issue 15). Pure: the use case locks the object's row,
 * hands over who owns it now and who is asked to, and writes what this decides.
 */

export type OwnedKind = 'claim' | 'maintenance_order';

/** A person an object could be given to, as the users table holds them. */
export type Candidate = {
  id: string;
  role: string;
  serviceCenterId: string | null;
  active: boolean;
};

/**
 * Who may own a claim: support (and admins, who stand in for support). Who may own an order: support,
 * admins, and the technicians of that order's center — never another center's.
 */
export function mayOwn(kind: OwnedKind, candidate: Candidate, object: { serviceCenterId?: string }): boolean {
  if (!candidate.active) return false;
  if (candidate.role === 'support' || candidate.role === 'admin') return true;
  return (
    kind === 'maintenance_order' &&
    candidate.role === 'technician' &&
    candidate.serviceCenterId !== null &&
    candidate.serviceCenterId === object.serviceCenterId
  );
}

export type OwnershipRequest =
  | { kind: 'take'; caller: string; reassign: boolean }
  | { kind: 'assign'; caller: string; to: string; reassign: boolean }
  | { kind: 'release'; caller: string; reassign: boolean };

export type OwnershipOutcome =
  /** Write `to` (null: nobody) and audit `from → to`. */
  | { kind: 'change'; from: string | null; to: string | null }
  /** Already so: nothing to write, nothing to audit. */
  | { kind: 'unchanged'; owner: string | null }
  /** Someone else works it: only an explicit reassignment takes it from them. */
  | { kind: 'refused'; code: 'OWNED_BY_ANOTHER'; owner: string };

/**
 * Taking or assigning what nobody owns, or what the caller owns, is plain; taking from, assigning
 * away from, or releasing for someone else is a reassignment and must be asked for as one.
 */
export function decideOwnership(current: string | null, request: OwnershipRequest): OwnershipOutcome {
  const to = request.kind === 'take' ? request.caller : request.kind === 'assign' ? request.to : null;
  if (current === to) return { kind: 'unchanged', owner: current };
  const takenFromAnother = current !== null && current !== request.caller;
  if (takenFromAnother && !request.reassign) {
    return { kind: 'refused', code: 'OWNED_BY_ANOTHER', owner: current };
  }
  return { kind: 'change', from: current, to };
}
