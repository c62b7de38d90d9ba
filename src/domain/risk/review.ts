/*
 * Who may decide a review: anyone of the reviewing roles once, except the person whose request the
 * review stopped — a support agent approving a reimbursement that was held for a signal does not then
 * wave it through themselves.
 */

export type ReviewState = { status: 'pending' | 'approved' | 'rejected'; raisedBy: string };

export type ReviewVerdict = 'ok' | 'already_decided' | 'own_request';

/** `reviewer` and `raisedBy` are audit names (`user:<id>`, `guest`). */
export function mayDecideReview(review: ReviewState, reviewer: string): ReviewVerdict {
  if (review.status !== 'pending') return 'already_decided';
  if (review.raisedBy === reviewer) return 'own_request';
  return 'ok';
}
