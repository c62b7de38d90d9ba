import { and, count, eq, gte, lte, ne, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/client.js';
import { claims, dealerRemedies, products, purchases, uploads } from '../../db/schema.js';
import { calendarDateIn, Temporal } from '../../domain/calendar.js';
import {
  dealerRemedyOutlierSignal,
  duplicateProofSignal,
  duplicateSerialSignal,
  frequentClaimsSignal,
  lateRegistrationSignal,
  raisedSignals,
  type RateSample,
  type RiskSettings,
  type RiskSignal,
  twelveMonthsBefore,
} from '../../domain/risk/signals.js';

type Db = Database | Transaction;

export type ClaimSubject = {
  claimId: string;
  endUserId: string;
  dealerId: string | null;
  signals: RiskSignal[];
};

/**
 * A customer's own registration, as opposed to a sale its dealer recorded: the registration carries
 * the customer's proof of purchase. Only these can be registered after the fact, days before a claim.
 */
const registeredByCustomer = sql`${purchases.proofUploadId} is not null`;

/**
 * What the customer-side rules see of one claim, read at the moment it would pay out: the claim's
 * purchase shares its serial or its proof's bytes with other purchases; the customer's claims in the
 * 12 months up to it; the customer's claims on products registered days before. Counts only, through
 * the indexes on purchases(unit_id), uploads(sha256) and claims(end_user_id).
 */
export async function claimSignals(
  db: Db,
  claimId: string,
  settings: RiskSettings,
  storeTimeZone: string,
): Promise<ClaimSubject | undefined> {
  const [claim] = await db
    .select({
      id: claims.id,
      endUserId: claims.endUserId,
      reportedOn: claims.reportedOn,
      purchaseId: purchases.id,
      unitId: purchases.unitId,
      dealerId: purchases.dealerId,
      proofUploadId: purchases.proofUploadId,
      registeredAt: purchases.createdAt,
    })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .where(eq(claims.id, claimId))
    .limit(1);
  if (!claim) return undefined;

  const serialShared = claim.unitId
    ? ((
        await db
          .select({ n: count() })
          .from(purchases)
          .where(and(eq(purchases.unitId, claim.unitId), ne(purchases.id, claim.purchaseId)))
      )[0]?.n ?? 0)
    : 0;
  const proofShared = claim.proofUploadId
    ? ((
        await db
          .select({ n: count() })
          .from(purchases)
          .innerJoin(uploads, eq(uploads.id, purchases.proofUploadId))
          .where(
            and(
              ne(purchases.id, claim.purchaseId),
              eq(
                uploads.sha256,
                sql`(select ${uploads.sha256} from ${uploads} where ${uploads.id} = ${claim.proofUploadId})`,
              ),
            ),
          )
      )[0]?.n ?? 0)
    : 0;

  const on = Temporal.PlainDate.from(claim.reportedOn);
  const customerClaims = await db
    .select({
      id: claims.id,
      reportedOn: claims.reportedOn,
      registeredAt: sql<Date | null>`case when ${registeredByCustomer} then ${purchases.createdAt} end`,
    })
    .from(claims)
    .innerJoin(purchases, eq(purchases.id, claims.purchaseId))
    .where(
      and(
        eq(claims.endUserId, claim.endUserId),
        gte(claims.reportedOn, twelveMonthsBefore(on).toString()),
        lte(claims.reportedOn, claim.reportedOn),
      ),
    );
  const registeredOn = (at: Date | string) =>
    calendarDateIn(Temporal.Instant.fromEpochMilliseconds(new Date(at).getTime()), storeTimeZone);
  const lateCandidates = customerClaims
    .filter((c) => c.id !== claim.id && c.registeredAt !== null)
    .map((c) => ({
      registeredOn: registeredOn(c.registeredAt ?? ''),
      reportedOn: Temporal.PlainDate.from(c.reportedOn),
    }));
  const late =
    claim.proofUploadId !== null
      ? lateRegistrationSignal(
          { registeredOn: registeredOn(claim.registeredAt), reportedOn: on },
          lateCandidates,
          settings,
        )
      : null;

  return {
    claimId: claim.id,
    endUserId: claim.endUserId,
    dealerId: claim.dealerId,
    signals: raisedSignals([
      duplicateSerialSignal(serialShared),
      duplicateProofSignal(proofShared),
      frequentClaimsSignal(
        customerClaims.map((c) => Temporal.PlainDate.from(c.reportedOn)),
        on,
        settings,
      ),
      late,
    ]),
  };
}

/**
 * A dealer's refunds and replacements per sale of one product, against every other dealer's of the
 * same product: what a reimbursement for a remedy on that product is held for.
 */
export async function dealerRemedySignal(
  db: Db,
  dealerId: string,
  productId: string,
  settings: RiskSettings,
): Promise<RiskSignal | null> {
  const [row] = await db
    .select({
      sku: products.sku,
      dealerSales:
        sql<number>`(select count(*) from ${purchases} where ${purchases.productId} = ${productId} and ${purchases.dealerId} = ${dealerId})`.mapWith(
          Number,
        ),
      allSales:
        sql<number>`(select count(*) from ${purchases} where ${purchases.productId} = ${productId} and ${purchases.dealerId} is not null)`.mapWith(
          Number,
        ),
      dealerRemedies:
        sql<number>`(select count(*) from ${dealerRemedies} dr join ${claims} c on c.id = dr.claim_id join ${purchases} p on p.id = c.purchase_id where p.product_id = ${productId} and dr.dealer_id = ${dealerId})`.mapWith(
          Number,
        ),
      allRemedies:
        sql<number>`(select count(*) from ${dealerRemedies} dr join ${claims} c on c.id = dr.claim_id join ${purchases} p on p.id = c.purchase_id where p.product_id = ${productId})`.mapWith(
          Number,
        ),
    })
    .from(products)
    .where(eq(products.id, productId))
    .limit(1);
  if (!row) return null;
  const dealer: RateSample = { events: row.dealerRemedies, base: row.dealerSales };
  const peers: RateSample = {
    events: row.allRemedies - dealer.events,
    base: row.allSales - dealer.base,
  };
  return dealerRemedyOutlierSignal([{ productSku: row.sku, dealer, peers }], settings);
}
