import { z } from 'zod';
import { parseCalendarInput, Temporal } from '../calendar.js';
import { contactKey } from '../contact.js';
import { MAX_AMOUNT_MINOR, minorDigits, type Money } from '../money.js';

/*
 * A sale as a dealer records it (one by one, or a row of a CSV import), checked before anything is
 * looked up: the same rules whichever way it arrives, so a CSV row is refused for the reasons a form
 * would be. What needs the database (does the SKU exist, is the serial already sold) is checked after.
 */

export type SaleInput = {
  serial?: string | undefined;
  sku?: string | undefined;
  purchaseDate: string;
  buyerName: string;
  buyerEmail?: string | undefined;
  buyerPhone?: string | undefined;
  /** What the buyer paid, when the dealer says (a refund never gives back more). */
  price?: Money | undefined;
};

/** A sale that passed: trimmed, its day a calendar date, at least one contact we can reach. */
export type Sale = {
  serial: string | undefined;
  sku: string | undefined;
  purchaseDate: string;
  buyerName: string;
  buyerEmail: string | undefined;
  buyerPhone: string | undefined;
  price?: Money | undefined;
};

export type SaleField =
  'serial' | 'sku' | 'purchaseDate' | 'buyerName' | 'buyerEmail' | 'buyerPhone' | 'price' | 'currency';

export type SaleProblemCode =
  | 'PRODUCT_REQUIRED'
  | 'INVALID_SERIAL'
  | 'INVALID_SKU'
  | 'INVALID_DATE'
  | 'PURCHASE_DATE_IN_FUTURE'
  | 'BUYER_NAME_REQUIRED'
  | 'BUYER_NAME_TOO_LONG'
  | 'INVALID_EMAIL'
  | 'INVALID_PHONE'
  | 'CONTACT_REQUIRED'
  | 'INVALID_PRICE'
  | 'CURRENCY_REQUIRED'
  | 'INVALID_CURRENCY';

export type SaleProblem = { field: SaleField; code: SaleProblemCode; message: string };

export const MAX_SERIAL_LENGTH = 64;
export const MAX_SKU_LENGTH = 64;
export const MAX_BUYER_NAME_LENGTH = 200;

/** Serials and SKUs are printed labels: letters, digits and a few separators, no spaces inside. */
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const PHONE = /^\+?[\d\s()./-]+$/;
const email = z.email().max(254);

const blankToUndefined = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** What was bought and when: the part of a sale a customer registering their own product gives too. */
export type SaleItem = Pick<Sale, 'serial' | 'sku' | 'purchaseDate'>;

/** Checks the product and the day against `today` (the store's calendar day). */
export function checkSaleItem(
  input: Pick<SaleInput, 'serial' | 'sku' | 'purchaseDate'>,
  context: { today: Temporal.PlainDate; timeZone: string },
): { ok: true; item: SaleItem } | { ok: false; problems: SaleProblem[] } {
  const problems: SaleProblem[] = [];
  const serial = blankToUndefined(input.serial);
  const sku = blankToUndefined(input.sku);

  if (serial === undefined && sku === undefined) {
    problems.push({
      field: 'sku',
      code: 'PRODUCT_REQUIRED',
      message: 'give the unit’s serial number, the product’s SKU, or both',
    });
  }
  if (serial !== undefined && (serial.length > MAX_SERIAL_LENGTH || !LABEL.test(serial))) {
    problems.push({
      field: 'serial',
      code: 'INVALID_SERIAL',
      message: `a serial number is up to ${MAX_SERIAL_LENGTH} letters, digits and . _ / -`,
    });
  }
  if (sku !== undefined && (sku.length > MAX_SKU_LENGTH || !LABEL.test(sku))) {
    problems.push({
      field: 'sku',
      code: 'INVALID_SKU',
      message: `a SKU is up to ${MAX_SKU_LENGTH} letters, digits and . _ / -`,
    });
  }

  let purchaseDate: string | undefined;
  const parsed = parseCalendarInput(input.purchaseDate.trim(), context.timeZone);
  if ('code' in parsed) {
    problems.push({ field: 'purchaseDate', code: 'INVALID_DATE', message: parsed.message });
  } else if (Temporal.PlainDate.compare(parsed, context.today) > 0) {
    problems.push({
      field: 'purchaseDate',
      code: 'PURCHASE_DATE_IN_FUTURE',
      message: `${parsed.toString()} is after today (${context.today.toString()})`,
    });
  } else {
    purchaseDate = parsed.toString();
  }
  if (problems.length > 0 || purchaseDate === undefined) return { ok: false, problems };
  return { ok: true, item: { serial, sku, purchaseDate } };
}

/** Checks who bought: a name and at least one contact that a guest's contact can later be matched to. */
export function checkBuyer(
  input: Pick<SaleInput, 'buyerName' | 'buyerEmail' | 'buyerPhone'>,
):
  | { ok: true; buyer: Pick<Sale, 'buyerName' | 'buyerEmail' | 'buyerPhone'> }
  | { ok: false; problems: SaleProblem[] } {
  const problems: SaleProblem[] = [];
  const buyerName = blankToUndefined(input.buyerName);
  const buyerEmail = blankToUndefined(input.buyerEmail);
  const buyerPhone = blankToUndefined(input.buyerPhone);
  if (buyerName === undefined) {
    problems.push({ field: 'buyerName', code: 'BUYER_NAME_REQUIRED', message: 'give the buyer’s name' });
  } else if (buyerName.length > MAX_BUYER_NAME_LENGTH) {
    problems.push({
      field: 'buyerName',
      code: 'BUYER_NAME_TOO_LONG',
      message: `the buyer’s name is at most ${MAX_BUYER_NAME_LENGTH} characters`,
    });
  }
  if (buyerEmail !== undefined && !email.safeParse(buyerEmail).success) {
    problems.push({
      field: 'buyerEmail',
      code: 'INVALID_EMAIL',
      message: `"${buyerEmail}" is not an e-mail address`,
    });
  }
  // A phone a guest's contact could never be matched against is as good as none: the customer could
  // not follow their claim with it.
  if (
    buyerPhone !== undefined &&
    (buyerPhone.length > 40 || !PHONE.test(buyerPhone) || contactKey(buyerPhone) === undefined)
  ) {
    problems.push({
      field: 'buyerPhone',
      code: 'INVALID_PHONE',
      message: `"${buyerPhone}" is not a phone number (at least 7 digits; spaces and + ( ) . / - allowed)`,
    });
  }
  if (buyerEmail === undefined && buyerPhone === undefined) {
    problems.push({
      field: 'buyerEmail',
      code: 'CONTACT_REQUIRED',
      message: 'give the buyer’s e-mail address or phone number, so they can be told about repairs',
    });
  }
  if (problems.length > 0 || buyerName === undefined) return { ok: false, problems };
  return { ok: true, buyer: { buyerName, buyerEmail, buyerPhone } };
}

/**
 * Checks one sale against `today` (the store's calendar day): every problem is reported, not only the
 * first, so a dealer fixes a CSV row in one go.
 */
export function checkSale(
  input: SaleInput,
  context: { today: Temporal.PlainDate; timeZone: string },
): { ok: true; sale: Sale } | { ok: false; problems: SaleProblem[] } {
  const item = checkSaleItem(input, context);
  const buyer = checkBuyer(input);
  if (!item.ok || !buyer.ok) {
    return {
      ok: false,
      problems: [...(item.ok ? [] : item.problems), ...(buyer.ok ? [] : buyer.problems)],
    };
  }
  return { ok: true, sale: { ...item.item, ...buyer.buyer, price: input.price } };
}

/**
 * The price cells of a CSV row: the amount as people write it ("2999.00", in the currency's units) and
 * its ISO 4217 currency. Both blank: no price. Kept exact: never through a floating-point number.
 */
export function checkPriceCells(
  priceText: string,
  currencyText: string,
): { ok: true; price: Money | undefined } | { ok: false; problems: SaleProblem[] } {
  const text = priceText.trim();
  const currency = currencyText.trim().toUpperCase();
  if (text === '' && currency === '') return { ok: true, price: undefined };
  if (!/^[A-Z]{3}$/.test(currency)) {
    return {
      ok: false,
      problems: [
        currency === ''
          ? { field: 'currency', code: 'CURRENCY_REQUIRED', message: 'give the price’s currency, e.g. CNY' }
          : {
              field: 'currency',
              code: 'INVALID_CURRENCY',
              message: `"${currencyText}" is not a currency code such as CNY`,
            },
      ],
    };
  }
  const digits = minorDigits(currency);
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(text);
  const fraction = match?.[2] ?? '';
  if (!match || fraction.length > digits) {
    return {
      ok: false,
      problems: [
        {
          field: 'price',
          code: 'INVALID_PRICE',
          message: `"${priceText}" is not an amount in ${currency} (e.g. ${digits > 0 ? `2999.${'0'.repeat(digits)}` : '2999'})`,
        },
      ],
    };
  }
  const amountMinor = Number(
    BigInt(match[1] ?? '0') * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0'),
  );
  if (amountMinor > MAX_AMOUNT_MINOR) {
    return {
      ok: false,
      problems: [
        { field: 'price', code: 'INVALID_PRICE', message: `${text} ${currency} is past the largest amount` },
      ],
    };
  }
  return { ok: true, price: { amountMinor, currency } };
}

/** The columns of a dealer's CSV import of sales, in the order the template has them. */
export const SALE_CSV_COLUMNS = [
  'serial',
  'sku',
  'purchase_date',
  'buyer_name',
  'buyer_email',
  'buyer_phone',
] as const;
/** Columns a file may add: the price paid ("2999.00") and its currency. Files without them still import. */
export const SALE_CSV_OPTIONAL_COLUMNS = ['price', 'currency'] as const;
export type SaleCsvColumn = (typeof SALE_CSV_COLUMNS)[number] | (typeof SALE_CSV_OPTIONAL_COLUMNS)[number];

/** The column of the CSV each field of a sale comes from, to point a dealer at the cell to fix. */
export const csvColumnOfField: Record<SaleField, SaleCsvColumn> = {
  serial: 'serial',
  sku: 'sku',
  purchaseDate: 'purchase_date',
  buyerName: 'buyer_name',
  buyerEmail: 'buyer_email',
  buyerPhone: 'buyer_phone',
  price: 'price',
  currency: 'currency',
};

/** Rows per import: a month of a large dealer's sales, and one transaction that stays short. */
export const MAX_SALES_PER_IMPORT = 5000;
