import { sql, type SQL } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  type PgColumn,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CalendarLength } from '../domain/calendar.js';
import { apiKeyRoles, MAX_API_KEY_REQUESTS_PER_MINUTE } from '../domain/access/api-keys.js';
import { MAX_AMOUNT_MINOR, MAX_UNITS } from '../domain/money.js';
import { causes, type Decision } from '../domain/policy/evaluate.js';
import {
  type MaintenanceMode,
  maintenanceModes,
  type MaintenanceState,
  maintenanceStates,
} from '../domain/maintenance/state-machine.js';
import { excessRemedyCodes, remedyCodes, rootCauses, type PolicyVersion } from '../domain/policy/schema.js';
import { investigationStates } from '../domain/oem/batch-investigation.js';
import { reviewBases } from '../domain/oem/defect-review.js';
import { oemOrderStates } from '../domain/oem/order-state.js';
import { Z95 } from '../domain/oem/early-warning.js';
import { type RiskSignal, riskSubjectKinds } from '../domain/risk/signals.js';
import { MAX_LABOUR_HUNDREDTHS, MAX_PART_QUANTITY } from '../domain/warranty-cost/work.js';
import { openShipmentStates, shipmentStates, shippingModes } from '../domain/oem/shipment.js';
import type { OrderLot } from '../domain/oem/oem-order.js';
import { type QuoteLine, quoteResponseChannels, quoteStates } from '../domain/paid-service/quote.js';
import { invitableRoles, type InvitableRole, type Role, roles } from '../domain/access/access.js';
import { rejectionCodes, verificationStates } from '../domain/purchases/verification.js';
import { approvalKinds, type ApprovalKind, approvalStates } from '../domain/approvals/four-eyes.js';
import { unitStates } from '../domain/units/unit-state.js';
import {
  authorKinds,
  conversationStates,
  holdReasons,
  messageChannels,
  messageStatuses,
  messageVisibilities,
} from '../domain/conversations/conversation.js';
import { UPLOAD_CHUNK_BYTES, type UploadKind, uploadKinds, uploadTicketPurposes } from '../domain/uploads.js';
import {
  productCategories,
  type ProductCategory,
  serviceCenterKinds,
  type ServiceCenterKind,
} from '../domain/reference-data.js';

/*
 * Plain PostgreSQL only (PGlite, PostgreSQL, later Citus): no pg enums, no triggers, and one extension,
 * pg_trgm (trusted, bundled with PGlite and every PostgreSQL 13+): the staff search's trigram indexes.
 * Enumerations are text columns with CHECK constraints so adding a value is one cheap migration that
 * every engine runs the same way. Policy numbers (the 0.3 %–0.5 % spare rate, window lengths) are data
 * in policy_versions and are never repeated here as constraints.
 */

// The closed lists live in the domain, which the web app may import; the tables only store them.
export { productCategories, serviceCenterKinds };

/**
 * A phone number's digits only, as the search matches them: "+86 138-0013-8000" is 8613800138000, so
 * "138 0013" or "13800" find it. The trigram indexes on phones are on this expression, and the search's
 * predicates (app/search/predicates.ts) must write it the same way for PostgreSQL to use them.
 */
export const phoneDigits = (column: PgColumn | SQL): SQL =>
  sql`regexp_replace(coalesce(${column}, ''), '[^0-9]', '', 'g')`;

/** A trigram (GIN, pg_trgm) index's column or expression: what `ilike '%…%'` can find without a scan. */
const trigrams = (expression: PgColumn | SQL): SQL => sql`${expression} gin_trgm_ops`;
export type { ProductCategory, ServiceCenterKind };

export const claimCauses = causes;
export type ClaimCause = (typeof claimCauses)[number];

export const claimStatuses = ['open', 'remedy_chosen', 'resolved', 'withdrawn'] as const;
export type ClaimStatus = (typeof claimStatuses)[number];

// The maintenance order's states and modes belong to its state machine; the table only stores them.
export { maintenanceModes, maintenanceStates };
export type { MaintenanceMode, MaintenanceState };

/** A decision as it is stored: the domain's `Decision` is already JSON (its dates are ISO strings). */
export type StoredDecision = Decision;

/** The values go into DDL, so they are inlined as literals: a bound parameter cannot appear in a CHECK. */
function oneOf(column: PgColumn, values: readonly string[]): SQL {
  const list = values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
  return sql`${column} in (${sql.raw(list)})`;
}

/**
 * An amount (minor units) or a count of units within the ranges of domain/money.ts, the same ones the
 * request schemas hold: so no writer — the app, the seed, a restore, a script — keeps a number the API
 * could not answer with. Null passes: whether a column may be null is its own matter.
 */
function amountInRange(column: PgColumn): SQL {
  return sql`${column} is null or ${column} between 0 and ${sql.raw(String(MAX_AMOUNT_MINOR))}`;
}
function unitsInRange(column: PgColumn): SQL {
  return sql`${column} is null or ${column} between 1 and ${sql.raw(String(MAX_UNITS))}`;
}

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
/** Optimistic locking: an update says which version it read (`where version = $read`) and bumps it. */
const version = () => integer('version').notNull().default(1);

export const policyVersions = pgTable(
  'policy_versions',
  {
    id: text('id').primaryKey(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull().unique(),
    document: jsonb('document').$type<PolicyVersion>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // The document is the source of truth; the columns copy it for look-ups and must not drift from it.
    check('policy_versions_document_id_check', sql`${t.document} ->> 'id' = ${t.id}`),
    check(
      'policy_versions_document_effective_from_check',
      sql`${t.document} ->> 'effectiveFrom' = to_char(${t.effectiveFrom}, 'YYYY-MM-DD')`,
    ),
  ],
);

export const policyDraftStatuses = ['draft', 'published', 'discarded'] as const;
export type PolicyDraftStatus = (typeof policyDraftStatuses)[number];

/**
 * A policy version being prepared (app/policies/drafts): edited, replayed over past claims ("what if"),
 * then published into `policy_versions` or discarded. Kept apart from `policy_versions` so nothing that
 * decides — every reader of that table, the claims' foreign key — can ever see a draft; every version
 * already there is published by being there. A published or discarded draft stays, closed, as history.
 */
export const policyDrafts = pgTable(
  'policy_drafts',
  {
    id: id(),
    /** The whole version as it will be published; its `id` and `effectiveFrom` are checked on publishing. */
    document: jsonb('document').$type<PolicyVersion>().notNull(),
    /** The published version it was copied from, when it was. */
    basedOn: text('based_on').references(() => policyVersions.id),
    status: text('status', { enum: policyDraftStatuses }).notNull().default('draft'),
    createdBy: text('created_by').notNull(),
    /** Who published or discarded it, and when. */
    closedBy: text('closed_by'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('policy_drafts_status_check', oneOf(t.status, policyDraftStatuses)),
    check('policy_drafts_closed_check', sql`(${t.status} = 'draft') = (${t.closedAt} is null)`),
    check('policy_drafts_version_check', sql`${t.version} >= 1`),
    index('policy_drafts_status_idx').on(t.status, t.createdAt),
  ],
);

export const products = pgTable(
  'products',
  {
    id: id(),
    sku: text('sku').notNull().unique(),
    nameEn: text('name_en').notNull(),
    nameZh: text('name_zh').notNull(),
    category: text('category', { enum: productCategories }).notNull(),
    /** The product's own warranty length when it differs from the policy's last window. */
    warrantyOverride: jsonb('warranty_override').$type<CalendarLength>(),
    /** The catalogue price (sales and admins keep it): what a dealer may ask back for one unit at most. */
    priceMinor: bigint('price_minor', { mode: 'number' }),
    currency: text('currency'),
    createdAt: createdAt(),
  },
  (t) => [
    check('products_category_check', oneOf(t.category, productCategories)),
    check('products_price_range_check', amountInRange(t.priceMinor)),
    check('products_price_currency_check', sql`(${t.priceMinor} is null) = (${t.currency} is null)`),
    check(
      'products_warranty_override_check',
      sql`${t.warrantyOverride} is null or jsonb_typeof(${t.warrantyOverride}) = 'object'`,
    ),
  ],
);

export const units = pgTable(
  'units',
  {
    id: id(),
    serial: text('serial').notNull().unique(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    lot: text('lot').notNull(),
    /**
     * The day the unit left the maker, as far as the maker knows: no sale of it can be dated earlier.
     * Null for a unit first seen in a dealer's sale (its lot `unknown`), whose day nobody told us.
     */
    madeOn: date('made_on', { mode: 'string' }),
    /**
     * Where the unit is in its life (domain/units/unit-state.ts): in stock, sold, handed over as a
     * replacement, or returned — a returned unit is never sold, handed over or returned again.
     */
    state: text('state', { enum: unitStates }).notNull().default('in_stock'),
    createdAt: createdAt(),
  },
  (t) => [
    check('units_state_check', oneOf(t.state, unitStates)),
    index('units_product_id_idx').on(t.productId),
    // Batch-defect detection counts failures per lot.
    index('units_lot_idx').on(t.lot),
    // Staff search a serial by any part of it (app/search).
    index('units_serial_trgm_idx').using('gin', trigrams(t.serial)),
  ],
);

export const dealers = pgTable('dealers', {
  id: id(),
  name: text('name').notNull(),
  /** The name in Chinese, where the maker gave one: the Chinese screens show it, else `name`. */
  nameZh: text('name_zh'),
  city: text('city').notNull(),
  email: text('email'),
  phone: text('phone'),
  timeZone: text('time_zone').notNull(),
  createdAt: createdAt(),
});

export const serviceCenters = pgTable(
  'service_centers',
  {
    id: id(),
    kind: text('kind', { enum: serviceCenterKinds }).notNull(),
    nameEn: text('name_en').notNull(),
    nameZh: text('name_zh').notNull(),
    city: text('city').notNull(),
    address: text('address').notNull(),
    latitude: doublePrecision('latitude').notNull(),
    longitude: doublePrecision('longitude').notNull(),
    /** The SLA clock counts this zone's calendar days. */
    timeZone: text('time_zone').notNull(),
    /** May be fewer than the policy's default commitment, never checked against it here: that is policy. */
    committedServiceDays: integer('committed_service_days').notNull(),
    /** ISO weekdays (1 = Monday … 7 = Sunday) on which the center works and the SLA clock runs. */
    businessDays: integer('business_days')
      .array()
      .notNull()
      .default(sql`'{1,2,3,4,5}'`),
    /** Public holidays: business days on which the center is closed and the SLA clock stops. */
    closedOn: date('closed_on', { mode: 'string' })
      .array()
      .notNull()
      .default(sql`'{}'`),
    /** Make-up working days (调休): days off by the weekday rule on which the center works. */
    openOn: date('open_on', { mode: 'string' })
      .array()
      .notNull()
      .default(sql`'{}'`),
    email: text('email').notNull(),
    phone: text('phone').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('service_centers_kind_check', oneOf(t.kind, serviceCenterKinds)),
    check('service_centers_latitude_check', sql`${t.latitude} between -90 and 90`),
    check('service_centers_longitude_check', sql`${t.longitude} between -180 and 180`),
    check('service_centers_committed_service_days_check', sql`${t.committedServiceDays} between 1 and 365`),
    check(
      'service_centers_business_days_check',
      sql`cardinality(${t.businessDays}) > 0 and ${t.businessDays} <@ array[1, 2, 3, 4, 5, 6, 7]`,
    ),
    check('service_centers_calendar_exceptions_check', sql`not (${t.closedOn} && ${t.openOn})`),
  ],
);

export const endUsers = pgTable(
  'end_users',
  {
    id: id(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    createdAt: createdAt(),
  },
  (t) => [
    // A customer we cannot reach cannot be told the repair is done.
    check('end_users_contact_check', sql`${t.email} is not null or ${t.phone} is not null`),
    // Sales find their buyer's record by e-mail in any case, or by the phone's last 11 digits
    // (app/purchases/sales.ts): without these, every import scans every customer, twice.
    index('end_users_email_lower_idx').on(sql`lower(${t.email})`),
    index('end_users_phone_digits_idx').on(
      sql`right(regexp_replace(coalesce(${t.phone}, ''), '[^0-9]', '', 'g'), 11)`,
    ),
    // Staff search a customer by part of a name, an e-mail address or a phone number (app/search).
    index('end_users_name_trgm_idx').using('gin', trigrams(t.name)),
    index('end_users_email_trgm_idx').using('gin', trigrams(t.email)),
    index('end_users_phone_digits_trgm_idx').using('gin', trigrams(phoneDigits(t.phone))),
  ],
);

export const purchases = pgTable(
  'purchases',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    unitId: uuid('unit_id').references(() => units.id),
    dealerId: uuid('dealer_id').references(() => dealers.id),
    endUserId: uuid('end_user_id')
      .notNull()
      .references(() => endUsers.id),
    /** Calendar day of purchase in the store's time zone: the day the warranty windows count from. */
    purchaseDate: date('purchase_date', { mode: 'string' }).notNull(),
    /** The receipt or invoice the customer uploaded when registering the product. */
    proofUploadId: uuid('proof_upload_id').references((): AnyPgColumn => uploads.id),
    /** Who recorded the sale or registration, as the audit log names them. */
    recordedBy: text('recorded_by'),
    /** The buyer as written on the proof, who need not be the customer who later claims. */
    buyerName: text('buyer_name'),
    buyerEmail: text('buyer_email'),
    buyerPhone: text('buyer_phone'),
    /** What the buyer paid, when the dealer said: a refund never gives back more. */
    priceMinor: bigint('price_minor', { mode: 'number' }),
    currency: text('currency'),
    /** Lets a dealer's client retry recording a sale without recording it twice. */
    idempotencyKey: text('idempotency_key').unique(),
    /**
     * Whether the sale is known to have happened as recorded (domain/purchases/verification.ts): a
     * dealer's record is verified, a customer's registration pending until matched, confirmed or rejected.
     */
    verification: text('verification', { enum: verificationStates }).notNull().default('verified'),
    /** Who verified or rejected it (as the audit log names them, `system` for a match) and when. */
    verifiedBy: text('verified_by'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    rejectionCode: text('rejection_code', { enum: rejectionCodes }),
    /** The checker's reason, shown to the customer as written. */
    rejectionReason: text('rejection_reason'),
    /** The SHA-256 of the proof's bytes: the same receipt sent again is the same proof. */
    proofSha256: text('proof_sha256'),
    createdAt: createdAt(),
  },
  (t) => [
    check('purchases_verification_check', oneOf(t.verification, verificationStates)),
    check(
      'purchases_rejection_check',
      sql`(${t.verification} = 'rejected') = (${t.rejectionCode} is not null)`,
    ),
    // A unit is in one live purchase: two registrations racing for a serial cannot both win; a rejected
    // one frees it.
    uniqueIndex('purchases_live_unit_idx')
      .on(t.unitId)
      .where(sql`${t.unitId} is not null and ${t.verification} <> 'rejected'`),
    // The same bytes prove one live purchase, whichever upload they came in.
    uniqueIndex('purchases_live_proof_sha256_idx')
      .on(t.proofSha256)
      .where(sql`${t.proofSha256} is not null and ${t.verification} <> 'rejected'`),
    // Support's verification queue, oldest first.
    index('purchases_pending_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.verification} = 'pending'`),
    check('purchases_price_range_check', amountInRange(t.priceMinor)),
    check('purchases_price_currency_check', sql`(${t.priceMinor} is null) = (${t.currency} is null)`),
    // One receipt proves one purchase: a second registration with it is refused, even when two race.
    uniqueIndex('purchases_proof_upload_id_idx').on(t.proofUploadId),
    index('purchases_end_user_id_idx').on(t.endUserId, t.purchaseDate),
    index('purchases_product_id_idx').on(t.productId),
    index('purchases_unit_id_idx').on(t.unitId),
    // The purchases list's keysets (app/purchases/read-purchases.ts), newest purchase first by default:
    // everyone's for support, a dealer's own; and by when they were recorded.
    index('purchases_date_idx').on(t.purchaseDate, t.id),
    index('purchases_dealer_date_idx').on(t.dealerId, t.purchaseDate, t.id),
    index('purchases_created_at_idx').on(t.createdAt, t.id),
    // Staff search the buyer as written on the proof, by part of a name, e-mail or phone (app/search).
    index('purchases_buyer_name_trgm_idx').using('gin', trigrams(t.buyerName)),
    index('purchases_buyer_email_trgm_idx').using('gin', trigrams(t.buyerEmail)),
    index('purchases_buyer_phone_digits_trgm_idx').using('gin', trigrams(phoneDigits(t.buyerPhone))),
  ],
);

export const claims = pgTable(
  'claims',
  {
    id: id(),
    purchaseId: uuid('purchase_id')
      .notNull()
      .references(() => purchases.id),
    endUserId: uuid('end_user_id')
      .notNull()
      .references(() => endUsers.id),
    reportedOn: date('reported_on', { mode: 'string' }).notNull(),
    cause: text('cause', { enum: claimCauses }).notNull(),
    description: text('description').notNull(),
    /** The decision the customer was given, kept as given even if the policy changes later. */
    decision: jsonb('decision').$type<StoredDecision>().notNull(),
    policyVersionId: text('policy_version_id')
      .notNull()
      .references(() => policyVersions.id),
    chosenRemedy: text('chosen_remedy', { enum: remedyCodes }),
    status: text('status', { enum: claimStatuses }).notNull().default('open'),
    /**
     * The support user working the claim (app/ownership): taken, assigned or released, never by a
     * read-then-write; each change audited. Not part of `version`: a customer's choice is not stale for it.
     */
    ownerId: text('owner_id').references((): AnyPgColumn => users.id),
    /** Lets a client retry a submission without creating a second claim. */
    idempotencyKey: text('idempotency_key').unique(),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('claims_cause_check', oneOf(t.cause, claimCauses)),
    check(
      'claims_chosen_remedy_check',
      sql`${t.chosenRemedy} is null or ${oneOf(t.chosenRemedy, remedyCodes)}`,
    ),
    check('claims_status_check', oneOf(t.status, claimStatuses)),
    check('claims_version_check', sql`${t.version} >= 1`),
    index('claims_purchase_id_idx').on(t.purchaseId),
    index('claims_end_user_id_idx').on(t.endUserId),
    index('claims_policy_version_id_idx').on(t.policyVersionId),
    index('claims_status_created_at_idx').on(t.status, t.createdAt),
    // Support's list, newest first, without a status.
    index('claims_created_at_idx').on(t.createdAt, t.id),
    // A claim's reference is its id: staff search it by the part they were read out (app/search).
    index('claims_reference_trgm_idx').using('gin', trigrams(sql`(${t.id}::text)`)),
    // The list sorted by the day the problem was reported (app/lists).
    index('claims_reported_on_idx').on(t.reportedOn, t.id),
    // "Mine": the claims one person works.
    index('claims_owner_id_idx').on(t.ownerId, t.createdAt),
  ],
);

export const maintenanceOrders = pgTable(
  'maintenance_orders',
  {
    id: id(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    maintenanceNumber: text('maintenance_number').notNull().unique(),
    serviceCenterId: uuid('service_center_id')
      .notNull()
      .references(() => serviceCenters.id),
    mode: text('mode', { enum: maintenanceModes }).notNull(),
    state: text('state', { enum: maintenanceStates }).notNull().default('issued'),
    /** The SLA clock starts here, in the service center's time zone. */
    receivedOn: date('received_on', { mode: 'string' }),
    dueOn: date('due_on', { mode: 'string' }),
    returnTracking: text('return_tracking'),
    /** Where the customer said they are, to find the nearest center: a bundled city, or coordinates. */
    customerCity: text('customer_city'),
    customerLatitude: doublePrecision('customer_latitude'),
    customerLongitude: doublePrecision('customer_longitude'),
    diagnosis: text('diagnosis'),
    /** Inspection found damage caused by misuse: the order became a paid-service offer. */
    humanDamageFound: boolean('human_damage_found').notNull().default(false),
    /** The day the center contacted the customer, which the policy requires within the commitment. */
    contactedOn: date('contacted_on', { mode: 'string' }),
    returnedOn: date('returned_on', { mode: 'string' }),
    /** Set once each, so the deadline job warns and escalates an order once, whichever process runs it. */
    dueReminderSentAt: timestamp('due_reminder_sent_at', { withTimezone: true }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** Who works the order: support, or a technician of its center (app/ownership). */
    ownerId: text('owner_id').references((): AnyPgColumn => users.id),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('maintenance_orders_mode_check', oneOf(t.mode, maintenanceModes)),
    check('maintenance_orders_state_check', oneOf(t.state, maintenanceStates)),
    // A deadline exists only once the parts are received, since that is when the SLA clock starts.
    check(
      'maintenance_orders_due_on_check',
      sql`${t.dueOn} is null or (${t.receivedOn} is not null and ${t.dueOn} >= ${t.receivedOn})`,
    ),
    check('maintenance_orders_version_check', sql`${t.version} >= 1`),
    index('maintenance_orders_claim_id_idx').on(t.claimId),
    // Staff search a maintenance number by any part of it (app/search).
    index('maintenance_orders_number_trgm_idx').using('gin', trigrams(t.maintenanceNumber)),
    index('maintenance_orders_owner_id_idx').on(t.ownerId),
    // The service-level dashboard (app/insight): the orders received, and returned, in a period.
    index('maintenance_orders_received_on_idx').on(t.receivedOn),
    index('maintenance_orders_returned_on_idx').on(t.returnedOn),
    // The SLA scanner and a center's work queue: open orders of one center by state, nearest deadline first.
    index('maintenance_orders_center_state_due_idx').on(t.serviceCenterId, t.state, t.dueOn),
    // The lists' order (nearest deadline first, then the oldest), read from an index and stopped at the
    // page: everyone's, a center's, one state's, and the open orders' (the queues people work from).
    index('maintenance_orders_deadline_idx').on(t.dueOn, t.createdAt, t.id),
    index('maintenance_orders_center_deadline_idx').on(t.serviceCenterId, t.dueOn, t.createdAt, t.id),
    index('maintenance_orders_state_deadline_idx').on(t.state, t.dueOn, t.createdAt, t.id),
    // The lists' keyset pages (app/lists): (sort key, id), the key as the list compares it.
    index('maintenance_orders_due_key_idx').on(sql`coalesce(${t.dueOn}, 'infinity'::date)`, t.id),
    index('maintenance_orders_created_at_idx').on(t.createdAt, t.id),
    index('maintenance_orders_open_deadline_idx')
      .on(t.dueOn, t.createdAt, t.id)
      .where(sql`${t.state} not in ('closed', 'cancelled')`),
    index('maintenance_orders_open_center_deadline_idx')
      .on(t.serviceCenterId, t.dueOn, t.createdAt, t.id)
      .where(sql`${t.state} not in ('closed', 'cancelled')`),
    // The deadline job's candidates: held under the commitment, not yet contacted or returned.
    index('maintenance_orders_under_commitment_idx')
      .on(t.dueOn, t.id)
      .where(
        sql`${t.state} in ('received', 'diagnosing', 'repairing') and ${t.contactedOn} is null and ${t.returnedOn} is null`,
      ),
  ],
);

export const oemClients = pgTable('oem_clients', {
  id: id(),
  name: text('name').notNull(),
  country: text('country').notNull(),
  contactName: text('contact_name'),
  email: text('email'),
  phone: text('phone'),
  createdAt: createdAt(),
});

export const oemOrders = pgTable(
  'oem_orders',
  {
    id: id(),
    /**
     * The client's own number (or one made for it): unique per client, so that one client's number never
     * tells another that it exists (a global unique index answered "taken" across clients).
     */
    orderNumber: text('order_number').notNull(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => oemClients.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    /** Basis points (50 = 0.5 %). The policy's range is checked by the domain, not here. */
    spareRateBps: integer('spare_rate_bps').notNull(),
    spareUnits: integer('spare_units').notNull(),
    deliveryDate: date('delivery_date', { mode: 'string' }).notNull(),
    lots: text('lots')
      .array()
      .notNull()
      .default(sql`'{}'`),
    /**
     * Each lot with the units of the order it holds and, when known, its serial range: what lot defect
     * rates count. Empty on orders booked before it was kept; those count their only lot as the order.
     */
    lotDetails: jsonb('lot_details')
      .$type<OrderLot[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /**
     * The contract price per unit sales confirmed the order at, copied from the price list entry in
     * force on the order's day (never one the client gave): a money credit for excess defects is worked
     * out from it. Orders booked before the price list may have none.
     */
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }),
    currency: text('currency'),
    /** The policy version the spare rate was checked against (and whose defect window the ledger uses). */
    policyVersionId: text('policy_version_id').references(() => policyVersions.id),
    createdBy: text('created_by'),
    /**
     * requested (by the client, no price, no spares, no lots) → confirmed by sales | declined with a
     * reason (`domain/oem/order-state.ts`). Orders booked before requests existed are confirmed.
     */
    state: text('state', { enum: oemOrderStates }).notNull().default('confirmed'),
    /** The order's day (store's calendar): the contract price in force on it applies. */
    orderedOn: date('ordered_on', { mode: 'string' })
      .notNull()
      .default(sql`current_date`),
    priceListEntryId: uuid('price_list_entry_id').references(() => oemPriceListEntries.id),
    confirmedBy: text('confirmed_by'),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    declineReason: text('decline_reason'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('oem_orders_quantity_check', sql`${t.quantity} > 0`),
    check('oem_orders_spare_rate_bps_check', sql`${t.spareRateBps} between 0 and 10000`),
    check('oem_orders_spare_units_check', sql`${t.spareUnits} >= 0`),
    check(
      'oem_orders_unit_price_check',
      sql`(${t.unitPriceMinor} is null) = (${t.currency} is null) and (${t.unitPriceMinor} is null or ${t.unitPriceMinor} >= 0)`,
    ),
    check('oem_orders_version_check', sql`${t.version} >= 1`),
    check('oem_orders_quantity_range_check', unitsInRange(t.quantity)),
    check('oem_orders_unit_price_range_check', amountInRange(t.unitPriceMinor)),
    // The order's value (quantity × unit price) is shown and billed: an amount like any other.
    check(
      'oem_orders_value_check',
      sql`${t.unitPriceMinor} is null or ${t.quantity}::numeric * ${t.unitPriceMinor} <= ${sql.raw(String(MAX_AMOUNT_MINOR))}`,
    ),
    uniqueIndex('oem_orders_client_order_number_idx').on(t.clientId, t.orderNumber),
    // Staff look orders up by number across clients (the defect import).
    index('oem_orders_order_number_idx').on(t.orderNumber),
    // The orders list's keysets (app/oem/read-oem-orders.ts), newest first: a client's own, or everyone's.
    index('oem_orders_client_id_idx').on(t.clientId, t.createdAt, t.id),
    index('oem_orders_created_at_idx').on(t.createdAt, t.id),
    index('oem_orders_product_id_idx').on(t.productId),
    // The orders that shipped from given lots: a page of lot rates counts its orders and clients.
    index('oem_orders_lots_idx').using('gin', t.lots),
    check('oem_orders_state_check', oneOf(t.state, oemOrderStates)),
    check('oem_orders_declined_check', sql`(${t.state} = 'declined') = (${t.declineReason} is not null)`),
    // A request carries no price, no spares and no lots: sales and QA give it those.
    check(
      'oem_orders_requested_check',
      sql`${t.state} <> 'requested' or (${t.unitPriceMinor} is null and ${t.spareUnits} = 0 and cardinality(${t.lots}) = 0 and jsonb_array_length(${t.lotDetails}) = 0)`,
    ),
    // Sales's queue of requests.
    index('oem_orders_requested_idx')
      .on(t.createdAt)
      .where(sql`${t.state} = 'requested'`),
  ],
);

/**
 * The maker's contract prices for OEM clients, kept by sales: per client and product, versioned by the
 * day each takes effect (`domain/oem/price-list.ts`). Never updated: a new price is a new entry.
 */
export const oemPriceListEntries = pgTable(
  'oem_price_list_entries',
  {
    id: id(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => oemClients.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('oem_price_list_entries_price_check', sql`${t.unitPriceMinor} >= 0`),
    check('oem_price_list_entries_price_range_check', amountInRange(t.unitPriceMinor)),
    check('oem_price_list_entries_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    uniqueIndex('oem_price_list_entries_version_idx').on(t.clientId, t.productId, t.effectiveFrom),
  ],
);

/**
 * The maker's production lots: what a lot of a product holds (units made), made and shipped when; QA
 * or sales record one when its goods ship. Allocations ship its units to clients' orders, never more
 * than it holds (`domain/oem/lot-allocation.ts`).
 */
export const lots = pgTable(
  'lots',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    code: text('code').notNull(),
    quantity: integer('quantity').notNull(),
    madeOn: date('made_on', { mode: 'string' }).notNull(),
    shippedOn: date('shipped_on', { mode: 'string' }),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('lots_quantity_check', sql`${t.quantity} > 0`),
    uniqueIndex('lots_product_code_idx').on(t.productId, t.code),
    index('lots_code_idx').on(t.code),
  ],
);

/**
 * Units of a lot shipped to one client order: the order's lots (`oem_orders.lot_details`, which lot
 * rates count) are written from these, in the same transaction, under the lot's row lock.
 */
export const lotAllocations = pgTable(
  'lot_allocations',
  {
    id: id(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => oemOrders.id),
    clientId: uuid('client_id')
      .notNull()
      .references(() => oemClients.id),
    units: integer('units').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('lot_allocations_units_check', sql`${t.units} > 0`),
    uniqueIndex('lot_allocations_lot_order_idx').on(t.lotId, t.orderId),
    index('lot_allocations_order_id_idx').on(t.orderId),
    index('lot_allocations_client_id_idx').on(t.clientId),
  ],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    // A sequence rather than a uuid: events of one transaction share `occurred_at`, and the id keeps
    // their order.
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_events_entity_idx').on(t.entityType, t.entityId, t.id),
    index('audit_events_occurred_at_idx').on(t.occurredAt),
    // The audit viewer filters by who did it, newest first.
    index('audit_events_actor_idx').on(t.actor, t.id),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    createdAt: createdAt(),
    topic: text('topic').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    /** The text to send; a link that acts for the recipient shows here without its secret. */
    body: text('body').notNull(),
    /**
     * That link, whole, sealed (AES-256-GCM) under a key kept out of the database; the dispatcher puts
     * it back into the body when it sends (app/outbox/sealed-links.ts).
     */
    sealedLink: text('sealed_link'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** After a failed attempt, not before this: a mail server that is down is not hammered. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  },
  (t) => [
    check('outbox_attempts_check', sql`${t.attempts} >= 0`),
    // Both become header lines of an e-mail: a CR/LF (or any control character) in them would write
    // headers of its own. No row can hold one, whatever code builds it.
    check('outbox_subject_check', sql`${t.subject} !~ '[\\u0001-\\u001f\\u007f-\\u009f]'`),
    check('outbox_recipient_check', sql`${t.recipient} !~ '[\\u0001-\\u001f\\u007f-\\u009f]'`),
    // The dispatcher only ever reads unsent messages, oldest first; sent ones are history.
    index('outbox_unsent_idx')
      .on(t.createdAt)
      .where(sql`${t.sentAt} is null`),
    // Staff read it newest first: everything, or one role's inbox (`role:qa`).
    index('outbox_created_at_idx').on(t.createdAt, t.id),
    index('outbox_recipient_created_at_idx').on(t.recipient, t.createdAt, t.id),
  ],
);

/**
 * A PostgreSQL transaction id, 64 bits with its epoch (`xid8`, PostgreSQL 13+), as its decimal text:
 * ordered, never wrapping, and known for every transaction still running (`pg_current_snapshot()`).
 */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/*
 * Events (issue 17): every state change another system could act on, written in the same transaction
 * as the change (app/events/record-event.ts), polled in order (GET /api/v1/events) and delivered to
 * webhooks. An event's position is (tx_id, seq): the writing transaction's id, then the order of
 * writing. A reader only takes events of transactions older than every transaction of this database
 * still running: those have all committed or rolled back, so no event can later appear before a
 * position already read — a sequence alone can, when two transactions commit out of the order they
 * drew their numbers in (app/events/read-events.ts).
 */
export const events = pgTable(
  'events',
  {
    id: id(),
    txId: xid8('tx_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    /** One of app/events/types.ts's event types, e.g. `claim.submitted`. */
    type: text('type').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** The object the event is about, e.g. `claim` and its id. */
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /*
     * Who may read it besides staff, as for the object itself (domain/access scopeKeyOfRole): the sale's
     * dealer, the order's service center, the OEM client, the customer. No foreign keys: an event is a
     * record of what happened, kept when its parties change.
     */
    dealerId: uuid('dealer_id'),
    serviceCenterId: uuid('service_center_id'),
    oemClientId: uuid('oem_client_id'),
    endUserId: uuid('end_user_id'),
    /** The object as the API returns it (English texts), in the schema the event type names. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    /** What changed, where the type says (a maintenance order's move: `{ from, to }`); else null. */
    change: jsonb('change').$type<Record<string, unknown>>(),
  },
  (t) => [
    check('events_type_check', sql`${t.type} ~ '^[a-z_]+[.][a-z_]+$'`),
    uniqueIndex('events_position_idx').on(t.txId, t.seq),
    index('events_type_position_idx').on(t.type, t.txId, t.seq),
    index('events_dealer_position_idx')
      .on(t.dealerId, t.txId, t.seq)
      .where(sql`${t.dealerId} is not null`),
    index('events_service_center_position_idx')
      .on(t.serviceCenterId, t.txId, t.seq)
      .where(sql`${t.serviceCenterId} is not null`),
    index('events_oem_client_position_idx')
      .on(t.oemClientId, t.txId, t.seq)
      .where(sql`${t.oemClientId} is not null`),
    index('events_end_user_position_idx')
      .on(t.endUserId, t.txId, t.seq)
      .where(sql`${t.endUserId} is not null`),
    index('events_subject_idx').on(t.subjectType, t.subjectId),
  ],
);

/*
 * Webhooks (issue 17): endpoints an admin registers, and one delivery per (endpoint, event) with each
 * attempt kept. A dispatcher follows the events table from its own cursor (webhook_cursor), fans each
 * event out to the endpoints that want its type, and sends them from the interval-job runner
 * (app/webhooks/dispatch-webhooks.ts). The secret that signs them is sealed, never stored in the clear.
 */
export const webhookEndpointStatuses = ['enabled', 'disabled'] as const;
export const webhookDisabledReasons = ['admin', 'failing'] as const;
export const webhookDeliveryKinds = ['event', 'test', 'redelivery'] as const;
export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** The event types it wants (app/events/types.ts). */
    eventTypes: text('event_types').array().notNull(),
    /** The signing secret, AES-256-GCM under a key kept out of the database (app/webhooks/secret.ts). */
    secretSealed: text('secret_sealed').notNull(),
    status: text('status', { enum: webhookEndpointStatuses }).notNull().default('enabled'),
    disabledReason: text('disabled_reason', { enum: webhookDisabledReasons }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** The first failed attempt since its last success: three days of it disable the endpoint. */
    failingSince: timestamp('failing_since', { withTimezone: true }),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('webhook_endpoints_status_check', oneOf(t.status, webhookEndpointStatuses)),
    check(
      'webhook_endpoints_disabled_check',
      sql`(${t.status} = 'disabled') = (${t.disabledReason} is not null and ${t.disabledAt} is not null)`,
    ),
    check('webhook_endpoints_url_check', sql`${t.url} ~ '^https?://' and length(${t.url}) <= 2048`),
  ],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The event's id (a test event's own id): what receivers deduplicate by. */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    kind: text('kind', { enum: webhookDeliveryKinds }).notNull(),
    /** The JSON body sent: { id, type, occurredAt, subject, change, data }. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    firstAttemptAt: timestamp('first_attempt_at', { withTimezone: true }),
    /** A process sending it holds it until then; a crashed one's claim runs out and another sends it. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    leaseToken: uuid('lease_token'),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
  },
  (t) => [
    check('webhook_deliveries_kind_check', oneOf(t.kind, webhookDeliveryKinds)),
    check('webhook_deliveries_status_check', oneOf(t.status, webhookDeliveryStatuses)),
    check('webhook_deliveries_attempts_check', sql`${t.attempts} >= 0`),
    // One delivery per endpoint and event, however many dispatchers fan the event out.
    uniqueIndex('webhook_deliveries_endpoint_event_idx')
      .on(t.endpointId, t.eventId)
      .where(sql`${t.kind} = 'event'`),
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
  ],
);

export const webhookAttemptOutcomes = ['delivered', 'failed'] as const;

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** The receiver's HTTP status; null when none came (refused, timed out, connection failed). */
    statusCode: integer('status_code'),
    outcome: text('outcome', { enum: webhookAttemptOutcomes }).notNull(),
    error: text('error'),
    /** The start of the receiver's answer, at most 1 KiB of text. */
    responseExcerpt: text('response_excerpt').notNull().default(''),
  },
  (t) => [
    check('webhook_attempts_outcome_check', oneOf(t.outcome, webhookAttemptOutcomes)),
    check('webhook_attempts_excerpt_check', sql`length(${t.responseExcerpt}) <= 1024`),
    index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attemptedAt),
  ],
);

/** Where the webhook dispatcher has read the events table to: one row, locked by whoever fans out. */
export const webhookCursor = pgTable('webhook_cursor', {
  name: text('name').primaryKey(),
  txId: xid8('tx_id'),
  seq: bigint('seq', { mode: 'number' }),
});

/*
 * Accounts. The four tables better-auth's Drizzle adapter expects (user, session, account,
 * verification; plural here, `usePlural`), with the property names it addresses and snake_case columns.
 * Ids are better-auth's own random strings, not uuids. The role and its scope live on the user, where
 * better-auth reads them into the session (`user.additionalFields`, never settable by the user).
 */

export { roles, invitableRoles };
export type { Role, InvitableRole };

/** Exactly the scope column of a scoped role is set, and none for the others. */
function scopeMatchesRole(
  role: PgColumn,
  scope: { dealerId: PgColumn; serviceCenterId: PgColumn; oemClientId: PgColumn; endUserId?: PgColumn },
): SQL {
  const parts = [
    sql`(${scope.dealerId} is not null) = (${role} = 'dealer')`,
    sql`(${scope.serviceCenterId} is not null) = (${role} = 'technician')`,
    sql`(${scope.oemClientId} is not null) = (${role} = 'oem')`,
  ];
  if (scope.endUserId) parts.push(sql`(${scope.endUserId} is not null) = (${role} = 'customer')`);
  return sql.join(parts, sql` and `);
}

const authTimestamp = (name: string) => timestamp(name, { withTimezone: true });

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** better-auth lower-cases e-mail addresses before it stores or looks them up. */
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    role: text('role', { enum: roles }).notNull(),
    dealerId: uuid('dealer_id').references(() => dealers.id),
    serviceCenterId: uuid('service_center_id').references(() => serviceCenters.id),
    oemClientId: uuid('oem_client_id').references(() => oemClients.id),
    endUserId: uuid('end_user_id').references(() => endUsers.id),
    /** A deactivated user keeps its history (audit events name it) but can no longer sign in. */
    deactivatedAt: authTimestamp('deactivated_at'),
    createdAt: authTimestamp('created_at').notNull().defaultNow(),
    updatedAt: authTimestamp('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('users_role_check', oneOf(t.role, roles)),
    check('users_scope_check', scopeMatchesRole(t.role, t)),
    index('users_dealer_id_idx').on(t.dealerId),
    index('users_service_center_id_idx').on(t.serviceCenterId),
    index('users_oem_client_id_idx').on(t.oemClientId),
    // One account per customer record: two sign-ups must not share one person's purchases.
    uniqueIndex('users_end_user_id_idx').on(t.endUserId),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: authTimestamp('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: authTimestamp('created_at').notNull().defaultNow(),
    updatedAt: authTimestamp('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

/*
 * API keys for machines (domain/access/api-keys.ts): each acts with a role and scope as a person of
 * that role would. Only the SHA-256 of the secret is kept; the key is shown once, when made. Revoking
 * is a column every request reads, so it stops the key on every process at once.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The public part of the key (`aftersales_key_<publicId>_…`): finds the row, shown to admins. */
    publicId: text('public_id').notNull().unique(),
    name: text('name').notNull(),
    role: text('role', { enum: apiKeyRoles }).notNull(),
    dealerId: uuid('dealer_id').references(() => dealers.id),
    serviceCenterId: uuid('service_center_id').references(() => serviceCenters.id),
    oemClientId: uuid('oem_client_id').references(() => oemClients.id),
    /** Hex SHA-256 of the secret part; the secret itself is never stored. */
    secretSha256: text('secret_sha256').notNull(),
    requestsPerMinute: integer('requests_per_minute').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: text('revoked_by'),
  },
  (t) => [
    check('api_keys_role_check', oneOf(t.role, apiKeyRoles)),
    check('api_keys_scope_check', scopeMatchesRole(t.role, t)),
    check(
      'api_keys_requests_per_minute_check',
      sql`${t.requestsPerMinute} between 1 and ${sql.raw(String(MAX_API_KEY_REQUESTS_PER_MINUTE))}`,
    ),
    check('api_keys_revoked_check', sql`(${t.revokedAt} is null) = (${t.revokedBy} is null)`),
  ],
);

/** better-auth's provider id for e-mail + password accounts; its sign-in looks the hash up under it. */
export const CREDENTIAL_PROVIDER = 'credential';

export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: authTimestamp('access_token_expires_at'),
    refreshTokenExpiresAt: authTimestamp('refresh_token_expires_at'),
    scope: text('scope'),
    /** better-auth's scrypt hash, never the password. */
    password: text('password'),
    createdAt: authTimestamp('created_at').notNull().defaultNow(),
    updatedAt: authTimestamp('updated_at').notNull().defaultNow(),
  },
  (t) => [index('accounts_user_id_idx').on(t.userId)],
);

export const verifications = pgTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: authTimestamp('expires_at').notNull(),
    createdAt: authTimestamp('created_at').notNull().defaultNow(),
    updatedAt: authTimestamp('updated_at').notNull().defaultNow(),
  },
  (t) => [index('verifications_identifier_idx').on(t.identifier)],
);

/**
 * An admin's invitation to join with a role. Only the SHA-256 of the one-time token is kept: whoever
 * reads this table cannot accept an invitation.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    email: text('email').notNull(),
    role: text('role', { enum: invitableRoles }).notNull(),
    dealerId: uuid('dealer_id').references(() => dealers.id),
    serviceCenterId: uuid('service_center_id').references(() => serviceCenters.id),
    oemClientId: uuid('oem_client_id').references(() => oemClients.id),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedUserId: text('accepted_user_id').references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    invitedBy: text('invited_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('invitations_role_check', oneOf(t.role, invitableRoles)),
    check('invitations_scope_check', scopeMatchesRole(t.role, t)),
    check(
      'invitations_accepted_check',
      sql`(${t.acceptedAt} is null) = (${t.acceptedUserId} is null) and not (${t.acceptedAt} is not null and ${t.revokedAt} is not null)`,
    ),
    index('invitations_email_idx').on(t.email),
  ],
);

/**
 * Values the instance makes once and every process shares. Never a secret: the session-signing
 * secret was kept here once (migration 0017 removed it); secrets now come from the environment or the
 * embedded demo's file beside DATA_DIR (http/instance-secrets.ts).
 */
export const instanceSettings = pgTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/*
 * Failed sign-ins per e-mail address (lower case), known account or not, so that a password cannot be
 * guessed from many addresses at once and the lock-out answer tells nobody whether an account exists.
 * One row per (address, client) — `ip:…` / `ip6:…::/64` for a stranger, `device:<hash>` for a device
 * that signed in to the account before — and one per address with client `` for the address-wide
 * ceiling. `failures` holds the recent failures' instants (epoch ms). See
 * domain/access/sign-in-lockout.ts for the rule.
 */
export const ADDRESS_WIDE = '';
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    emailKey: text('email_key').notNull(),
    clientKey: text('client_key').notNull(),
    failures: jsonb('failures').$type<number[]>().notNull(),
    /** On the address-wide row: when the owner was last told that the ceiling closed. */
    ownerNotifiedAt: timestamp('owner_notified_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.emailKey, t.clientKey] })],
);

/*
 * Devices that have signed in to an account: the SHA-256 of the random id in a signed, HTTP-only
 * cookie (never the id itself). A device known to an account gets past the address-wide ceiling of
 * failed sign-ins, so strangers' guesses cannot keep the owner out.
 */
export const signInDevices = pgTable(
  'sign_in_devices',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    deviceHash: text('device_hash').notNull(),
    firstSignedInAt: timestamp('first_signed_in_at', { withTimezone: true }).notNull(),
    lastSignedInAt: timestamp('last_signed_in_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.deviceHash] })],
);

/*
 * Counters for every limit that must hold across processes (per-IP request rates, per-address mail,
 * bytes uploaded per IP per day): one row per key and fixed window, incremented by one upsert, so two
 * app processes on one PostgreSQL count each hit once. Expired windows are purged by a job.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: bigint('hits', { mode: 'number' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.windowStart] }),
    index('rate_limit_counters_expires_at_idx').on(t.expiresAt),
    check('rate_limit_counters_hits_check', sql`${t.hits} >= 0`),
    check('rate_limit_counters_key_check', sql`length(${t.key}) <= 512`),
  ],
);

/*
 * Guest access: what the policy gives people without an account (following their claim and its
 * maintenance order, accepting a paid-service quote) goes through a link carrying a one-time random
 * token. Only its SHA-256 is kept, with what it opens, for how long, and whether it was used.
 */
export const guestTokenPurposes = ['claim.track', 'quote.accept'] as const;
export type GuestTokenPurpose = (typeof guestTokenPurposes)[number];

export const guestAccessTokens = pgTable(
  'guest_access_tokens',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    purpose: text('purpose', { enum: guestTokenPurposes }).notNull(),
    /** The claim the link is about; a maintenance order or quote is reached through it. */
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set when a single-use link (accepting a quote) has done its work. */
    usedAt: timestamp('used_at', { withTimezone: true }),
    /**
     * The quote a `quote.accept` link answers: bound to the quote it was sent with, so an old link can
     * never accept a later quote of the same claim at another price.
     */
    quoteId: uuid('quote_id').references((): AnyPgColumn => quotes.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('guest_access_tokens_purpose_check', oneOf(t.purpose, guestTokenPurposes)),
    check(
      'guest_access_tokens_quote_check',
      sql`(${t.purpose} = 'quote.accept') = (${t.quoteId} is not null)`,
    ),
    index('guest_access_tokens_claim_id_idx').on(t.claimId),
  ],
);

/**
 * Raw bytes, for the migration's column types only: the app never sends or reads a bytea as a
 * parameter — PGlite serialises one byte by byte in JavaScript (about a second per megabyte, and a
 * hundred bytes of heap per byte) — but as base64 text through `decode`/`encode`
 * (app/uploads/upload-content.ts).
 */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export { uploadKinds };
export type { UploadKind };

/**
 * What lets someone without an account upload: a short-lived ticket a guest flow asks for
 * (`POST /api/v1/uploads/tickets`), good for one file of the kind its flow takes. Only the token's
 * SHA-256 is kept. The upload made with it names it, so the upload can later be attached only by whoever
 * still holds the token (or by the signed-in person who made it).
 */
export const uploadTickets = pgTable(
  'upload_tickets',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    purpose: text('purpose', { enum: uploadTicketPurposes }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Set by the upload that spent it, in that upload's transaction. */
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    check('upload_tickets_purpose_check', oneOf(t.purpose, uploadTicketPurposes)),
    index('upload_tickets_expires_at_idx').on(t.expiresAt),
  ],
);

/**
 * Files people send: proofs of purchase and photos of a fault. Kept in the database rather than on a
 * disk beside it, so a backup, a transaction and a second server all see the same files. The bytes are
 * in `upload_chunks`; this row is what is known about them.
 */
export const uploads = pgTable(
  'uploads',
  {
    id: id(),
    kind: text('kind', { enum: uploadKinds }).notNull(),
    /** The type the bytes are, by their signature: never the client's claim. */
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    originalName: text('original_name'),
    /** `user:<id>` or `guest`. */
    uploadedBy: text('uploaded_by').notNull(),
    /** The ticket a guest uploaded with; null for a signed-in uploader's file. */
    ticketId: uuid('ticket_id').references(() => uploadTickets.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('uploads_kind_check', oneOf(t.kind, uploadKinds)),
    check('uploads_size_check', sql`${t.sizeBytes} > 0`),
    index('uploads_created_at_idx').on(t.createdAt),
    index('uploads_ticket_id_idx').on(t.ticketId),
    // The same receipt's bytes on two purchases is a fraud signal (app/risk/claim-signals.ts).
    index('uploads_sha256_idx').on(t.sha256),
  ],
);

/**
 * A file's bytes in fixed slices of UPLOAD_CHUNK_BYTES (the last one shorter), numbered from 0: each is
 * written and read as one short statement, so no process ever holds a whole file, and a file is served
 * slice by slice. Deleted with its upload.
 */
export const uploadChunks = pgTable(
  'upload_chunks',
  {
    uploadId: uuid('upload_id')
      .notNull()
      .references(() => uploads.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    content: bytea('content').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.uploadId, t.seq] }),
    check('upload_chunks_seq_check', sql`${t.seq} >= 0`),
    check(
      'upload_chunks_size_check',
      sql`octet_length(${t.content}) between 1 and ${sql.raw(String(UPLOAD_CHUNK_BYTES))}`,
    ),
  ],
);

/*
 * End-user service (issue 4): maintenance numbers, the order's timeline, what dealers do and are
 * reimbursed for, and paid-service quotes.
 */

/**
 * Feeds maintenance numbers: a sequence is unique across every process and never hands a value out
 * twice; the domain scrambles it into the short readable number with its check character.
 */
export const maintenanceNumberSequence = pgSequence('maintenance_number_seq', { startWith: 1, minValue: 1 });

export const maintenanceEventKinds = ['move', 'contact'] as const;
export type MaintenanceEventKind = (typeof maintenanceEventKinds)[number];

/** Each move of a maintenance order, for its timeline (the tracking page shows the public ones). */
export const maintenanceOrderEvents = pgTable(
  'maintenance_order_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => maintenanceOrders.id),
    /** A move of the order, or a contact with the customer (the order stays where it is). */
    kind: text('kind', { enum: maintenanceEventKinds }).notNull().default('move'),
    fromState: text('from_state', { enum: maintenanceStates }),
    toState: text('to_state', { enum: maintenanceStates }).notNull(),
    /** The calendar day of the move in the center's time zone. */
    on: date('on', { mode: 'string' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    /** What the customer is told (e.g. a diagnosis in plain words); internal notes stay in the audit log. */
    note: text('note'),
  },
  (t) => [
    check('maintenance_order_events_to_state_check', oneOf(t.toState, maintenanceStates)),
    check('maintenance_order_events_kind_check', oneOf(t.kind, maintenanceEventKinds)),
    index('maintenance_order_events_order_id_idx').on(t.orderId, t.id),
  ],
);

/*
 * Parts and labour on a maintenance order (issue 19): what a free repair cost the maker. The parts list
 * is the maker's catalogue (admins keep it); a technician of the order's center records the parts used
 * and the hours worked, each change audited; the cost of warranty report reads them back.
 */

/** One part of the maker's catalogue, with its unit cost in the maker's currency. */
export const parts = pgTable(
  'parts',
  {
    id: id(),
    partNumber: text('part_number').notNull().unique(),
    nameEn: text('name_en').notNull(),
    nameZh: text('name_zh').notNull(),
    unitCostMinor: bigint('unit_cost_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** The product the part belongs to; none for a part many products use (a fuse, a cable). */
    productId: uuid('product_id').references(() => products.id),
    /** A retired part stays on the orders that used it, and is offered no more. */
    active: boolean('active').notNull().default(true),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('parts_unit_cost_range_check', amountInRange(t.unitCostMinor)),
    check('parts_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('parts_version_check', sql`${t.version} >= 1`),
    index('parts_product_id_idx').on(t.productId),
  ],
);

/**
 * The labour on one maintenance order, with the rate in force when it was recorded (a later change of
 * the rate does not rewrite a past repair's cost). One row per order, made by the first recording; its
 * `version` is what a recording sends back, so two technicians saving at once cannot both win.
 */
export const maintenanceOrderWork = pgTable(
  'maintenance_order_work',
  {
    orderId: uuid('order_id')
      .primaryKey()
      .references(() => maintenanceOrders.id),
    /** Hours of labour in hundredths of an hour (1.25 h = 125): whole numbers, no floating point. */
    labourHundredths: integer('labour_hundredths').notNull().default(0),
    labourRateMinor: bigint('labour_rate_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    /** The product repaired (the order's claim's purchase's, which never changes): the report's key. */
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    /** The store's calendar day the work was first recorded: the day the repair's cost counts on. */
    firstRecordedOn: date('first_recorded_on', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by').notNull(),
    /** Set when the last change was a correction after the product went back. */
    correctedAt: timestamp('corrected_at', { withTimezone: true }),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      'maintenance_order_work_labour_check',
      sql`${t.labourHundredths} between 0 and ${sql.raw(String(MAX_LABOUR_HUNDREDTHS))}`,
    ),
    check('maintenance_order_work_rate_range_check', amountInRange(t.labourRateMinor)),
    check('maintenance_order_work_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('maintenance_order_work_version_check', sql`${t.version} >= 1`),
    // The cost of warranty reads a range of days (app/insight/cost).
    index('maintenance_order_work_recorded_on_idx').on(t.firstRecordedOn, t.productId),
  ],
);

/** A part used on a maintenance order, at the unit cost it had when recorded. */
export const maintenanceOrderParts = pgTable(
  'maintenance_order_parts',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => maintenanceOrderWork.orderId),
    partId: uuid('part_id')
      .notNull()
      .references(() => parts.id),
    quantity: integer('quantity').notNull(),
    unitCostMinor: bigint('unit_cost_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'maintenance_order_parts_quantity_check',
      sql`${t.quantity} between 1 and ${sql.raw(String(MAX_PART_QUANTITY))}`,
    ),
    check('maintenance_order_parts_unit_cost_range_check', amountInRange(t.unitCostMinor)),
    uniqueIndex('maintenance_order_parts_order_part_idx').on(t.orderId, t.partId),
    index('maintenance_order_parts_part_id_idx').on(t.partId),
  ],
);

/*
 * Conversations (issue 16): the customer and the staff working on a claim (and its maintenance order)
 * write to each other; staff keep internal notes the customer never sees; replies come back by e-mail.
 */

export { conversationStates, messageVisibilities };

/**
 * One per claim, made with its first message. The reply address of the e-mail sent from it is
 * `reply+<token>@…`: the token is derived from the conversation's id under a key kept out of the database
 * (app/conversations/reply-tokens.ts), so only its SHA-256 is here, to find the conversation by; it stops
 * working at `reply_token_expires_at`, pushed on by every staff reply mailed.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    claimId: uuid('claim_id')
      .notNull()
      .unique()
      .references(() => claims.id),
    state: text('state', { enum: conversationStates }).notNull().default('open'),
    /** Since the first customer message staff have not answered: the queue's order, oldest first. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    replyTokenHash: text('reply_token_hash').notNull().unique(),
    replyTokenExpiresAt: timestamp('reply_token_expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('conversations_state_check', oneOf(t.state, conversationStates)),
    check(
      'conversations_waiting_check',
      sql`(${t.state} = 'waiting_for_staff') = (${t.waitingSince} is not null)`,
    ),
    // The staff queue: conversations waiting for staff, oldest first.
    index('conversations_waiting_idx')
      .on(t.waitingSince, t.id)
      .where(sql`${t.state} = 'waiting_for_staff'`),
  ],
);

export const conversationMessages = pgTable(
  'conversation_messages',
  {
    id: id(),
    /** The order messages were written in: several share one instant in a test clock or a busy second. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    authorKind: text('author_kind', { enum: authorKinds }).notNull(),
    /** The staff member's role when they wrote (a support agent, a technician …); null for the customer. */
    authorRole: text('author_role', { enum: roles }),
    /** As the audit log names them: `user:<id>`, `key:<id>`, `guest` (the tracking link), `email`. */
    author: text('author').notNull(),
    visibility: text('visibility', { enum: messageVisibilities }).notNull(),
    status: text('status', { enum: messageStatuses }).notNull().default('posted'),
    holdReason: text('hold_reason', { enum: holdReasons }),
    channel: text('channel', { enum: messageChannels }).notNull(),
    body: text('body').notNull(),
    /** An e-mail reply's Message-ID and sender: a delivery retried after a crash is the same message. */
    emailMessageId: text('email_message_id'),
    emailFrom: text('email_from'),
    /** Who released or discarded a held e-mail (`user:<id>`), and when. */
    heldDecidedBy: text('held_decided_by'),
    heldDecidedAt: timestamp('held_decided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    check('conversation_messages_author_kind_check', oneOf(t.authorKind, authorKinds)),
    check('conversation_messages_visibility_check', oneOf(t.visibility, messageVisibilities)),
    check('conversation_messages_status_check', oneOf(t.status, messageStatuses)),
    check('conversation_messages_channel_check', oneOf(t.channel, messageChannels)),
    check(
      'conversation_messages_author_role_check',
      sql`(${t.authorKind} = 'staff') = (${t.authorRole} is not null)`,
    ),
    // The customer writes in public only; a held e-mail is for staff until they decide.
    check(
      'conversation_messages_customer_public_check',
      sql`${t.authorKind} = 'staff' or ${t.visibility} = 'public' or ${t.status} in ('held', 'discarded')`,
    ),
    // Held, and discarded, only with a reason; a released e-mail keeps the reason it was held for.
    check('conversation_messages_hold_check', sql`${t.status} = 'posted' or ${t.holdReason} is not null`),
    check(
      'conversation_messages_held_decision_check',
      sql`(${t.heldDecidedAt} is not null) = (${t.heldDecidedBy} is not null) and case
        when ${t.holdReason} is null then ${t.heldDecidedAt} is null
        else (${t.status} = 'held') = (${t.heldDecidedAt} is null) end`,
    ),
    check(
      'conversation_messages_email_check',
      sql`(${t.channel} = 'email') = (${t.emailMessageId} is not null)`,
    ),
    index('conversation_messages_conversation_idx').on(t.conversationId, t.seq),
    // One e-mail is appended once, however often its sender retries the delivery.
    uniqueIndex('conversation_messages_email_message_id_idx')
      .on(t.conversationId, t.emailMessageId)
      .where(sql`${t.emailMessageId} is not null`),
  ],
);

/** The files a message carries (photos, PDFs), each through the upload rules. */
export const conversationAttachments = pgTable(
  'conversation_attachments',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => conversationMessages.id),
    uploadId: uuid('upload_id')
      .notNull()
      .references(() => uploads.id),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.uploadId] }),
    // A file is on one message: whose it is follows from that one conversation.
    uniqueIndex('conversation_attachments_upload_idx').on(t.uploadId),
  ],
);

export const dealerRemedyKinds = ['refund', 'replacement'] as const;
export type DealerRemedyKind = (typeof dealerRemedyKinds)[number];
export const dealerRemedyApprovals = ['none', 'awaiting', 'approved', 'rejected'] as const;
export type DealerRemedyApproval = (typeof dealerRemedyApprovals)[number];

/** A refund or same-type replacement a dealer carried out on a claim; at most one per claim. */
export const dealerRemedies = pgTable(
  'dealer_remedies',
  {
    id: id(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    dealerId: uuid('dealer_id')
      .notNull()
      .references(() => dealers.id),
    kind: text('kind', { enum: dealerRemedyKinds }).notNull(),
    /**
     * `none`: done at the counter. A refund above the four-eyes threshold, or of a sale recorded without
     * its price, is `awaiting` support's approval; `rejected` never happened (the claim stays open).
     */
    approval: text('approval', { enum: dealerRemedyApprovals }).notNull().default('none'),
    returnedSerial: text('returned_serial'),
    /** The registry's unit that came back, and the one handed over: the sale's chain of units. */
    returnedUnitId: uuid('returned_unit_id').references(() => units.id),
    replacementUnitId: uuid('replacement_unit_id').references(() => units.id),
    /** The new unit handed over; a replacement has one, a refund none. */
    replacementSerial: text('replacement_serial'),
    /** What the customer got back, for a refund. */
    refundMinor: bigint('refund_minor', { mode: 'number' }),
    currency: text('currency'),
    performedOn: date('performed_on', { mode: 'string' }).notNull(),
    performedBy: text('performed_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('dealer_remedies_kind_check', oneOf(t.kind, dealerRemedyKinds)),
    check('dealer_remedies_approval_check', oneOf(t.approval, dealerRemedyApprovals)),
    // One remedy per claim; a refund support refused leaves the claim free for another.
    uniqueIndex('dealer_remedies_claim_id_idx')
      .on(t.claimId)
      .where(sql`${t.approval} <> 'rejected'`),
    // A unit is handed over once: two counters cannot give the same new unit to two customers.
    uniqueIndex('dealer_remedies_replacement_unit_id_idx')
      .on(t.replacementUnitId)
      .where(sql`${t.replacementUnitId} is not null and ${t.approval} <> 'rejected'`),
    check('dealer_remedies_refund_range_check', amountInRange(t.refundMinor)),
    check(
      'dealer_remedies_shape_check',
      sql`(${t.kind} = 'replacement' and ${t.replacementSerial} is not null and ${t.refundMinor} is null)
        or (${t.kind} = 'refund' and ${t.replacementSerial} is null and ${t.refundMinor} is not null and ${t.refundMinor} >= 0 and ${t.currency} is not null)`,
    ),
    index('dealer_remedies_dealer_id_idx').on(t.dealerId),
    // The service-level dashboard (app/insight): the remedies of a period.
    index('dealer_remedies_performed_on_idx').on(t.performedOn),
  ],
);

export const ratingSubjects = ['maintenance_order', 'dealer_remedy'] as const;
export type RatingSubject = (typeof ratingSubjects)[number];
/** The longest comment a customer may leave with a rating. */
export const MAX_RATING_COMMENT = 1000;

/**
 * Customer satisfaction (issue 19 item 5): when a repair goes back or a dealer's remedy is done, the
 * customer is sent a one-question link. The row is the invitation and, once answered, the rating: only
 * the token's SHA-256 is kept (as guest links keep theirs), it answers once (`rated_at` set by a
 * conditional update) and expires. Who is rated is fixed when the link is sent: the center and the
 * technician who returned the repair, or the dealer that performed the remedy.
 */
export const satisfactionRatings = pgTable(
  'satisfaction_ratings',
  {
    id: id(),
    tokenHash: text('token_hash').notNull().unique(),
    subject: text('subject', { enum: ratingSubjects }).notNull(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    maintenanceOrderId: uuid('maintenance_order_id').references(() => maintenanceOrders.id),
    dealerRemedyId: uuid('dealer_remedy_id').references(() => dealerRemedies.id),
    serviceCenterId: uuid('service_center_id').references(() => serviceCenters.id),
    /** The technician who returned the repair (or the order's owner at its center), when one did. */
    technicianId: text('technician_id').references((): AnyPgColumn => users.id),
    dealerId: uuid('dealer_id').references(() => dealers.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    score: integer('score'),
    comment: text('comment'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    check('satisfaction_ratings_subject_check', oneOf(t.subject, ratingSubjects)),
    check(
      'satisfaction_ratings_subject_shape_check',
      sql`(${t.subject} = 'maintenance_order' and ${t.maintenanceOrderId} is not null and ${t.serviceCenterId} is not null)
        or (${t.subject} = 'dealer_remedy' and ${t.dealerRemedyId} is not null and ${t.dealerId} is not null)`,
    ),
    check('satisfaction_ratings_score_check', sql`${t.score} is null or ${t.score} between 1 and 5`),
    check(
      'satisfaction_ratings_answer_check',
      sql`(${t.ratedAt} is null) = (${t.score} is null) and (${t.comment} is null or ${t.ratedAt} is not null)`,
    ),
    check(
      'satisfaction_ratings_comment_check',
      sql`${t.comment} is null or char_length(${t.comment}) <= ${sql.raw(String(MAX_RATING_COMMENT))}`,
    ),
    // One link per repair and per remedy, however often the move is retried.
    uniqueIndex('satisfaction_ratings_order_idx')
      .on(t.maintenanceOrderId)
      .where(sql`${t.maintenanceOrderId} is not null`),
    uniqueIndex('satisfaction_ratings_remedy_idx')
      .on(t.dealerRemedyId)
      .where(sql`${t.dealerRemedyId} is not null`),
    index('satisfaction_ratings_claim_id_idx').on(t.claimId),
    // The dashboard: answered ratings of a period, per center, technician and dealer.
    index('satisfaction_ratings_rated_at_idx')
      .on(t.ratedAt)
      .where(sql`${t.ratedAt} is not null`),
  ],
);

/** `awaiting_approval`: approved by one agent, above the four-eyes threshold, waiting for a second. */
export const reimbursementStatuses = ['pending', 'awaiting_approval', 'approved', 'rejected'] as const;
export type ReimbursementStatus = (typeof reimbursementStatuses)[number];

/** What a dealer asks the maker to pay back for a remedy it carried out; support decides. */
export const reimbursementClaims = pgTable(
  'reimbursement_claims',
  {
    id: id(),
    dealerRemedyId: uuid('dealer_remedy_id')
      .notNull()
      .unique()
      .references(() => dealerRemedies.id),
    dealerId: uuid('dealer_id')
      .notNull()
      .references(() => dealers.id),
    status: text('status', { enum: reimbursementStatuses }).notNull().default('pending'),
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    currency: text('currency'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('reimbursement_claims_status_check', oneOf(t.status, reimbursementStatuses)),
    check('reimbursement_claims_amount_range_check', amountInRange(t.amountMinor)),
    check(
      'reimbursement_claims_decided_check',
      sql`(${t.status} in ('pending', 'awaiting_approval')) = (${t.decidedAt} is null)`,
    ),
    index('reimbursement_claims_dealer_status_idx').on(t.dealerId, t.status),
    index('reimbursement_claims_status_created_idx').on(t.status, t.createdAt),
    index('reimbursement_claims_created_idx').on(t.createdAt, t.id),
  ],
);

/**
 * The approvals room: money above the four-eyes threshold (or with nothing to bound it) waits here for
 * a second person (domain/approvals/four-eyes.ts). One pending request per subject; decided once.
 */
export const approvals = pgTable(
  'approvals',
  {
    id: id(),
    kind: text('kind', { enum: approvalKinds }).notNull().$type<ApprovalKind>(),
    /** What waits: a dealer remedy, a reimbursement claim, an excess resolution — by its id. */
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    amountMinor: bigint('amount_minor', { mode: 'number' }),
    currency: text('currency'),
    /** Why it waits, for the approver: `above_threshold`, `no_sale_price`, `no_catalogue_price`. */
    reasons: jsonb('reasons').$type<string[]>().notNull(),
    /** Who the money is for (a dealer's request is visible to that dealer). */
    dealerId: uuid('dealer_id').references(() => dealers.id),
    oemClientId: uuid('oem_client_id').references(() => oemClients.id),
    summary: text('summary').notNull(),
    requestedByUserId: text('requested_by_user_id').notNull(),
    requestedBy: text('requested_by').notNull(),
    state: text('state', { enum: approvalStates }).notNull().default('pending'),
    decidedByUserId: text('decided_by_user_id'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('approvals_kind_check', oneOf(t.kind, approvalKinds)),
    check('approvals_state_check', oneOf(t.state, approvalStates)),
    check('approvals_amount_range_check', amountInRange(t.amountMinor)),
    check('approvals_decided_check', sql`(${t.state} = 'pending') = (${t.decidedAt} is null)`),
    check(
      'approvals_four_eyes_check',
      sql`${t.decidedByUserId} is null or ${t.decidedByUserId} <> ${t.requestedByUserId}`,
    ),
    uniqueIndex('approvals_pending_subject_idx')
      .on(t.kind, t.subjectId)
      .where(sql`${t.state} = 'pending'`),
    index('approvals_state_created_idx').on(t.state, t.createdAt, t.id),
    index('approvals_dealer_idx').on(t.dealerId, t.state),
  ],
);

/** Feeds invoice numbers (INV-2026-000123): unique across processes, readable on paper. */
export const invoiceNumberSequence = pgSequence('invoice_number_seq', { startWith: 1, minValue: 1 });

/** Paid service: parts and labour quoted in integer minor units of one currency. */
export const quotes = pgTable(
  'quotes',
  {
    id: id(),
    claimId: uuid('claim_id')
      .notNull()
      .references(() => claims.id),
    /** Set when inspection of a maintenance order found misuse. */
    maintenanceOrderId: uuid('maintenance_order_id').references(() => maintenanceOrders.id),
    state: text('state', { enum: quoteStates }).notNull().default('draft'),
    lines: jsonb('lines').$type<QuoteLine[]>().notNull(),
    totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    quotedBy: text('quoted_by').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    declinedAt: timestamp('declined_at', { withTimezone: true }),
    /** How the customer's answer came: signed in, through the link, or by phone to sales. */
    responseChannel: text('response_channel', { enum: quoteResponseChannels }),
    /** Who took the answer by phone (the staff member recording it), and what was said. */
    responseTakenBy: text('response_taken_by'),
    responseNote: text('response_note'),
    repairedAt: timestamp('repaired_at', { withTimezone: true }),
    invoiceNumber: text('invoice_number').unique(),
    invoicedAt: timestamp('invoiced_at', { withTimezone: true }),
    /**
     * The tax setting in force when the quote was invoiced (app/documents): an invoice printed again a
     * year later shows the tax it was issued with, whatever an admin has set since.
     */
    invoiceTaxRateBasisPoints: integer('invoice_tax_rate_bps'),
    invoicePricesIncludeTax: boolean('invoice_prices_include_tax'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('quotes_state_check', oneOf(t.state, quoteStates)),
    check('quotes_total_check', sql`${t.totalMinor} >= 0`),
    check('quotes_total_range_check', amountInRange(t.totalMinor)),
    check('quotes_invoice_check', sql`(${t.invoiceNumber} is null) = (${t.invoicedAt} is null)`),
    check(
      'quotes_invoice_tax_check',
      sql`(${t.invoiceNumber} is null) = (${t.invoiceTaxRateBasisPoints} is null) and (${t.invoiceNumber} is null) = (${t.invoicePricesIncludeTax} is null) and coalesce(${t.invoiceTaxRateBasisPoints} between 0 and 10000, true)`,
    ),
    check(
      'quotes_response_channel_check',
      sql`${t.responseChannel} is null or ${oneOf(t.responseChannel, quoteResponseChannels)}`,
    ),
    // An answer by phone names who took it; the customer's own answers have nobody in between.
    check(
      'quotes_response_taken_by_check',
      sql`coalesce(${t.responseChannel} = 'phone', false) = (${t.responseTakenBy} is not null)`,
    ),
    index('quotes_claim_id_idx').on(t.claimId),
    index('quotes_state_idx').on(t.state, t.createdAt),
    index('quotes_created_at_idx').on(t.createdAt, t.id),
    // The list's "sent" sort, keyset by (key, id): the quotes to call, longest waiting first.
    index('quotes_sent_key_idx').on(sql`coalesce(${t.sentAt}, 'infinity'::timestamptz)`, t.id),
    // Staff search an invoice by any part of its number (app/search).
    index('quotes_invoice_number_trgm_idx').using('gin', trigrams(t.invoiceNumber)),
  ],
);

/*
 * OEM clients (issue 5): defect reports against an order's spares, the remedy the client chooses for
 * the excess, batch-defect investigations with their remake orders, and the maker's cost ledger.
 */

/** Feeds OEM order numbers (OEM-2026-000123) when the order does not bring its own. */
export const oemOrderNumberSequence = pgSequence('oem_order_number_seq', { startWith: 1, minValue: 1 });
/** Feeds return numbers (RMA-2026-000123) QA gives a client to send defective units back against. */
export const rmaNumberSequence = pgSequence('rma_number_seq', { startWith: 1, minValue: 1 });
/** Feeds remake order numbers (RMK-2026-000123). */
export const remakeOrderNumberSequence = pgSequence('remake_order_number_seq', {
  startWith: 1,
  minValue: 1,
});
/** Feeds replacement shipment numbers (RPL-2026-000123). */
export const replacementShipmentNumberSequence = pgSequence('replacement_shipment_number_seq', {
  startWith: 1,
  minValue: 1,
});

export { investigationStates, rootCauses, excessRemedyCodes };
export const investigationOrigins = ['qa', 'early_warning'] as const;
export type InvestigationOrigin = (typeof investigationOrigins)[number];

/** The numbers behind an early-warning flag, kept as they were when the investigation was proposed. */
export type StoredLotSignal = {
  lot: string;
  unitsShipped: number;
  defects: number;
  rate: number;
  lower: number;
  upper: number;
  spareRateBps: number;
};

export const batchDefectInvestigations = pgTable(
  'batch_defect_investigations',
  {
    id: id(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    lots: text('lots').array().notNull(),
    state: text('state', { enum: investigationStates }).notNull(),
    origin: text('origin', { enum: investigationOrigins }).notNull(),
    signal: jsonb('signal').$type<StoredLotSignal[]>(),
    rootCause: text('root_cause', { enum: rootCauses }),
    findings: text('findings'),
    openedBy: text('opened_by').notNull(),
    /** The store's calendar day the batch defect was confirmed. */
    confirmedOn: date('confirmed_on', { mode: 'string' }),
    /**
     * What confirming it set the remake's costs at: per remade unit and per air shipment. A later
     * report on one of its lots joins the remake at these costs.
     */
    remakeUnitCostMinor: bigint('remake_unit_cost_minor', { mode: 'number' }),
    airFreightMinor: bigint('air_freight_minor', { mode: 'number' }),
    costCurrency: text('cost_currency'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('batch_defect_investigations_state_check', oneOf(t.state, investigationStates)),
    check('batch_defect_investigations_origin_check', oneOf(t.origin, investigationOrigins)),
    check(
      'batch_defect_investigations_root_cause_check',
      sql`${t.rootCause} is null or ${oneOf(t.rootCause, rootCauses)}`,
    ),
    check('batch_defect_investigations_lots_check', sql`cardinality(${t.lots}) > 0`),
    check(
      'batch_defect_investigations_confirmed_check',
      sql`(${t.confirmedOn} is null) = (${t.state} not in ('confirmed', 'closed'))`,
    ),
    check(
      'batch_defect_investigations_costs_check',
      sql`(${t.confirmedOn} is null) = (${t.costCurrency} is null) and (${t.costCurrency} is null) = (${t.remakeUnitCostMinor} is null) and (${t.costCurrency} is null) = (${t.airFreightMinor} is null)`,
    ),
    check('batch_defect_investigations_version_check', sql`${t.version} >= 1`),
    check('batch_defect_investigations_unit_cost_range_check', amountInRange(t.remakeUnitCostMinor)),
    check('batch_defect_investigations_air_freight_range_check', amountInRange(t.airFreightMinor)),
    index('batch_defect_investigations_product_state_idx').on(t.productId, t.state),
  ],
);

export const investigationEvidence = pgTable(
  'investigation_evidence',
  {
    id: id(),
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => batchDefectInvestigations.id),
    uploadId: uuid('upload_id')
      .notNull()
      .references(() => uploads.id),
    addedBy: text('added_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('investigation_evidence_upload_idx').on(t.investigationId, t.uploadId)],
);

export { shipmentStates, shippingModes };

/**
 * The shipment columns a remake order and a replacement shipment share (`domain/oem/shipment.ts`):
 * its state, how it travels, its carrier and waybill once it left, the days it left and arrived (the
 * store's calendar days), why it was called off, and the version a move is checked against.
 */
const shipmentColumns = () => ({
  state: text('state', { enum: shipmentStates }).notNull().default('planned'),
  shippingMode: text('shipping_mode', { enum: shippingModes }).notNull(),
  carrier: text('carrier'),
  /** The air waybill or the carrier's tracking number. */
  waybill: text('waybill'),
  shippedOn: date('shipped_on', { mode: 'string' }),
  deliveredOn: date('delivered_on', { mode: 'string' }),
  cancellationReason: text('cancellation_reason'),
  version: version(),
});

/** What the state says a shipment has recorded: a database check beside the domain's guards. */
function shipmentChecks(
  table: string,
  t: {
    state: PgColumn;
    shippingMode: PgColumn;
    carrier: PgColumn;
    waybill: PgColumn;
    shippedOn: PgColumn;
    deliveredOn: PgColumn;
    cancellationReason: PgColumn;
    version: PgColumn;
  },
) {
  return [
    check(`${table}_state_check`, oneOf(t.state, shipmentStates)),
    check(`${table}_shipping_mode_check`, oneOf(t.shippingMode, shippingModes)),
    check(
      `${table}_shipped_check`,
      sql`(${t.state} in ('shipped', 'delivered')) = (${t.shippedOn} is not null and ${t.carrier} is not null and ${t.waybill} is not null)`,
    ),
    check(
      `${table}_delivered_check`,
      sql`(${t.state} = 'delivered') = (${t.deliveredOn} is not null) and (${t.deliveredOn} is null or ${t.deliveredOn} >= ${t.shippedOn})`,
    ),
    check(
      `${table}_cancelled_check`,
      sql`(${t.state} = 'cancelled') = (${t.cancellationReason} is not null)`,
    ),
    check(`${table}_version_check`, sql`${t.version} >= 1`),
  ];
}

const openShipment = (state: PgColumn) => oneOf(state, openShipmentStates);

/**
 * New units the maker makes for a confirmed batch defect, for one client order and one lot, shipped
 * the way the policy says (by air). Their costs are entries of `maker_cost_entries`. A later report
 * joins the remake of its order and lot that has not left yet; once that one shipped, a new one is made.
 */
export const remakeOrders = pgTable(
  'remake_orders',
  {
    id: id(),
    remakeNumber: text('remake_number').notNull().unique(),
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => batchDefectInvestigations.id),
    /** The client's order whose defective units this remakes. */
    orderId: uuid('order_id')
      .notNull()
      .references(() => oemOrders.id),
    clientId: uuid('client_id')
      .notNull()
      .references(() => oemClients.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    lot: text('lot').notNull(),
    units: integer('units').notNull(),
    ...shipmentColumns(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('remake_orders_units_check', sql`${t.units} > 0`),
    check('remake_orders_units_range_check', unitsInRange(t.units)),
    ...shipmentChecks('remake_orders', t),
    // One remake still to leave per investigation, order and lot: the one later reports join.
    uniqueIndex('remake_orders_open_investigation_order_lot_idx')
      .on(t.investigationId, t.orderId, t.lot)
      .where(openShipment(t.state)),
    index('remake_orders_order_id_idx').on(t.orderId),
    index('remake_orders_client_id_idx').on(t.clientId),
  ],
);

export const defectReportSources = ['api', 'csv'] as const;

/** Units of an OEM order the client reports defective: a count, or the serials. */
export const oemDefectReports = pgTable(
  'oem_defect_reports',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => oemOrders.id),
    /** The order's client and product, copied: scope checks and lot rates read them without a join. */
    clientId: uuid('client_id')
      .notNull()
      .references(() => oemClients.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    lot: text('lot').notNull(),
    units: integer('units').notNull(),
    serials: text('serials')
      .array()
      .notNull()
      .default(sql`'{}'`),
    failureMode: text('failure_mode').notNull(),
    /** The calendar day the client reported it (store's time zone): the ledger's order and window. */
    reportedOn: date('reported_on', { mode: 'string' }).notNull(),
    reportedBy: text('reported_by').notNull(),
    source: text('source', { enum: defectReportSources }).notNull(),
    /**
     * Set when a confirmed batch-defect investigation took the units over: the remake covers them and
     * they never consume the order's spares.
     */
    remakeOrderId: uuid('remake_order_id').references(() => remakeOrders.id),
    /**
     * QA's review (`domain/oem/defect-review.ts`): units accepted as defective (only those beyond the
     * spares become excess the client may take a remedy for) and units rejected, with the reason the
     * client reads. Reports made before the review existed were migrated as accepted whole.
     */
    acceptedUnits: integer('accepted_units').notNull().default(0),
    rejectedUnits: integer('rejected_units').notNull().default(0),
    rejectionReason: text('rejection_reason'),
    /** What the last acceptance rested on: the evidence, or the returned units inspected. */
    reviewBasis: text('review_basis', { enum: reviewBases }),
    /** The return number QA gave the client to ship the units back against (RMA-2026-000123). */
    rmaNumber: text('rma_number').unique(),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'oem_defect_reports_review_check',
      sql`${t.acceptedUnits} >= 0 and ${t.rejectedUnits} >= 0 and ${t.acceptedUnits} + ${t.rejectedUnits} <= ${t.units}`,
    ),
    check(
      'oem_defect_reports_rejection_reason_check',
      sql`${t.rejectedUnits} = 0 or ${t.rejectionReason} is not null`,
    ),
    check('oem_defect_reports_review_basis_check', oneOf(t.reviewBasis, reviewBases)),
    // QA's queue: reports with units nobody decided on yet.
    index('oem_defect_reports_undecided_idx')
      .on(t.reportedOn)
      .where(sql`${t.acceptedUnits} + ${t.rejectedUnits} < ${t.units}`),
    check('oem_defect_reports_units_check', sql`${t.units} > 0`),
    check('oem_defect_reports_units_range_check', unitsInRange(t.units)),
    check(
      'oem_defect_reports_serials_check',
      sql`cardinality(${t.serials}) = 0 or cardinality(${t.serials}) = ${t.units}`,
    ),
    check('oem_defect_reports_source_check', oneOf(t.source, defectReportSources)),
    index('oem_defect_reports_order_idx').on(t.orderId, t.reportedOn),
    index('oem_defect_reports_product_lot_idx').on(t.productId, t.lot),
    index('oem_defect_reports_client_id_idx').on(t.clientId),
    index('oem_defect_reports_remake_order_id_idx').on(t.remakeOrderId),
  ],
);

/**
 * The lower bound of `wilsonInterval(defects, units)` (src/domain/oem/early-warning.ts) as PostgreSQL
 * computes it: the domain's operations in the same order on IEEE doubles, with a correctly rounded
 * square root and z written out as the same double, so the result is the same number to the last bit
 * (test/integration/lot-totals.test.ts checks it). It only ranks lots; the domain computes every rate
 * shown.
 */
function wilsonLowerSql(defects: SQL, units: SQL): SQL {
  const k = sql`(${defects})::float8`;
  const n = sql`(${units})::float8`;
  const z = sql.raw(`${String(Z95)}::float8`);
  const z2 = sql`(${z} * ${z})`;
  const p = sql`least(1::float8, ${k} / ${n})`;
  return sql`case when ${n} <= 0 then 0::float8 else greatest(0::float8, ((${p} + ${z2} / (2 * ${n})) - ${z} * sqrt((${p} * (1 - ${p})) / ${n} + ${z2} / (4 * ${n} * ${n}))) / (1 + ${z2} / ${n})) end`;
}

/**
 * Each lot's running totals: the units its orders shipped (and from how many order lines), the lowest
 * spare rate among those orders, and the units reported defective. Kept by triggers on `oem_orders` and
 * `oem_defect_reports` (migration 0015), so every writer — the app, the seed, the scale generator, a
 * restore — keeps it right; QA's lot rates read it instead of adding up every order and report, which
 * took 200 ms at a million purchases (bench/results/scale.md). The rates themselves are the domain's
 * (`lotRate`): only the sums live here. A row with no shipments holds defects reported against a lot no
 * order shipped; it is not a lot QA sees.
 */
export const oemLotTotals = pgTable(
  'oem_lot_totals',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    lot: text('lot').notNull(),
    unitsShipped: bigint('units_shipped', { mode: 'number' }).notNull().default(0),
    shipments: integer('shipments').notNull().default(0),
    spareRateBps: integer('spare_rate_bps'),
    defects: bigint('defects', { mode: 'number' }).notNull().default(0),
    /** The lower bound of the defect rate's 95 % interval, kept so that PostgreSQL ranks the lots. */
    lower: doublePrecision('lower')
      .notNull()
      .generatedAlwaysAs(wilsonLowerSql(sql.raw('"defects"'), sql.raw('"units_shipped"'))),
    flagged: boolean('flagged')
      .notNull()
      .generatedAlwaysAs(
        sql`"units_shipped" > 0 and ${wilsonLowerSql(sql.raw('"defects"'), sql.raw('"units_shipped"'))} > coalesce("spare_rate_bps", 0)::float8 / 10000`,
      ),
  },
  // No index on the rank: QA's list breaks ties by SKU, through a join, so PostgreSQL sorts the lots'
  // narrow rows (7,500 at a million purchases, about 10 ms) whatever index there is.
  (t) => [primaryKey({ columns: [t.productId, t.lot] })],
);

export const defectReportEvidence = pgTable(
  'defect_report_evidence',
  {
    id: id(),
    reportId: uuid('report_id')
      .notNull()
      .references(() => oemDefectReports.id),
    uploadId: uuid('upload_id')
      .notNull()
      .references(() => uploads.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('defect_report_evidence_upload_idx').on(t.reportId, t.uploadId)],
);

export const creditKinds = ['units', 'money'] as const;

/**
 * The client's choice for excess defects of an order (policy clause OEM 1): a replacement shipment,
 * or a credit on its next order in units or money. A credit is applied, whole, when the client's next
 * order that can take it is created.
 */
export const excessResolutions = pgTable(
  'excess_resolutions',
  {
    id: id(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => oemOrders.id),
    clientId: uuid('client_id')
      .notNull()
      .references(() => oemClients.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    remedy: text('remedy', { enum: excessRemedyCodes }).notNull(),
    units: integer('units').notNull(),
    creditKind: text('credit_kind', { enum: creditKinds }),
    creditAmountMinor: bigint('credit_amount_minor', { mode: 'number' }),
    creditCurrency: text('credit_currency'),
    appliedToOrderId: uuid('applied_to_order_id').references(() => oemOrders.id),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    chosenBy: text('chosen_by').notNull(),
    /** Lets a client retry its choice without choosing twice. */
    idempotencyKey: text('idempotency_key').unique(),
    createdAt: createdAt(),
  },
  (t) => [
    check('excess_resolutions_remedy_check', oneOf(t.remedy, excessRemedyCodes)),
    check('excess_resolutions_units_check', sql`${t.units} > 0`),
    check('excess_resolutions_units_range_check', unitsInRange(t.units)),
    check('excess_resolutions_credit_range_check', amountInRange(t.creditAmountMinor)),
    check(
      'excess_resolutions_shape_check',
      sql`(${t.remedy} = 'replacement_shipment' and ${t.creditKind} is null and ${t.creditAmountMinor} is null and ${t.creditCurrency} is null and ${t.appliedToOrderId} is null)
        or (${t.remedy} = 'next_order_credit' and ${t.creditKind} = 'units' and ${t.creditAmountMinor} is null and ${t.creditCurrency} is null)
        or (${t.remedy} = 'next_order_credit' and ${t.creditKind} = 'money' and ${t.creditAmountMinor} >= 0 and ${t.creditCurrency} is not null)`,
    ),
    check(
      'excess_resolutions_applied_check',
      sql`(${t.appliedToOrderId} is null) = (${t.appliedAt} is null) and ${t.appliedToOrderId} is distinct from ${t.orderId}`,
    ),
    index('excess_resolutions_order_id_idx').on(t.orderId),
    index('excess_resolutions_client_id_idx').on(t.clientId, t.createdAt),
    index('excess_resolutions_applied_to_order_id_idx').on(t.appliedToOrderId),
  ],
);

/**
 * New units shipped for the excess defects of an order, when the client chose that remedy (clause
 * OEM 1): made with the choice, one per `replacement_shipment` resolution, and moved by sales or
 * admins to delivery. The choice stays the client's record; the shipment is the maker's work on it.
 */
export const replacementShipments = pgTable(
  'replacement_shipments',
  {
    id: id(),
    shipmentNumber: text('shipment_number').notNull().unique(),
    resolutionId: uuid('resolution_id')
      .notNull()
      .unique()
      .references(() => excessResolutions.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => oemOrders.id),
    clientId: uuid('client_id')
      .notNull()
      .references(() => oemClients.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    units: integer('units').notNull(),
    ...shipmentColumns(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('replacement_shipments_units_check', sql`${t.units} > 0`),
    check('replacement_shipments_units_range_check', unitsInRange(t.units)),
    ...shipmentChecks('replacement_shipments', t),
    index('replacement_shipments_order_id_idx').on(t.orderId),
    index('replacement_shipments_client_id_idx').on(t.clientId, t.createdAt),
  ],
);

export const makerCostKinds = ['remake_units', 'air_freight', 'other'] as const;
export type MakerCostKind = (typeof makerCostKinds)[number];

/**
 * What batch defects cost the maker (policy clause OEM 2: "bear the total cost ourselves"), one entry
 * per cost, never edited: a correction is another entry. Keyed by client, product and lot for the
 * cost ledger's views.
 */
export const makerCostEntries = pgTable(
  'maker_cost_entries',
  {
    id: id(),
    kind: text('kind', { enum: makerCostKinds }).notNull(),
    remakeOrderId: uuid('remake_order_id')
      .notNull()
      .references(() => remakeOrders.id),
    investigationId: uuid('investigation_id')
      .notNull()
      .references(() => batchDefectInvestigations.id),
    clientId: uuid('client_id')
      .notNull()
      .references(() => oemClients.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    lot: text('lot').notNull(),
    units: integer('units'),
    amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    note: text('note'),
    /** The store's calendar day the cost was booked. */
    bookedOn: date('booked_on', { mode: 'string' }).notNull(),
    recordedBy: text('recorded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('maker_cost_entries_kind_check', oneOf(t.kind, makerCostKinds)),
    check('maker_cost_entries_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('maker_cost_entries_units_check', sql`${t.units} is null or ${t.units} > 0`),
    check('maker_cost_entries_units_range_check', unitsInRange(t.units)),
    check('maker_cost_entries_amount_range_check', amountInRange(t.amountMinor)),
    index('maker_cost_entries_scope_idx').on(t.clientId, t.productId, t.lot),
    index('maker_cost_entries_remake_order_id_idx').on(t.remakeOrderId),
  ],
);

export type PolicyVersionRow = typeof policyVersions.$inferSelect;
export type PolicyDraftRow = typeof policyDrafts.$inferSelect;
export type NewPolicyVersionRow = typeof policyVersions.$inferInsert;
export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
export type Unit = typeof units.$inferSelect;
export type NewUnit = typeof units.$inferInsert;
export type Dealer = typeof dealers.$inferSelect;
export type NewDealer = typeof dealers.$inferInsert;
export type ServiceCenter = typeof serviceCenters.$inferSelect;
export type NewServiceCenter = typeof serviceCenters.$inferInsert;
export const riskReviewStatuses = ['pending', 'approved', 'rejected'] as const;
export type RiskReviewStatus = (typeof riskReviewStatuses)[number];

/**
 * A claim, reimbursement or OEM credit that a fraud signal (domain/risk/signals.ts) stopped before it
 * paid out, waiting for a person: support for a customer's or dealer's, QA for an OEM client's. One per
 * object: once approved it pays out, once rejected it never does. The signals are kept as they were
 * raised, so the reviewer and a later audit see what the rule saw.
 */
export const riskReviews = pgTable(
  'risk_reviews',
  {
    id: id(),
    subjectKind: text('subject_kind', { enum: riskSubjectKinds }).notNull(),
    subjectId: uuid('subject_id').notNull(),
    /** The party the object belongs to, copied for the queue's columns and scope checks. */
    dealerId: uuid('dealer_id').references(() => dealers.id),
    endUserId: uuid('end_user_id').references(() => endUsers.id),
    oemClientId: uuid('oem_client_id').references(() => oemClients.id),
    signals: jsonb('signals').$type<RiskSignal[]>().notNull(),
    status: text('status', { enum: riskReviewStatuses }).notNull().default('pending'),
    /** The request that stopped here, for the audit trail ("user:…" or "guest"). */
    raisedBy: text('raised_by').notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    version: version(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('risk_reviews_subject_kind_check', oneOf(t.subjectKind, riskSubjectKinds)),
    check('risk_reviews_status_check', oneOf(t.status, riskReviewStatuses)),
    check(
      'risk_reviews_signals_check',
      sql`jsonb_typeof(${t.signals}) = 'array' and jsonb_array_length(${t.signals}) > 0`,
    ),
    check('risk_reviews_decided_check', sql`(${t.status} = 'pending') = (${t.decidedAt} is null)`),
    check('risk_reviews_reason_check', sql`${t.status} <> 'rejected' or ${t.reason} is not null`),
    check('risk_reviews_version_check', sql`${t.version} >= 1`),
    uniqueIndex('risk_reviews_subject_idx').on(t.subjectKind, t.subjectId),
    // The queue: what waits, oldest first.
    index('risk_reviews_status_created_idx').on(t.status, t.createdAt, t.id),
  ],
);

export type EndUser = typeof endUsers.$inferSelect;
export type NewEndUser = typeof endUsers.$inferInsert;
export type Purchase = typeof purchases.$inferSelect;
export type NewPurchase = typeof purchases.$inferInsert;
export type Claim = typeof claims.$inferSelect;
export type NewClaim = typeof claims.$inferInsert;
export type MaintenanceOrder = typeof maintenanceOrders.$inferSelect;
export type NewMaintenanceOrder = typeof maintenanceOrders.$inferInsert;
export type OemClient = typeof oemClients.$inferSelect;
export type NewOemClient = typeof oemClients.$inferInsert;
export type OemOrder = typeof oemOrders.$inferSelect;
export type NewOemOrder = typeof oemOrders.$inferInsert;
export type AuditEvent = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;
export type EventRow = typeof events.$inferSelect;
export type OutboxMessage = typeof outbox.$inferSelect;
export type User = typeof users.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type NewOutboxMessage = typeof outbox.$inferInsert;
export type GuestAccessToken = typeof guestAccessTokens.$inferSelect;
export type Upload = typeof uploads.$inferSelect;
export type MaintenanceOrderEvent = typeof maintenanceOrderEvents.$inferSelect;
export type DealerRemedy = typeof dealerRemedies.$inferSelect;
export type ReimbursementClaim = typeof reimbursementClaims.$inferSelect;
export type Quote = typeof quotes.$inferSelect;
export type BatchDefectInvestigation = typeof batchDefectInvestigations.$inferSelect;
export type RemakeOrder = typeof remakeOrders.$inferSelect;
export type ReplacementShipment = typeof replacementShipments.$inferSelect;
export type OemDefectReport = typeof oemDefectReports.$inferSelect;
export type ExcessResolution = typeof excessResolutions.$inferSelect;
export type MakerCostEntry = typeof makerCostEntries.$inferSelect;
export type RiskReview = typeof riskReviews.$inferSelect;
export type Part = typeof parts.$inferSelect;
export type MaintenanceOrderWork = typeof maintenanceOrderWork.$inferSelect;
export type MaintenanceOrderPart = typeof maintenanceOrderParts.$inferSelect;
