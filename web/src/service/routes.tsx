import type { NavItem } from '../components/nav.js';

/*
 * The end-user service: customers (my products, report a problem, my claims), guests (tracking,
 * answering a quote) and technicians (the center's queue). Mounted by App.tsx; its labels are under
 * the `service.` keys (web/src/i18n/service.*.json).
 */

export const serviceNavItems: readonly NavItem[] = [];

export function serviceRoutes() {
  return <></>;
}
