import { z } from 'zod';

/* Pure zod: the web app imports this module too. */

/**
 * The "mine" view of a list: `me`, `none` (nobody works it) or a user's id. A dealer, technician or
 * customer may ask only for `me`; the list stays within their scope whatever they ask.
 */
export const ownerQuerySchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/)
  .optional()
  .describe('me: what I work; none: what nobody works (staff); a user id: what that person works (staff)');

const reassign = z
  .boolean()
  .optional()
  .describe(
    'true: take it from whoever works it now. Without it, taking, assigning or releasing what someone else works answers 409 OWNED_BY_ANOTHER',
  );

export const takeRequestSchema = z.object({ reassign }).strict().meta({ id: 'TakeRequest' });
export const releaseRequestSchema = z.object({ reassign }).strict().meta({ id: 'ReleaseRequest' });
export const assignRequestSchema = z
  .object({ userId: z.string().min(1).max(64).describe('The colleague to give it to'), reassign })
  .strict()
  .meta({ id: 'AssignRequest' });

export const ownershipSchema = z
  .object({
    owner: z.object({ id: z.string(), name: z.string() }).nullable(),
    changed: z.boolean().describe('false: it was already so; nothing was written or audited'),
  })
  .meta({ id: 'Ownership' });
export type OwnershipResponse = z.infer<typeof ownershipSchema>;

export const eligibleOwnersSchema = z
  .array(z.object({ id: z.string(), name: z.string(), role: z.string() }))
  .meta({ id: 'EligibleOwners' });
export type EligibleOwnersResponse = z.infer<typeof eligibleOwnersSchema>;

const named = z.object({ sku: z.string(), name: z.object({ en: z.string(), zh: z.string() }) });

export const auditEventSchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({
      kind: z.enum(['user', 'system', 'guest', 'other']),
      id: z.string().nullable(),
      name: z.string().nullable(),
    }),
    action: z.string().describe('e.g. claim.owner_changed; the web app shows a label for each'),
    entityType: z.string(),
    data: z.record(z.string(), z.unknown()).nullable().describe('What changed: staff only'),
  })
  .meta({ id: 'AuditEvent' });

export const customerContextSchema = z
  .object({
    customer: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    purchases: z.array(
      z.object({
        id: z.string(),
        purchaseDate: z.iso.date(),
        product: named,
        serial: z.string().nullable(),
        dealerName: z.string().nullable(),
        dealerNameZh: z
          .string()
          .nullable()
          .describe('The dealer’s name in Chinese, where the maker gave one'),
        verification: z.string(),
      }),
    ),
    claims: z.array(
      z.object({
        id: z.string(),
        reportedOn: z.iso.date(),
        status: z.string(),
        purchaseId: z.string(),
        product: named,
      }),
    ),
    maintenanceOrders: z.array(
      z.object({
        id: z.string(),
        claimId: z.string(),
        maintenanceNumber: z.string(),
        state: z.string(),
        serviceCenter: z.object({ en: z.string(), zh: z.string() }),
      }),
    ),
    quotes: z.array(
      z.object({
        id: z.string(),
        claimId: z.string(),
        maintenanceOrderId: z.string().nullable(),
        state: z.string(),
        totalMinor: z.number().int(),
        currency: z.string(),
      }),
    ),
    history: z.array(auditEventSchema).describe('The object’s audit history, oldest first'),
  })
  .meta({ id: 'CustomerContext' });
export type CustomerContextResponse = z.infer<typeof customerContextSchema>;

const day = z.iso.date().describe('A calendar day in the store’s time zone');
const filterText = z.string().trim().min(1).max(100);

export const auditEventsQuerySchema = z
  .object({
    entityType: filterText.regex(/^[a-z_]+$/).optional(),
    entityId: filterText.optional(),
    actor: filterText.optional().describe('system, guest, user:<id> or a user id'),
    action: filterText.optional(),
    from: day.optional(),
    to: day.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .max(100)
      .optional()
      .describe('The nextCursor of the previous page; a cursor this list did not give is 400 INVALID_CURSOR'),
  })
  .strict();

export const auditEventPageSchema = z
  .object({
    items: z.array(auditEventSchema.extend({ entityId: z.string() })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'AuditEventPage' });
export type AuditEventPageResponse = z.infer<typeof auditEventPageSchema>;
