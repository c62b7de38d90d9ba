import { z } from 'zod';
import {
  MAX_QUOTE_QUANTITY,
  quantityTenths,
  quoteResponseChannels,
  quoteStates,
} from '../../domain/paid-service/quote.js';
import { quoteSorts } from '../../app/lists/sorts.js';
import { dateFilter, listFilterSchema, pageQueryShape } from '../list-query.js';
import { expectedVersionField, moneySchema, recordedMoneySchema } from '../money-fields.js';

/* Pure zod: the web app imports this module too. */

/** 1, 1.5, 0.5: above zero, at most one decimal (tenths), at most MAX_QUOTE_QUANTITY. */
export const quoteQuantityField = z
  .number()
  .gt(0)
  .max(MAX_QUOTE_QUANTITY)
  .superRefine((quantity, ctx) => {
    const tenths = quantityTenths(quantity);
    if (typeof tenths !== 'number') ctx.addIssue({ code: 'custom', message: tenths.message });
  })
  .describe(
    `Units or hours, in tenths: 1.5 hours of labour is 1.5; more decimals (1.55) are refused. Above 0, at most ${MAX_QUOTE_QUANTITY}.`,
  );

export const quoteLineSchema = z
  .object({
    kind: z.enum(['part', 'labour']),
    description: z.string().trim().min(1).max(500),
    quantity: quoteQuantityField,
    unitPrice: moneySchema,
  })
  .strict()
  .meta({ id: 'QuoteLine' });

/** A line as a quote shows it: its quantity (and in tenths, as stored) and its rounded total. */
export const quoteLineViewSchema = z
  .object({
    kind: z.enum(['part', 'labour']),
    description: z.string(),
    quantity: z.number().describe('e.g. 1.5'),
    quantityTenths: z.int().describe('The quantity in tenths, as stored: 15 for 1.5'),
    unitPrice: recordedMoneySchema,
    lineTotal: recordedMoneySchema.describe(
      'unit price × quantity, rounded half up to the minor unit; the total is the sum of these',
    ),
  })
  .meta({ id: 'QuoteLineView' });
export type QuoteLineView = z.infer<typeof quoteLineViewSchema>;

export const createQuoteRequestSchema = z
  .object({
    lines: z.array(quoteLineSchema).min(1).max(100).describe('All in one currency'),
    maintenanceOrderId: z
      .uuid()
      .optional()
      .describe('The order whose inspection found misuse; by default the claim’s latest order, if any'),
  })
  .strict()
  .meta({ id: 'CreateQuoteRequest' });
export type CreateQuoteRequest = z.infer<typeof createQuoteRequestSchema>;

export const quoteSchema = z
  .object({
    id: z.string(),
    claimId: z.string(),
    maintenanceOrderId: z.string().nullable(),
    maintenanceNumber: z.string().nullable(),
    state: z.enum(quoteStates),
    allowedMoves: z.array(z.enum(quoteStates)),
    lines: z.array(quoteLineViewSchema),
    total: moneySchema,
    quotedBy: z.string(),
    customer: z
      .object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable() })
      .describe('Whom to call about the quote'),
    sentAt: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    declinedAt: z.string().nullable(),
    response: z
      .object({
        channel: z.enum(quoteResponseChannels),
        takenBy: z.string().nullable().describe('Who took the customer’s answer by phone'),
        note: z.string().nullable(),
      })
      .nullable()
      .describe('How the customer’s answer came: signed in, by the link, or by phone to sales'),
    repairedAt: z.string().nullable(),
    invoiceNumber: z.string().nullable().describe('e.g. INV-2026-000123'),
    invoicedAt: z.string().nullable(),
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Quote' });
export type Quote = z.infer<typeof quoteSchema>;

export const quoteFilterSchema = listFilterSchema(
  quoteSorts,
  { sort: 'createdAt', order: 'desc' },
  {
    state: z.enum(quoteStates).optional(),
    toCall: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true: only quotes sent and not answered yet — the customers sales call'),
    claimId: z.uuid().optional(),
    serviceCenterId: z.uuid().optional().describe('The center of the maintenance order the quote prices'),
    from: dateFilter('Created on or after'),
    to: dateFilter('Created on or before'),
  },
);

export const listQuotesQuerySchema = quoteFilterSchema.extend(pageQueryShape).strict();
export const exportQuotesQuerySchema = quoteFilterSchema.strict();

export const quoteVersionRequestSchema = z
  .object({ expectedVersion: expectedVersionField })
  .strict()
  .meta({ id: 'QuoteMoveRequest' });

export const quoteResponses = ['accept', 'decline'] as const;

export const quoteResponseRequestSchema = z
  .object({ response: z.enum(quoteResponses), expectedVersion: expectedVersionField })
  .strict()
  .meta({ id: 'QuoteResponseRequest' });

export const phoneQuoteResponseRequestSchema = z
  .object({
    response: z.enum(quoteResponses),
    expectedVersion: expectedVersionField,
    note: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .describe('What the customer said, and the number they called from or were called on'),
  })
  .strict()
  .meta({ id: 'PhoneQuoteResponseRequest' });
export type PhoneQuoteResponseRequest = z.infer<typeof phoneQuoteResponseRequestSchema>;

const tokenField = z.string().min(20).max(128).describe('The token of the link in the quote message');

export const quoteLinkRequestSchema = z.object({ token: tokenField }).strict();

export const guestQuoteResponseRequestSchema = z
  .object({ token: tokenField, response: z.enum(quoteResponses) })
  .strict()
  .meta({ id: 'GuestQuoteResponseRequest' });

export const guestQuoteSchema = z
  .object({
    state: z.enum(quoteStates),
    lines: z.array(quoteLineViewSchema),
    total: moneySchema,
    maintenanceNumber: z.string().nullable(),
    sentAt: z.string().nullable(),
    linkExpiresAt: z.string(),
    awaitingResponse: z.boolean().describe('Whether this link may still accept or decline'),
  })
  .meta({ id: 'GuestQuote' });
export type GuestQuote = z.infer<typeof guestQuoteSchema>;
