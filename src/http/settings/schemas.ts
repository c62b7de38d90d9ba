import { z } from 'zod';
import { MAX_AMOUNT_MINOR } from '../../domain/money.js';
import { riskSettingsSchema } from '../../domain/risk/signals.js';

/*
 * The instance's settings that decide when money waits for a person: the four-eyes thresholds and the
 * fraud signals' thresholds. Pure zod: the web app imports this module too.
 */

const currencyKey = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in capitals, e.g. CNY');

export const fourEyesSettingsSchema = z
  .object({
    thresholds: z
      .record(currencyKey, z.int().min(0).max(MAX_AMOUNT_MINOR))
      .describe(
        'Per currency, in minor units: a refund, reimbursement or credit above it needs a second person. A currency left out always does. Default { "CNY": 200000 } (CN¥2,000.00).',
      ),
  })
  .strict()
  .meta({ id: 'FourEyesSettings' });
export type FourEyesSettings = z.infer<typeof fourEyesSettingsSchema>;

export const riskSettingsBodySchema = riskSettingsSchema.meta({ id: 'RiskSettings' });
export type RiskSettingsBody = z.infer<typeof riskSettingsBodySchema>;
