import type { Database } from '../../db/client.js';
import type { PolicySource } from '../policies/policy-source.js';
import { type Actor, grantOf } from '../../domain/access/access.js';
import { approverRoles } from '../../domain/approvals/four-eyes.js';
import type { Temporal } from '../../domain/calendar.js';
import { forbidden } from '../access.js';
import { listApprovals } from '../approvals/read-approvals.js';
import { listWaitingConversations } from '../conversations/list-waiting.js';
import { listMaintenanceOrders } from '../maintenance/read-maintenance-orders.js';
import { listPurchases } from '../purchases/read-purchases.js';
import { listReimbursements } from '../reimbursements/read-reimbursements.js';

/** What waits on someone: a kind of work, each read through the queue that already lists it. */
export const inboxKinds = [
  'conversation',
  'maintenance_order',
  'verification',
  'reimbursement',
  'approval',
] as const;
export type InboxKind = (typeof inboxKinds)[number];

export type InboxItem = {
  kind: InboxKind;
  id: string;
  /** Since when it has waited: the inbox is oldest first across kinds. */
  since: string;
  /** Who or what it is about, in the business's words (a customer, a dealer, a product). */
  subject: string;
  /** The maintenance number, serial or amount that tells it apart, when it has one. */
  detail: string | null;
  /** The claim it is about, when it is about one (the web app links to where it is worked). */
  claimId: string | null;
  /** The maintenance order it is about, when there is one (a technician answers on its page). */
  maintenanceOrderId: string | null;
};

export type Inbox = {
  items: InboxItem[];
  /** Per kind, how many wait, counted up to INBOX_LIMIT ("50+" when `more`). */
  counts: { kind: InboxKind; count: number; more: boolean }[];
};

/** Each kind's queue is read up to this many, oldest first. */
export const INBOX_LIMIT = 50;

type InboxDeps = {
  db: Database;
  now: () => Temporal.Instant;
  policies: PolicySource;
  storeTimeZone: string;
};

/**
 * "Waiting for me": for one person, what waits on their role across the queues they work, oldest first,
 * each kind read through its own queue (so its scope — a dealer's own sales, a center's own orders — is
 * that queue's, checked there): conversations waiting for staff; a technician's open orders; registrations
 * to check; reimbursements to decide; approvals they may give (never their own request).
 */
export async function readInbox(deps: InboxDeps, actor: Actor): Promise<Inbox> {
  const may = (action: Parameters<typeof grantOf>[1]) => grantOf(actor.role, action) !== undefined;
  if (!may('inbox.read')) throw forbidden();
  const sections: { kind: InboxKind; items: InboxItem[]; more: boolean }[] = [];
  const limit = INBOX_LIMIT;

  if (may('conversations.queue')) {
    const waiting = await listWaitingConversations(deps, actor, { limit: limit + 1 });
    sections.push({
      kind: 'conversation',
      more: waiting.items.length > limit,
      items: waiting.items.slice(0, limit).map((c) => ({
        kind: 'conversation',
        id: c.id,
        since: c.waitingSince,
        subject: c.customerName,
        detail: c.maintenanceNumber,
        claimId: c.claimId,
        maintenanceOrderId: c.maintenanceOrderId,
      })),
    });
  }
  // A technician's work: the open orders of its center (support works orders from its own queue).
  if (actor.role === 'technician') {
    const page = await listMaintenanceOrders(deps, actor, {
      open: true,
      sort: 'createdAt',
      order: 'asc',
      limit,
    });
    sections.push({
      kind: 'maintenance_order',
      more: page.nextCursor !== null,
      items: page.items.map((o) => ({
        kind: 'maintenance_order',
        id: o.id,
        since: o.createdAt,
        subject: o.customer.name,
        detail: o.maintenanceNumber,
        claimId: o.claimId,
        maintenanceOrderId: o.id,
      })),
    });
  }
  if (may('purchases.verify')) {
    const page = await listPurchases(deps, actor, {
      verification: 'pending',
      sort: 'createdAt',
      order: 'asc',
      limit,
    });
    sections.push({
      kind: 'verification',
      more: page.nextCursor !== null,
      items: page.items.map((p) => ({
        kind: 'verification',
        id: p.id,
        since: p.createdAt,
        subject: p.buyer.name ?? p.product.name.en,
        detail: p.serial,
        claimId: null,
        maintenanceOrderId: null,
      })),
    });
  }
  if (may('reimbursements.decide')) {
    const page = await listReimbursements(deps, actor, {
      status: 'pending',
      sort: 'createdAt',
      order: 'asc',
      limit,
    });
    sections.push({
      kind: 'reimbursement',
      more: page.nextCursor !== null,
      items: page.items.map((r) => ({
        kind: 'reimbursement',
        id: r.id,
        since: r.createdAt,
        subject: r.dealer.name,
        detail: r.remedy.returnedSerial,
        claimId: r.remedy.claimId,
        maintenanceOrderId: null,
      })),
    });
  }
  if (may('approvals.decide')) {
    const mine = (await listApprovals(deps.db, actor, { state: 'pending' }))
      .filter(
        (a) =>
          (approverRoles[a.kind] as readonly string[]).includes(actor.role) &&
          a.requestedByUserId !== actor.userId,
      )
      .reverse();
    sections.push({
      kind: 'approval',
      more: mine.length > limit,
      items: mine.slice(0, limit).map((a) => ({
        kind: 'approval',
        id: a.id,
        since: a.createdAt,
        subject: a.summary,
        detail: a.requestedByName,
        claimId: null,
        maintenanceOrderId: null,
      })),
    });
  }

  return {
    items: sections
      .flatMap((s) => s.items)
      .sort((a, b) => (a.since === b.since ? a.id.localeCompare(b.id) : a.since < b.since ? -1 : 1)),
    counts: sections.map((s) => ({ kind: s.kind, count: s.items.length, more: s.more })),
  };
}
