import { z } from 'zod';
import { orderCommitmentStatuses } from '../../domain/maintenance/deadlines.js';
import { maintenanceModes, maintenanceStates } from '../../domain/maintenance/state-machine.js';
import { remedyCodes, windowCodes } from '../../domain/policy/schema.js';

/*
 * Browser-safe: the tracking page of the web app validates with these very schemas.
 */

export const trackByLinkRequestSchema = z
  .object({ token: z.string().min(20).max(128).describe('The token of the tracking link') })
  .strict();

export const trackByNumberRequestSchema = z
  .object({
    maintenanceNumber: z
      .string()
      .min(8)
      .max(20)
      .describe('As printed on the maintenance order, e.g. M-7K3Q-9XW2'),
    contact: z
      .string()
      .min(3)
      .max(254)
      .describe('The e-mail address or phone number the order was registered with'),
  })
  .strict();

const localizedName = z.object({ en: z.string(), zh: z.string() });

export const claimTrackingSchema = z
  .object({
    claim: z.object({
      reportedOn: z.iso.date(),
      status: z.string(),
      window: z.enum([...windowCodes, 'expired']),
      paid: z.boolean(),
      remedies: z.array(z.enum(remedyCodes)),
      chosenRemedy: z.enum(remedyCodes).nullable(),
      product: z.object({ sku: z.string(), name: localizedName }),
    }),
    maintenanceOrder: z
      .object({
        maintenanceNumber: z.string(),
        mode: z.enum(maintenanceModes),
        state: z.enum(maintenanceStates),
        receivedOn: z.iso.date().nullable(),
        dueOn: z.iso.date().nullable(),
        returnTracking: z.string().nullable(),
        serviceCenter: z.object({ name: localizedName, city: z.string(), phone: z.string() }),
        commitment: z.object({ status: z.enum(orderCommitmentStatuses), dueOn: z.iso.date().nullable() }),
        timeline: z.array(
          z.object({
            kind: z.enum(['move', 'contact']).describe('contact: the center spoke to the customer'),
            state: z.enum(maintenanceStates),
            on: z.iso.date(),
            note: z.string().nullable(),
          }),
        ),
      })
      .nullable(),
  })
  .meta({ id: 'ClaimTracking' });
export type ClaimTrackingResponse = z.infer<typeof claimTrackingSchema>;
