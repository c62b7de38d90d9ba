import { z } from 'zod';
import { maintenanceStates } from '../../domain/maintenance/state-machine.js';
import { verificationStates } from '../../domain/purchases/verification.js';
import { claimStatusValues } from '../claims/schemas.js';

/* Pure zod: the web app imports this module too. */

/** The search text's bounds once trimmed: two characters find something, a hundred is past any number. */
export const SEARCH_MIN = 2;
export const SEARCH_MAX = 100;

export const searchQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(SEARCH_MIN)
      .max(SEARCH_MAX)
      .describe(
        'Any part of a maintenance number, claim reference, invoice number, serial, or a customer’s or buyer’s name, e-mail or phone (digits: "138 0013" finds +86 138-0013-8000). % and _ are literal.',
      ),
  })
  .strict();

export const searchFieldValues = [
  'claimReference',
  'maintenanceNumber',
  'invoiceNumber',
  'serial',
  'customerName',
  'customerEmail',
  'customerPhone',
  'buyerName',
  'buyerEmail',
  'buyerPhone',
] as const;

const contact = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});
const product = z.object({ sku: z.string(), name: z.object({ en: z.string(), zh: z.string() }) });
const matched = z.array(z.enum(searchFieldValues)).describe('Where the text was found');

const claimHit = z.object({
  id: z.uuid(),
  status: z.enum(claimStatusValues),
  reportedOn: z.string(),
  product,
  serial: z.string().nullable(),
  maintenanceNumbers: z.array(z.string()),
  customer: contact,
  matched,
});
const maintenanceOrderHit = z.object({
  id: z.uuid(),
  claimId: z.uuid(),
  maintenanceNumber: z.string(),
  state: z.enum(maintenanceStates),
  serviceCenter: z.object({ id: z.uuid(), name: z.object({ en: z.string(), zh: z.string() }) }),
  product,
  serial: z.string().nullable(),
  customer: contact,
  matched,
});
const purchaseHit = z.object({
  id: z.uuid(),
  purchaseDate: z.string(),
  verification: z.enum(verificationStates),
  product,
  serial: z.string().nullable(),
  dealer: z
    .object({
      id: z.uuid(),
      name: z.string(),
      nameZh: z.string().nullable().describe('The name in Chinese, where the maker gave one'),
    })
    .nullable(),
  customer: contact,
  buyer: contact,
  matched,
});

const groupOf = <T extends z.ZodType>(hit: T) =>
  z
    .object({ items: z.array(hit), more: z.boolean().describe('More match than are shown') })
    .nullable()
    .describe('null: the caller’s role reads no objects of this kind');

export const searchResultsSchema = z
  .object({
    q: z.string(),
    claims: groupOf(claimHit),
    maintenanceOrders: groupOf(maintenanceOrderHit),
    purchases: groupOf(purchaseHit),
  })
  .meta({ id: 'SearchResults' });
export type SearchResultsBody = z.infer<typeof searchResultsSchema>;
