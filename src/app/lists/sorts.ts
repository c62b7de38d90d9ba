/*
 * What each list may be sorted by (whitelists), with no imports: the HTTP schemas, the use cases and
 * the web app read them alike.
 */

/** A cursor is small; anything longer is not one of ours. */
export const MAX_CURSOR_LENGTH = 1024;

export const claimSorts = ['createdAt', 'reportedOn', 'status'] as const;
export const maintenanceOrderSorts = ['dueOn', 'createdAt', 'state', 'maintenanceNumber'] as const;
/** `sentAt`: drafts (never sent) after every sent quote; `total`: the amount, whatever its currency. */
export const quoteSorts = ['createdAt', 'sentAt', 'total', 'state'] as const;
/** `amount`: what the dealer asks back (a request for nothing counts as 0). */
export const reimbursementSorts = ['createdAt', 'amount', 'status'] as const;

/** The SLA states an order queue filters by (the commitment-deadline logic decides them). */
export const slaFilterValues = ['on_track', 'due_soon', 'missed', 'met', 'not_started'] as const;

/** The development mail catcher (app/outbox/read-caught-mail.ts): by when the message was queued. */
export const caughtMailSorts = ['createdAt'] as const;
export const purchaseSorts = ['purchaseDate', 'createdAt'] as const;
export const oemOrderSorts = ['createdAt', 'orderedOn', 'deliveryDate', 'orderNumber'] as const;
export const messageSorts = ['createdAt'] as const;
/** An endpoint's webhook deliveries: when made, when tried next (pending ones), how many attempts. */
export const webhookDeliverySorts = ['createdAt', 'nextAttemptAt', 'attempts'] as const;
