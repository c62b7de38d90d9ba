import type { NavItem } from '../components/nav.js';

/*
 * The service desk: dealers (sales, remedies, reimbursements), support (claims, escalations,
 * reimbursements) and sales (quotes). Mounted by App.tsx; its labels are under the `desk.` keys
 * (web/src/i18n/desk.*.json).
 */

export const deskNavItems: readonly NavItem[] = [];

export function deskRoutes() {
  return <></>;
}
