/*
 * Who may do what, on which object. Pure: the caller loads the object and hands over who owns it.
 *
 * Three answers, not two, because the API must not reveal what a caller may not see: a role that
 * may never do an action is told so (403), but a dealer asking for another dealer's sale is told
 * the sale does not exist (404).
 */

export const roles = ['admin', 'support', 'qa', 'sales', 'dealer', 'technician', 'oem', 'customer'] as const;
export type Role = (typeof roles)[number];

/** Roles that join by invitation only; `customer` signs up alone. */
export const invitableRoles = ['admin', 'support', 'qa', 'sales', 'dealer', 'technician', 'oem'] as const;
export type InvitableRole = (typeof invitableRoles)[number];

/** The one scope column each scoped role is confined to. */
export const scopeKeyOfRole = {
  dealer: 'dealerId',
  technician: 'serviceCenterId',
  oem: 'oemClientId',
  customer: 'endUserId',
} as const satisfies Partial<Record<Role, keyof Owners>>;
export type ScopedRole = keyof typeof scopeKeyOfRole;

export function isScopedRole(role: Role): role is ScopedRole {
  return role in scopeKeyOfRole;
}

/** Who an object belongs to. An object may belong to several parties (a sale: its dealer and its buyer). */
export type Owners = {
  dealerId?: string | null | undefined;
  serviceCenterId?: string | null | undefined;
  oemClientId?: string | null | undefined;
  endUserId?: string | null | undefined;
};

/**
 * Who is asking. `userId` is a person's account — or, for a machine calling with an API key, the
 * key's principal (`key:<id>`), with `keyId` set: the audit log then names the key.
 */
type Principal = { userId: string; keyId?: string };
export type Actor =
  | (Principal & { role: Exclude<Role, ScopedRole>; scope: Record<string, never> })
  | (Principal & { role: 'dealer'; scope: { dealerId: string } })
  | (Principal & { role: 'technician'; scope: { serviceCenterId: string } })
  | (Principal & { role: 'oem'; scope: { oemClientId: string } })
  | (Principal & { role: 'customer'; scope: { endUserId: string } });

/**
 * Builds an actor from a stored user, refusing a scoped role without its scope (the database's CHECK
 * constraints forbid it too; this keeps a hand-edited row from widening anyone's view).
 */
export function actorOf(user: {
  id: string;
  role: string;
  dealerId?: string | null | undefined;
  serviceCenterId?: string | null | undefined;
  oemClientId?: string | null | undefined;
  endUserId?: string | null | undefined;
}): Actor | undefined {
  const role = roles.find((r) => r === user.role);
  switch (role) {
    case undefined:
      return undefined;
    case 'dealer':
      return user.dealerId ? { userId: user.id, role, scope: { dealerId: user.dealerId } } : undefined;
    case 'technician':
      return user.serviceCenterId
        ? { userId: user.id, role, scope: { serviceCenterId: user.serviceCenterId } }
        : undefined;
    case 'oem':
      return user.oemClientId
        ? { userId: user.id, role, scope: { oemClientId: user.oemClientId } }
        : undefined;
    case 'customer':
      return user.endUserId ? { userId: user.id, role, scope: { endUserId: user.endUserId } } : undefined;
    default:
      return { userId: user.id, role, scope: {} };
  }
}

/** `all`: every object; `own`: objects owned by the actor's scope; absent: never. */
export type Grant = 'all' | 'own';

/**
 * The permission table. It is the whole policy: a new action is a new row, and the route × role
 * matrix test (test/integration/access-matrix.ts, docs/access-matrix.md) checks the API obeys it.
 */
export const permissions = {
  'me.read': {
    admin: 'all',
    support: 'all',
    qa: 'all',
    sales: 'all',
    dealer: 'all',
    technician: 'all',
    oem: 'all',
    customer: 'all',
  },
  'users.manage': { admin: 'all' },
  'invitations.manage': { admin: 'all' },
  'dealers.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all', dealer: 'own' },
  'dealers.manage': { admin: 'all' },
  /** The public face of every dealer (name and city, no contact): a customer names the shop they bought from. */
  'dealers.directory': { admin: 'all', support: 'all', qa: 'all', sales: 'all', customer: 'all' },
  'serviceCenters.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all', technician: 'own' },
  'serviceCenters.manage': { admin: 'all' },
  'oemClients.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all', oem: 'own' },
  'oemClients.manage': { admin: 'all' },
  'products.manage': { admin: 'all' },
  /** The catalogue price, which bounds what a dealer may ask back: sales keep it, admins too. */
  'products.price': { admin: 'all', sales: 'all' },
  'policyVersions.create': { admin: 'all' },
  /** Draft policy versions: written, replayed ("what if"), published or discarded by admins alone. */
  'policyDrafts.manage': { admin: 'all' },
  /** Replaying past claims under a draft policy version: how many decisions and what cost would change. */
  'insight.whatIf': { admin: 'all' },
  /*
   * End-user service. Owners: a purchase is its dealer's and its customer's; a claim is its purchase's
   * dealer's and its customer's; a maintenance order its center's and its customer's; a quote its
   * customer's and (when it is for a maintenance order) that order's center's.
   */
  'purchases.read': { admin: 'all', support: 'all', dealer: 'own', customer: 'own' },
  /** A dealer records its own sales (one by one or a CSV import); support may record for any dealer. */
  'purchases.record': { admin: 'all', support: 'all', dealer: 'own' },
  /** A customer registers a product they bought, with a proof of purchase. */
  'purchases.register': { customer: 'own' },
  /**
   * Checking a customer's registration against its proof: confirm, correct or reject it. Support any;
   * a dealer only the registrations naming it. Never the customer: their word is what is being checked.
   */
  'purchases.verify': { admin: 'all', support: 'all', dealer: 'own' },
  /**
   * The staff search box (app/search): claims, maintenance orders and purchases by number, serial or
   * customer. What it finds in each is what the caller may read there (claims.read, maintenanceOrders.read,
   * purchases.read): a dealer its own sales and their claims, a technician its center's orders. Customers
   * and OEM clients have their own few objects on their pages, and no search.
   */
  'search.use': { admin: 'all', support: 'all', qa: 'all', sales: 'all', dealer: 'own', technician: 'own' },
  'claims.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all', dealer: 'own', customer: 'own' },
  /** Reporting a problem; guests report through the public route with their contact instead. */
  'claims.submit': { admin: 'all', support: 'all', customer: 'own' },
  'claims.chooseRemedy': { admin: 'all', support: 'all', customer: 'own' },
  /**
   * Ownership (issue 15): who works a claim. Support takes, assigns to a colleague and releases; the
   * people a claim may be assigned to are support users (app/ownership/eligible-owners.ts).
   */
  'claims.own': { admin: 'all', support: 'all' },
  /**
   * The customer behind an object (name, contact, other purchases and claims, linked orders and
   * quotes) and the object's audit history: staff all, a dealer only on its own sales, each list
   * narrowed to its sales (app/customer-context).
   */
  'claims.context': { admin: 'all', support: 'all', dealer: 'own' },
  'maintenanceOrders.read': { admin: 'all', support: 'all', qa: 'all', technician: 'own', customer: 'own' },
  'maintenanceOrders.issue': { admin: 'all', support: 'all', customer: 'own' },
  /** Receive, diagnose, repair, return: the center's technicians, and support to unblock one. */
  'maintenanceOrders.move': { admin: 'all', support: 'all', technician: 'own' },
  /**
   * Who works an order: support, or a technician of its center for the orders of that center; an
   * order is assigned to support or to a technician of its center, never to another center's.
   */
  'maintenanceOrders.own': { admin: 'all', support: 'all', technician: 'own' },
  /**
   * Parts and labour on an order (issue 19): what the repair used and how long it took. Read by the
   * staff who answer for it and the order's center; recorded by the center's technicians and support.
   */
  'maintenanceOrders.readWork': { admin: 'all', support: 'all', qa: 'all', technician: 'own' },
  'maintenanceOrders.recordWork': { admin: 'all', support: 'all', technician: 'own' },
  /** Changing the parts and labour after the product went back: an audited correction, not the center's. */
  'maintenanceOrders.correctWork': { admin: 'all', support: 'all' },
  /** The parts list technicians pick from; admins keep it. */
  'parts.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all', technician: 'all' },
  'parts.manage': { admin: 'all' },
  /** The order's customer and history; a technician sees only what went through its center. */
  'maintenanceOrders.context': { admin: 'all', support: 'all', technician: 'own' },
  /*
   * A claim's conversation (issue 16). Owners: the claim's customer, its purchase's dealer and the center
   * of its latest maintenance order. Staff read internal notes; the customer only what was said to them.
   * Guests write through the tracking link (public routes under /tracking).
   */
  'conversations.read': {
    admin: 'all',
    support: 'all',
    sales: 'all',
    dealer: 'own',
    technician: 'own',
    customer: 'own',
  },
  'conversations.post': {
    admin: 'all',
    support: 'all',
    sales: 'all',
    dealer: 'own',
    technician: 'own',
    customer: 'own',
  },
  /**
   * An e-mail held for staff (another sender than the customer's): released into the conversation or
   * discarded, by the staff who work the claim.
   */
  'conversations.judgeHeld': { admin: 'all', support: 'all', sales: 'all', dealer: 'own', technician: 'own' },
  /**
   * "Waiting for me" (issue 15): what waits on the caller's role across the queues it works, each read
   * through that queue's own scope.
   */
  'inbox.read': { admin: 'all', support: 'all', sales: 'all', dealer: 'own', technician: 'own' },
  /** The queue of conversations waiting for staff, oldest first: a dealer's and a center's own. */
  'conversations.queue': { admin: 'all', support: 'all', sales: 'all', dealer: 'own', technician: 'own' },
  'dealerRemedies.perform': { dealer: 'own' },
  'reimbursements.read': { admin: 'all', support: 'all', dealer: 'own' },
  'reimbursements.decide': { admin: 'all', support: 'all' },
  /*
   * Four eyes (issue 14): money above the threshold waits in the approvals room for a second person.
   * Whoever may decide some kind reads the room; a dealer or an OEM client follows its own requests.
   * Which role decides which kind, and never one's own request, is domain/approvals/four-eyes.ts.
   */
  'approvals.read': { admin: 'all', support: 'all', sales: 'all', dealer: 'own', oem: 'own' },
  'approvals.decide': { admin: 'all', support: 'all', sales: 'all' },
  /** The four-eyes threshold and other instance settings. */
  'settings.manage': { admin: 'all' },
  /** Keys for machines (issue 17): only admins make, list and revoke them. */
  'apiKeys.manage': { admin: 'all' },
  /** Webhook endpoints, their deliveries, test events and redeliveries (issue 17): admins only. */
  'webhooks.manage': { admin: 'all' },
  'quotes.read': { admin: 'all', support: 'all', sales: 'all', technician: 'own', customer: 'own' },
  /** Sales and the engineers of the center holding the product quote, mark repaired and invoice. */
  'quotes.manage': { admin: 'all', sales: 'all', technician: 'own' },
  /** Accepting or declining signed in; guests do it through the quote's link. */
  'quotes.respond': { customer: 'own' },
  /** The customer's answer given by phone, recorded by sales who took the call. */
  'quotes.recordPhoneResponse': { admin: 'all', sales: 'all' },
  /*
   * OEM clients. Owners: an order, its defect reports, its ledger and the remedies chosen for its
   * excess are its client's. Investigations, lot rates and the maker's costs are the maker's own.
   */
  'oemOrders.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all', oem: 'own' },
  /** A client's own user requests its orders (no price, no lots); sales may request one for any client. */
  'oemOrders.create': { admin: 'all', sales: 'all', oem: 'own' },
  /** Confirming a request at the contract price and a spare rate, or declining it: the maker's sales. */
  'oemOrders.confirm': { admin: 'all', sales: 'all' },
  /** The contract prices per client and product, versioned by date: kept by sales, never by a client. */
  'oemPrices.read': { admin: 'all', sales: 'all' },
  'oemPrices.manage': { admin: 'all', sales: 'all' },
  /** The maker's production lots and what each shipped to which order: QA and sales record them. */
  'lots.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all' },
  'lots.manage': { admin: 'all', qa: 'all', sales: 'all' },
  /** Accepting or rejecting reported units (from evidence or returned units), asking for a return: QA. */
  'oemDefects.review': { admin: 'all', qa: 'all' },
  /** The client reports its defective units; support may record one the client sent another way. */
  'oemDefects.report': { admin: 'all', support: 'all', oem: 'own' },
  /** The client chooses a replacement shipment or a next-order credit; sales may record its choice. */
  'oemExcess.resolve': { admin: 'all', sales: 'all', oem: 'own' },
  'batchInvestigations.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all' },
  /** Open, propose from a flag, attach evidence, confirm or dismiss: QA. */
  'batchInvestigations.manage': { admin: 'all', qa: 'all' },
  'lotDefectRates.read': { admin: 'all', qa: 'all' },
  'makerCosts.read': { admin: 'all', qa: 'all', sales: 'all' },
  'makerCosts.record': { admin: 'all', qa: 'all' },
  /**
   * The warranty reserve forecast (issue 19): what the claims still to come on units in warranty will
   * cost, from claim rates by age and the cost per claim. Built on the maker's costs, so read by who reads them.
   */
  'reserve.read': { admin: 'all', qa: 'all', sales: 'all' },
  /**
   * The cost of warranty per product and month (issue 19), with the rows behind each figure: those who
   * read the maker's cost ledger.
   */
  'warrantyCost.read': { admin: 'all', qa: 'all', sales: 'all' },
  /*
   * What the maker ships to a client after a defect. Owners: a remake order and a replacement shipment
   * are their order's client's, who follows them (state, carrier, waybill) in the portal.
   */
  'remakeOrders.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all', oem: 'own' },
  /** Production, shipping by air with its waybill, delivery: QA, who confirmed the batch defect. */
  'remakeOrders.ship': { admin: 'all', qa: 'all' },
  'replacementShipments.read': { admin: 'all', support: 'all', qa: 'all', sales: 'all', oem: 'own' },
  /** Sales, who keep the client's order desk and took its choice of remedy, ship the replacement. */
  'replacementShipments.ship': { admin: 'all', sales: 'all' },
  /**
   * Proofs of purchase and evidence, by id: staff all of them; a dealer, a customer or an OEM client
   * those on their purchases and defect reports, and anyone the files they uploaded themselves; the files
   * of a claim's conversation its dealer's and center's, and its customer's when on a message to them.
   */
  'uploads.read': {
    admin: 'all',
    support: 'all',
    qa: 'all',
    dealer: 'own',
    technician: 'own',
    oem: 'own',
    customer: 'own',
  },
  /**
   * The outbox, as the staff who answer customers see it: every message, its delivery, and the ones
   * to deliver by hand. Links that act for the recipient are shown without their secret.
   */
  /** QA and sales read the notices addressed to their role (`role:qa`, `role:sales`): their inbox. */
  'messages.read': { admin: 'all', support: 'all', qa: 'own', sales: 'own' },
  'messages.manage': { admin: 'all', support: 'all' },
  /**
   * The development mail catcher (no SMTP_URL; the embedded demo): unsent e-mail read whole, with the
   * real single-use links that act for its recipient. Admins only, in person (never an API key).
   */
  'devMail.read': { admin: 'all' },
  /*
   * Fraud signals' review queue: support reviews customers' claims and dealers' reimbursements, QA the
   * OEM clients' credits (app/risk/reviews.ts narrows each role to its kinds). Admins set the thresholds.
   */
  /** The audit log, filtered and paged: who did what, when. Staff who answer for the desk. */
  'auditEvents.read': { admin: 'all', support: 'all' },
  /**
   * The events feed (issue 17): everyone may poll it, and sees of each kind of event what it may read
   * of that kind of object — its read permission is the catalogue's (app/events/types.ts): a dealer
   * its sales' events, a customer its own, a technician its center's, an OEM client its orders'.
   */
  'events.read': {
    admin: 'all',
    support: 'all',
    qa: 'all',
    sales: 'all',
    dealer: 'own',
    technician: 'own',
    oem: 'own',
    customer: 'own',
  },
  /**
   * Insight (issue 19): the service-level dashboard — every center's weeks, the claims per month, the
   * dealers' remedies and the customers' ratings. Those who answer for service levels: support, QA and
   * admins; never a center, dealer or customer, whose figures would be everyone's.
   */
  'insight.read': { admin: 'all', support: 'all', qa: 'all' },
  'riskReviews.read': { admin: 'all', support: 'all', qa: 'all' },
  'riskReviews.decide': { admin: 'all', support: 'all', qa: 'all' },
  'riskSettings.read': { admin: 'all', support: 'all', qa: 'all' },
  'riskSettings.manage': { admin: 'all' },
} as const satisfies Record<string, Partial<Record<Role, Grant>>>;

export type Action = keyof typeof permissions;
export const actions = Object.keys(permissions) as Action[];

export function grantOf(role: Role, action: Action): Grant | undefined {
  const row: Partial<Record<Role, Grant>> = permissions[action];
  return row[role];
}

/** May this role attempt the action at all? What a route checks before it loads anything. */
export function mayAttempt(role: Role, action: Action): boolean {
  return grantOf(role, action) !== undefined;
}

export type AccessDecision = 'allowed' | 'forbidden' | 'not_found';

/** The decision on one object: `not_found` when the role may act, but not on this object. */
export function authorize(actor: Actor, action: Action, owners: Owners): AccessDecision {
  const grant = grantOf(actor.role, action);
  if (grant === undefined) return 'forbidden';
  if (grant === 'all') return 'allowed';
  return ownsObject(actor, owners) ? 'allowed' : 'not_found';
}

function ownsObject(actor: Actor, owners: Owners): boolean {
  switch (actor.role) {
    case 'dealer':
      return owners.dealerId === actor.scope.dealerId;
    case 'technician':
      return owners.serviceCenterId === actor.scope.serviceCenterId;
    case 'oem':
      return owners.oemClientId === actor.scope.oemClientId;
    case 'customer':
      return owners.endUserId === actor.scope.endUserId;
    default:
      // An unscoped role owns nothing in particular: only an `all` grant lets it through.
      return false;
  }
}

/**
 * Which objects a list shows: `all`, those of one scope, or `none` when the role may not list at all.
 * Lists are filtered in the query, so the answer is the filter, not a per-row decision.
 */
export type ListFilter = { kind: 'all' } | { kind: 'none' } | { kind: 'scope'; owners: Owners };

export function listFilter(actor: Actor, action: Action): ListFilter {
  const grant = grantOf(actor.role, action);
  if (grant === undefined) return { kind: 'none' };
  if (grant === 'all') return { kind: 'all' };
  return { kind: 'scope', owners: actor.scope };
}
