import { z } from 'zod';
import { quoteStates } from '../../domain/paid-service/quote.js';
import { expectedVersionField, moneySchema } from '../money-fields.js';

/* Pure zod: the web app imports this module too. */

export const quoteLineSchema = z
  .object({
    kind: z.enum(['part', 'labour']),
    description: z.string().trim().min(1).max(500),
    quantity: z.int().min(1).max(100_000),
    unitPrice: moneySchema,
  })
  .strict()
  .meta({ id: 'QuoteLine' });

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
    lines: z.array(quoteLineSchema),
    total: moneySchema,
    quotedBy: z.string(),
    sentAt: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    declinedAt: z.string().nullable(),
    repairedAt: z.string().nullable(),
    invoiceNumber: z.string().nullable().describe('e.g. INV-2026-000123'),
    invoicedAt: z.string().nullable(),
    version: z.int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Quote' });
export type Quote = z.infer<typeof quoteSchema>;

export const listQuotesQuerySchema = z
  .object({ state: z.enum(quoteStates).optional(), claimId: z.uuid().optional() })
  .strict();

export const quoteVersionRequestSchema = z
  .object({ expectedVersion: expectedVersionField })
  .strict()
  .meta({ id: 'QuoteMoveRequest' });

export const quoteResponses = ['accept', 'decline'] as const;

export const quoteResponseRequestSchema = z
  .object({ response: z.enum(quoteResponses), expectedVersion: expectedVersionField })
  .strict()
  .meta({ id: 'QuoteResponseRequest' });

const tokenField = z.string().min(20).max(128).describe('The token of the link in the quote message');

export const quoteLinkRequestSchema = z.object({ token: tokenField }).strict();

export const guestQuoteResponseRequestSchema = z
  .object({ token: tokenField, response: z.enum(quoteResponses) })
  .strict()
  .meta({ id: 'GuestQuoteResponseRequest' });

export const guestQuoteSchema = z
  .object({
    state: z.enum(quoteStates),
    lines: z.array(quoteLineSchema),
    total: moneySchema,
    maintenanceNumber: z.string().nullable(),
    sentAt: z.string().nullable(),
    linkExpiresAt: z.string(),
    awaitingResponse: z.boolean().describe('Whether this link may still accept or decline'),
  })
  .meta({ id: 'GuestQuote' });
export type GuestQuote = z.infer<typeof guestQuoteSchema>;
