import { describe, expect, it } from 'vitest';
import { Temporal } from '../calendar.js';
import { checkSale, type SaleInput } from './sale.js';

const context = { today: Temporal.PlainDate.from('2026-11-25'), timeZone: 'Asia/Shanghai' };
const sale = (extra: Partial<SaleInput> = {}): SaleInput => ({
  sku: 'HS-200',
  purchaseDate: '2026-11-20',
  buyerName: 'Li Wei',
  buyerEmail: 'li.wei@example.com',
  ...extra,
});
const codes = (input: SaleInput) => {
  const result = checkSale(input, context);
  return result.ok ? [] : result.problems.map((p) => `${p.field}:${p.code}`);
};

describe('checking a sale before it is recorded', () => {
  it('accepts a serial, an SKU or both, trimmed, with blank cells as absent', () => {
    const result = checkSale(
      sale({ serial: ' HS200-2406-001732 ', sku: '', buyerPhone: '  ', buyerName: ' Li Wei ' }),
      context,
    );
    expect(result).toEqual({
      ok: true,
      sale: {
        serial: 'HS200-2406-001732',
        sku: undefined,
        purchaseDate: '2026-11-20',
        buyerName: 'Li Wei',
        buyerEmail: 'li.wei@example.com',
        buyerPhone: undefined,
      },
    });
  });

  it('takes a date-time with an offset as the day it falls on in the store’s time zone', () => {
    const result = checkSale(sale({ purchaseDate: '2026-11-24T23:30:00Z' }), context);
    expect(result.ok && result.sale.purchaseDate).toBe('2026-11-25');
    expect(codes(sale({ purchaseDate: '2026-11-25T16:30:00Z' }))).toEqual([
      'purchaseDate:PURCHASE_DATE_IN_FUTURE',
    ]);
  });

  it('accepts today and refuses tomorrow and impossible days', () => {
    expect(codes(sale({ purchaseDate: '2026-11-25' }))).toEqual([]);
    expect(codes(sale({ purchaseDate: '2026-11-26' }))).toEqual(['purchaseDate:PURCHASE_DATE_IN_FUTURE']);
    expect(codes(sale({ purchaseDate: '2026-02-30' }))).toEqual(['purchaseDate:INVALID_DATE']);
    expect(codes(sale({ purchaseDate: '20/11/2026' }))).toEqual(['purchaseDate:INVALID_DATE']);
  });

  it('reports every problem of a row at once', () => {
    expect(
      codes({
        serial: 'has space',
        purchaseDate: 'soon',
        buyerName: '',
        buyerEmail: 'not-an-address',
        buyerPhone: '12',
      }),
    ).toEqual([
      'serial:INVALID_SERIAL',
      'purchaseDate:INVALID_DATE',
      'buyerName:BUYER_NAME_REQUIRED',
      'buyerEmail:INVALID_EMAIL',
      'buyerPhone:INVALID_PHONE',
    ]);
  });

  it('needs a product and a contact the customer can be reached at', () => {
    expect(codes(sale({ sku: undefined }))).toEqual(['sku:PRODUCT_REQUIRED']);
    expect(codes(sale({ buyerEmail: undefined }))).toEqual(['buyerEmail:CONTACT_REQUIRED']);
    expect(codes(sale({ buyerEmail: undefined, buyerPhone: '+86 138 0013 5521' }))).toEqual([]);
  });
});
