import { randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { submitClaim } from '../../src/app/claims/submit-claim.js';
import type { Database } from '../../src/db/client.js';
import {
  instanceSettings,
  approvals,
  dealerRemedies,
  dealers,
  endUsers,
  maintenanceOrders,
  type MaintenanceState,
  oemClients,
  products,
  purchases,
  quotes,
  reimbursementClaims,
  serviceCenters,
  units,
} from '../../src/db/schema.js';
import { DEMO_DEALERS, DEMO_END_USERS, DEMO_SERVICE_CENTERS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import { maintenanceNumberFor } from '../../src/domain/maintenance/maintenance-number.js';
import type { Cause } from '../../src/domain/policy/evaluate.js';
import { TEST_MESSAGE_KEY, TEST_NOW } from './app.js';

/*
 * Claims, maintenance orders, dealer remedies and quotes for tests, made without the APIs of the areas
 * that own them: a claim through submitClaim(), the rest as rows.
 */

export const TODAY = Temporal.PlainDate.from('2026-11-25');

export type DemoParties = {
  dealer: (index: 0 | 1 | 2) => string;
  endUser: (index: 0 | 1 | 2 | 3) => string;
  center: (index: 0 | 1 | 2 | 3) => string;
  productId: string;
};

export async function demoParties(db: Database): Promise<DemoParties> {
  const dealerRows = await db.select({ id: dealers.id, name: dealers.name }).from(dealers);
  const userRows = await db.select({ id: endUsers.id, name: endUsers.name }).from(endUsers);
  const centerRows = await db
    .select({ id: serviceCenters.id, nameEn: serviceCenters.nameEn })
    .from(serviceCenters);
  const [product] = await db.select({ id: products.id }).from(products).orderBy(asc(products.sku)).limit(1);
  const found = (id: string | undefined, what: string) => {
    if (!id) throw new Error(`the demo seed has ${what}`);
    return id;
  };
  return {
    dealer: (i) => found(dealerRows.find((d) => d.name === DEMO_DEALERS[i].name)?.id, `dealer ${i}`),
    endUser: (i) => found(userRows.find((u) => u.name === DEMO_END_USERS[i].name)?.id, `end user ${i}`),
    center: (i) =>
      found(centerRows.find((c) => c.nameEn === DEMO_SERVICE_CENTERS[i].nameEn)?.id, `center ${i}`),
    productId: found(product?.id, 'a product'),
  };
}

/** The price of a fixture sale unless a test says otherwise: the demo battery monitor's catalogue price. */
export const DEFAULT_SALE_PRICE = { amountMinor: 89_900, currency: 'CNY' };

/** A unit in the registry, in stock unless said otherwise: what a replacement hands over. */
export async function insertUnit(
  db: Database,
  input: { serial: string; productId: string; state?: 'in_stock' | 'sold' | 'replacement' | 'returned' },
): Promise<string> {
  const [row] = await db
    .insert(units)
    .values({
      serial: input.serial,
      productId: input.productId,
      lot: 'TEST-LOT',
      state: input.state ?? 'in_stock',
    })
    .returning({ id: units.id });
  if (!row) throw new Error('no unit');
  return row.id;
}

/** A sale made `daysAgo` days before TODAY (the store's calendar), by a dealer to a customer. */
export async function insertPurchase(
  db: Database,
  input: {
    productId: string;
    dealerId: string | null;
    endUserId: string;
    daysAgo: number;
    /** What the buyer paid; null: a sale recorded without its price. Default CNY 899.00. */
    price?: { amountMinor: number; currency: string } | null;
    unitId?: string | null;
  },
): Promise<string> {
  const price = input.price === undefined ? DEFAULT_SALE_PRICE : input.price;
  const [row] = await db
    .insert(purchases)
    .values({
      productId: input.productId,
      dealerId: input.dealerId,
      endUserId: input.endUserId,
      purchaseDate: TODAY.subtract({ days: input.daysAgo }).toString(),
      unitId: input.unitId ?? null,
      priceMinor: price?.amountMinor ?? null,
      currency: price?.currency ?? null,
    })
    .returning({ id: purchases.id });
  if (!row) throw new Error('no purchase');
  return row.id;
}

/** A claim reported today on a purchase, decided by the policy like any other. */
export async function claimOn(
  app: FastifyInstance,
  db: Database,
  purchaseId: string,
  endUserId: string,
  cause: Cause = 'quality',
): Promise<string> {
  const claim = await submitClaim(
    {
      db,
      policies: app.policies,
      storeTimeZone: 'Asia/Shanghai',
      now: () => TEST_NOW,
      publicUrl: new URL('http://localhost:3000'),
      messageKey: TEST_MESSAGE_KEY,
    },
    { purchaseId, endUserId, cause, description: 'Stopped working', actor: 'system' },
  );
  return claim.id;
}

let nextNumber = 900_000n;

/** A maintenance order of a claim at a center, in the state a test needs (as if moved there). */
export async function insertMaintenanceOrder(
  db: Database,
  input: { claimId: string; serviceCenterId: string; state: MaintenanceState; mode?: 'walk_in' | 'mail_in' },
): Promise<{ id: string; maintenanceNumber: string }> {
  nextNumber += 1n;
  const received = input.state !== 'issued' && input.state !== 'awaitingParts';
  const [row] = await db
    .insert(maintenanceOrders)
    .values({
      claimId: input.claimId,
      maintenanceNumber: maintenanceNumberFor(nextNumber),
      serviceCenterId: input.serviceCenterId,
      mode: input.mode ?? 'walk_in',
      state: input.state,
      receivedOn: received ? TODAY.subtract({ days: 2 }).toString() : null,
      humanDamageFound: input.state === 'paidService',
    })
    .returning({ id: maintenanceOrders.id, maintenanceNumber: maintenanceOrders.maintenanceNumber });
  if (!row) throw new Error('no maintenance order');
  return row;
}

async function insertQuote(
  db: Database,
  claimId: string,
  maintenanceOrderId: string,
  invoiceNumber?: string,
): Promise<string> {
  const invoiced = invoiceNumber
    ? {
        state: 'invoiced' as const,
        invoiceNumber,
        invoicedAt: new Date(TEST_NOW.epochMilliseconds),
        invoiceTaxRateBasisPoints: 1300,
        invoicePricesIncludeTax: true,
      }
    : {};
  const [row] = await db
    .insert(quotes)
    .values({
      ...invoiced,
      claimId,
      maintenanceOrderId,
      lines: [
        {
          kind: 'labour',
          description: 'Bench test',
          quantityTenths: 10,
          unitPrice: { amountMinor: 5000, currency: 'CNY' },
        },
      ],
      totalMinor: 5000,
      currency: 'CNY',
      quotedBy: 'system',
    })
    .returning({ id: quotes.id });
  if (!row) throw new Error('no quote');
  return row.id;
}

async function insertReimbursement(db: Database, claimId: string, dealerId: string): Promise<string> {
  const [remedy] = await db
    .insert(dealerRemedies)
    .values({
      claimId,
      dealerId,
      kind: 'replacement',
      replacementSerial: `NEW-${claimId.slice(0, 8)}`,
      performedOn: TODAY.toString(),
      performedBy: 'system',
    })
    .returning({ id: dealerRemedies.id });
  const [row] = await db
    .insert(reimbursementClaims)
    .values({ dealerRemedyId: remedy?.id ?? '', dealerId, amountMinor: 10000, currency: 'CNY' })
    .returning({ id: reimbursementClaims.id });
  if (!row) throw new Error('no reimbursement claim');
  return row.id;
}

type ScopedFixture = { role: Role; own: string; other: string };

/**
 * For the access matrix: one claim, reimbursement claim and quote in the demo dealer's, technician's
 * and customer's scope (Li Wei's headset from Huaqiang, at the Shenzhen center), and one in none of
 * them (Zhang Min's, from Xinghe, at the Shanghai center).
 */
export async function endUserServiceMatrixFixtures(
  app: FastifyInstance,
  db: Database,
): Promise<[url: string, fixtures: ScopedFixture[]][]> {
  const p = await demoParties(db);
  const own = await insertPurchase(db, {
    productId: p.productId,
    dealerId: p.dealer(0),
    endUserId: p.endUser(0),
    daysAgo: 3,
  });
  const other = await insertPurchase(db, {
    productId: p.productId,
    dealerId: p.dealer(1),
    endUserId: p.endUser(1),
    daysAgo: 3,
  });
  const ownClaim = await claimOn(app, db, own, p.endUser(0), 'human_damage');
  const otherClaim = await claimOn(app, db, other, p.endUser(1), 'human_damage');
  const ownOrder = await insertMaintenanceOrder(db, {
    claimId: ownClaim,
    serviceCenterId: p.center(0),
    state: 'paidService',
  });
  const otherOrder = await insertMaintenanceOrder(db, {
    claimId: otherClaim,
    serviceCenterId: p.center(1),
    state: 'paidService',
  });
  const ownQuote = await insertQuote(db, ownClaim, ownOrder.id);
  const otherQuote = await insertQuote(db, otherClaim, otherOrder.id);
  // Documents (issue 19): an invoice exists only for an invoiced quote, a return label only for mail-in.
  const ownInvoiced = await insertQuote(db, ownClaim, ownOrder.id, `INV-2026-9${ownClaim.slice(0, 5)}`);
  const otherInvoiced = await insertQuote(
    db,
    otherClaim,
    otherOrder.id,
    `INV-2026-9${otherClaim.slice(0, 5)}`,
  );
  const mailIn = async (claimId: string, serviceCenterId: string) =>
    (await insertMaintenanceOrder(db, { claimId, serviceCenterId, state: 'issued', mode: 'mail_in' })).id;
  const ownMailIn = await mailIn(ownClaim, p.center(0));
  const otherMailIn = await mailIn(otherClaim, p.center(1));
  const ownReimbursement = await insertReimbursement(db, ownClaim, p.dealer(0));
  const otherReimbursement = await insertReimbursement(db, otherClaim, p.dealer(1));

  // Requests in the approvals room: a dealer sees its own; an OEM client its own client's.
  const [client] = await db.select({ id: oemClients.id }).from(oemClients).limit(1);
  const approval = async (owner: { dealerId?: string; oemClientId?: string }) => {
    const [row] = await db
      .insert(approvals)
      .values({
        kind: owner.oemClientId ? 'oem_credit' : 'dealer_refund',
        subjectType: owner.oemClientId ? 'excess_resolution' : 'dealer_remedy',
        subjectId: randomUUID(),
        amountMinor: 300_000,
        currency: 'CNY',
        reasons: ['above_threshold'],
        dealerId: owner.dealerId ?? null,
        oemClientId: owner.oemClientId ?? null,
        summary: 'access matrix',
        requestedByUserId: 'matrix-requester',
        requestedBy: 'user:matrix-requester',
      })
      .returning({ id: approvals.id });
    if (!row) throw new Error('no approval');
    return row.id;
  };
  const ownDealerApproval = await approval({ dealerId: p.dealer(0) });
  const otherDealerApproval = await approval({ dealerId: p.dealer(1) });
  const ownClientApproval = await approval({ oemClientId: client?.id ?? '' });

  const quote = (role: Role) => ({ role, own: ownQuote, other: otherQuote });
  return [
    ['/api/v1/claims/:id/dealer-remedy', [{ role: 'dealer', own: ownClaim, other: otherClaim }]],
    ['/api/v1/claims/:id/quotes', [{ role: 'technician', own: ownClaim, other: otherClaim }]],
    ['/api/v1/reimbursements/:id', [{ role: 'dealer', own: ownReimbursement, other: otherReimbursement }]],
    [
      '/api/v1/approvals/:id',
      [
        { role: 'dealer', own: ownDealerApproval, other: otherDealerApproval },
        { role: 'oem', own: ownClientApproval, other: ownDealerApproval },
      ],
    ],
    ['/api/v1/quotes/:id', [quote('technician'), quote('customer')]],
    ['/api/v1/quotes/:id/send', [quote('technician')]],
    ['/api/v1/quotes/:id/repaired', [quote('technician')]],
    ['/api/v1/quotes/:id/invoice', [quote('technician')]],
    ['/api/v1/quotes/:id/response', [quote('customer')]],
    ['/api/v1/quotes/:id/quote.pdf', [quote('technician'), quote('customer')]],
    [
      '/api/v1/quotes/:id/invoice.pdf',
      (['technician', 'customer'] as const).map((role) => ({ role, own: ownInvoiced, other: otherInvoiced })),
    ],
    [
      '/api/v1/maintenance-orders/:id/return-label.pdf',
      (['technician', 'customer'] as const).map((role) => ({ role, own: ownMailIn, other: otherMailIn })),
    ],
  ];
}

/**
 * The fraud signals' thresholds at their most lenient: for suites about something else that make
 * dozens of claims for one demo customer on one day, which the default rules would rightly hold for
 * review. The rules themselves are tested in risk-reviews.test.ts; duplicate serials and proofs still
 * hold (they have no threshold).
 */
export async function lenientRiskSettings(db: Database): Promise<void> {
  await db
    .insert(instanceSettings)
    .values({ key: 'risk.settings', value: JSON.stringify(LENIENT_RISK_SETTINGS) })
    .onConflictDoUpdate({
      target: instanceSettings.key,
      set: { value: JSON.stringify(LENIENT_RISK_SETTINGS) },
    });
}

export const LENIENT_RISK_SETTINGS = {
  maxClaimsPer12Months: 1000,
  lateRegistrationDays: 0,
  lateRegistrationRepeats: 100,
  outlierMinSample: 1_000_000,
  outlierFactorPercent: 10_000,
};
