import { z } from 'zod';
import { calendarLengthSchema, lastDayOf, parsePlainDate, Temporal } from '../calendar.js';

/** Every text a customer reads exists in both languages the support page is published in. */
export const localizedTextSchema = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const languages = ['en', 'zh'] as const;
export type Language = (typeof languages)[number];

export const isoDateSchema = z.string().refine((s) => !('code' in parsePlainDate(s)), {
  message: 'must be a calendar date YYYY-MM-DD',
});

/**
 * A clause of the published policy. `id` is stable across versions so decisions can be compared;
 * `label` is how the support page numbers it ("Terminal clients 1(A)").
 */
export const clauseSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_.]+$/),
    label: localizedTextSchema,
    text: localizedTextSchema,
  })
  .strict();
export type Clause = z.infer<typeof clauseSchema>;

export const remedyCodes = [
  'refund',
  'replacement',
  'service_center',
  'maintenance_order',
  'mail_in_repair',
  'paid_service',
] as const;
export type RemedyCode = (typeof remedyCodes)[number];

export const performers = ['dealer', 'service_center', 'sales'] as const;
export type Performer = (typeof performers)[number];

export const costBearers = ['maker', 'customer'] as const;
export type CostBearer = (typeof costBearers)[number];

export const remedyRuleSchema = z
  .object({
    code: z.enum(remedyCodes),
    performedBy: z.enum(performers),
    costBearer: z.enum(costBearers),
    clause: clauseSchema,
  })
  .strict();
export type RemedyRule = z.infer<typeof remedyRuleSchema>;

export const windowCodes = ['7_days', '60_days', '1_year'] as const;
export type WindowCode = (typeof windowCodes)[number];

export const endUserWindowSchema = z
  .object({
    code: z.enum(windowCodes),
    /** Reports at most this long after the purchase date (inclusive) fall in the window. */
    within: calendarLengthSchema,
    heading: clauseSchema,
    remedies: z.array(remedyRuleSchema).min(1),
  })
  .strict();
export type EndUserWindow = z.infer<typeof endUserWindowSchema>;

const paidRuleSchema = z
  .object({
    heading: clauseSchema,
    remedies: z.array(remedyRuleSchema).min(1),
  })
  .strict();

export const excessRemedyCodes = ['replacement_shipment', 'next_order_credit'] as const;
export type ExcessRemedyCode = (typeof excessRemedyCodes)[number];

export const rootCauses = ['production', 'electrical', 'other'] as const;
export type RootCause = (typeof rootCauses)[number];

/** Rates in basis points (1 bp = 0.01 %), so 0.3 % is 30: no floating point in the policy. */
const basisPoints = z.number().int().min(0).max(10_000);

export const oemPolicySchema = z
  .object({
    heading: localizedTextSchema,
    spares: clauseSchema,
    spareRateBps: z.object({ min: basisPoints, max: basisPoints }).strict(),
    defectWindow: calendarLengthSchema,
    excess: clauseSchema,
    excessRemedies: z
      .array(z.object({ code: z.enum(excessRemedyCodes), name: localizedTextSchema }).strict())
      .min(1),
    batchDefect: z
      .object({
        clause: clauseSchema,
        coveredRootCauses: z.array(z.enum(rootCauses)).min(1),
        shipping: z.enum(['air', 'sea', 'road']),
        costBearer: z.literal('maker'),
      })
      .strict(),
  })
  .strict()
  .refine((o) => o.spareRateBps.min <= o.spareRateBps.max, 'spare rate minimum must not exceed maximum');
export type OemPolicy = z.infer<typeof oemPolicySchema>;

/** Any fixed day serves to compare calendar lengths of different units. */
const REFERENCE_DAY = Temporal.PlainDate.from('2001-03-01');

export const policyVersionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    effectiveFrom: isoDateSchema,
    maker: z.string().min(1),
    /** Time zone of the maker's stores: a calendar day of the warranty is a day there. */
    storeTimeZone: z.string().min(1),
    title: localizedTextSchema,
    intro: localizedTextSchema,
    endUser: z
      .object({
        heading: localizedTextSchema,
        intro: localizedTextSchema,
        windows: z.array(endUserWindowSchema).min(1),
        outOfWarranty: paidRuleSchema,
        humanDamage: paidRuleSchema,
      })
      .strict(),
    /** Default committed after-sales service period; a service center may commit to fewer. */
    serviceCommitmentDays: z.number().int().min(1).max(365),
    oem: oemPolicySchema,
  })
  .strict()
  .superRefine((p, ctx) => {
    // zod runs this even when a length was already refused as too big (that issue does not abort), and a
    // calendar cannot add 2^31 years: compare the windows only when every length is within its range.
    if (!p.endUser.windows.every((w) => calendarLengthSchema.safeParse(w.within).success)) return;
    const ends = p.endUser.windows.map((w) => lastDayOf(REFERENCE_DAY, w.within));
    for (let i = 1; i < ends.length; i++) {
      const prev = ends[i - 1];
      const cur = ends[i];
      if (prev && cur && Temporal.PlainDate.compare(prev, cur) >= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['endUser', 'windows', i, 'within'],
          message: 'windows must be listed from shortest to longest',
        });
      }
    }
    const codes = p.endUser.windows.map((w) => w.code);
    if (new Set(codes).size !== codes.length) {
      ctx.addIssue({ code: 'custom', path: ['endUser', 'windows'], message: 'window codes must be unique' });
    }
  });
export type PolicyVersion = z.infer<typeof policyVersionSchema>;
