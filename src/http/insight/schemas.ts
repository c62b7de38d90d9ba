import { z } from 'zod';

/*
 * Browser-safe: the dashboard (web/src/insight/service-levels) reads its answer with these types.
 */

export const serviceLevelQuerySchema = z
  .object({
    from: z.iso
      .date()
      .optional()
      .describe('First day of the period (YYYY-MM-DD); default: twelve weeks before `to`'),
    to: z.iso
      .date()
      .optional()
      .describe('Last day of the period (YYYY-MM-DD); default: today in the store’s time zone'),
    productId: z.uuid().optional(),
    serviceCenterId: z.uuid().optional(),
  })
  .strict();

const localizedName = z.object({ en: z.string(), zh: z.string() });
const days = z.number().int().nonnegative().nullable();

export const centerWeekSchema = z.object({
  centerId: z.uuid(),
  weekOf: z.iso.date().describe('The Monday of the ISO week'),
  received: z.number().int(),
  returned: z.number().int(),
  medianTurnaroundDays: days.describe('Business days from receipt to return (nearest-rank median)'),
  p90TurnaroundDays: days.describe('The 90th percentile of the same, by nearest rank'),
  returnedWithinCommitment: z.number().int(),
  shareWithinCommitment: z.number().min(0).max(1).nullable(),
  medianFirstContactDays: days,
  contacted: z.number().int(),
  misses: z.number().int(),
});

export const serviceLevelReportSchema = z
  .object({
    period: z.object({ from: z.iso.date(), to: z.iso.date(), asOf: z.iso.date() }),
    centers: z.array(
      z.object({
        id: z.uuid(),
        name: localizedName,
        city: z.string(),
        committedServiceDays: z.number().int(),
      }),
    ),
    products: z.array(z.object({ id: z.uuid(), sku: z.string(), name: localizedName })),
    weeks: z.array(centerWeekSchema),
    openByAge: z.array(
      z.object({
        centerId: z.uuid(),
        total: z.number().int(),
        '0-2': z.number().int(),
        '3-5': z.number().int(),
        '6-10': z.number().int(),
        '11+': z.number().int(),
      }),
    ),
    claimsByMonth: z.array(
      z.object({
        month: z.string().describe('YYYY-MM'),
        window: z.string(),
        remedy: z.string().nullable(),
        claims: z.number().int(),
      }),
    ),
    dealerRemedies: z.array(
      z.object({
        dealer: z.object({ id: z.uuid(), name: z.string() }),
        refunds: z.number().int(),
        replacements: z.number().int(),
        refunded: z.array(z.object({ amountMinor: z.number().int(), currency: z.string() })),
      }),
    ),
    ratings: z.object({
      byCenter: z.array(z.object({ centerId: z.uuid(), ratings: z.number().int(), average: z.number() })),
      byTechnician: z.array(
        z.object({
          technician: z.object({ id: z.string(), name: z.string() }),
          centerId: z.uuid().nullable(),
          ratings: z.number().int(),
          average: z.number(),
        }),
      ),
      byDealer: z.array(z.object({ dealerId: z.uuid(), ratings: z.number().int(), average: z.number() })),
    }),
  })
  .meta({ id: 'ServiceLevelReport' });
export type ServiceLevelReportBody = z.infer<typeof serviceLevelReportSchema>;
