import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, outbox, quotes } from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import { buildTestApp, sentText, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { insertOrder } from '../support/maintenance.js';
import { pdfContents } from '../support/pdf-text.js';
import {
  claimOn,
  type DemoParties,
  demoParties,
  insertPurchase,
  TODAY,
} from '../support/service-fixtures.js';
import { demoSession, ORIGIN } from '../support/sessions.js';
import { submitClaim } from '../../src/app/claims/submit-claim.js';
import { TEST_MESSAGE_KEY, TEST_NOW } from '../support/app.js';

/*
 * The documents people file (issue 19 item 6): a quote and its invoice, and a mail-in order's return
 * label, as PDFs. Each test reads the PDF back (test/support/pdf-text.ts: zlib and the font's ToUnicode
 * map) and checks what a person would look for: the name, the numbers, the totals.
 */

type Role = 'sales' | 'customer' | 'technician' | 'dealer' | 'admin' | 'support';
type Quote = { id: string; version: number; invoiceNumber: string | null };

const cny = (amountMinor: number) => ({ amountMinor, currency: 'CNY' });
const lines = [
  { kind: 'part', description: 'Rectifier module 整流模块', quantity: 1, unitPrice: cny(15_000) },
  { kind: 'labour', description: 'Bench repair, per hour', quantity: 2, unitPrice: cny(8_000) },
];

describe.each(testDatabases())('documents on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let p: DemoParties;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: TODAY });
    for (const role of ['sales', 'customer', 'technician', 'dealer', 'admin', 'support'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    p = await demoParties(t.db.db);
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const post = (role: Role, url: string, payload: object) =>
    t.app.inject({ method: 'POST', url, headers: as(role), payload });
  const get = (role: Role, url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...as(role), ...headers } });

  /** A paid-service quote for end user `who` (0: Li Wei, the demo customer), moved as far as `until`. */
  const quoteFor = async (who: 0 | 3, until: 'draft' | 'invoiced'): Promise<Quote> => {
    const purchase = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(0),
      endUserId: p.endUser(who),
      daysAgo: 400,
    });
    const claimId = await claimOn(t.app, t.db.db, purchase, p.endUser(who));
    const created = await post('sales', `/api/v1/claims/${claimId}/quotes`, { lines });
    expect(created.statusCode, created.body).toBe(201);
    let quote = created.json<Quote>();
    if (until === 'draft') return quote;
    const sent = await post('sales', `/api/v1/quotes/${quote.id}/send`, { expectedVersion: 1 });
    expect(sent.statusCode, sent.body).toBe(200);
    const answered = await post('sales', `/api/v1/quotes/${quote.id}/phone-response`, {
      response: 'accept',
      expectedVersion: 2,
      note: 'Accepted on the phone',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    await post('sales', `/api/v1/quotes/${quote.id}/repaired`, { expectedVersion: 3 });
    const invoiced = await post('sales', `/api/v1/quotes/${quote.id}/invoice`, { expectedVersion: 4 });
    expect(invoiced.statusCode, invoiced.body).toBe(200);
    quote = invoiced.json<Quote>();
    return quote;
  };

  const expectPdf = (res: { statusCode: number; body: string; headers: Record<string, unknown> }) => {
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="[A-Za-z0-9-]+\.pdf"$/);
  };

  it('prints the invoice of an invoiced quote for its customer: name, number, lines, tax and totals', async () => {
    const quote = await quoteFor(0, 'invoiced');
    const res = await get('customer', `/api/v1/quotes/${quote.id}/invoice.pdf`);
    expectPdf(res);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${quote.invoiceNumber}.pdf"`);
    const pdf = pdfContents(res.rawPayload);
    expect(pdf.header).toMatch(/^%PDF-1\.\d/);
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain('Invoice');
    expect(pdf.text).toContain(quote.invoiceNumber);
    expect(pdf.text).toContain('Li Wei');
    expect(pdf.text).toContain('Halotek');
    // Chinese in an English document prints as itself (the CJK font), not as boxes.
    expect(pdf.text).toContain('Rectifier module 整流模块');
    // 13 % included by default: CNY 310.00 is 274.34 before tax and 35.66 of tax.
    expect(pdf.text).toContain('CNY 310.00');
    expect(pdf.text).toContain('CNY 274.34');
    expect(pdf.text).toContain('CNY 35.66');
    expect(pdf.text).toContain('Tax 13% (included in the prices)');
    expect(pdf.text).toContain('Payment due on receipt of this invoice');
    expect(pdf.text).not.toContain('\uFFFD');

    // In the reader's language: ?lang, else Accept-Language.
    const zh = pdfContents(
      (await get('customer', `/api/v1/quotes/${quote.id}/invoice.pdf?lang=zh`)).rawPayload,
    );
    expect(zh.text).toContain('发票');
    expect(zh.text).toContain('合计');
    expect(zh.text).toContain('CNY 310.00');
    const byHeader = await get('sales', `/api/v1/quotes/${quote.id}/invoice.pdf`, {
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
    });
    expectPdf(byHeader);
    expect(pdfContents(byHeader.rawPayload).text).toContain('开票日期');
  });

  it('refuses another customer’s invoice (404, as if it did not exist) and a dealer’s request (403)', async () => {
    const chenJie = await quoteFor(3, 'invoiced');
    const theirs = await get('customer', `/api/v1/quotes/${chenJie.id}/invoice.pdf`);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toMatchObject({ error: { code: 'QUOTE_NOT_FOUND' } });
    expect((await get('customer', `/api/v1/quotes/${chenJie.id}/quote.pdf`)).statusCode).toBe(404);
    // A quote of no maintenance order is sales' own: a center's engineer does not see it.
    expect((await get('technician', `/api/v1/quotes/${chenJie.id}/invoice.pdf`)).statusCode).toBe(404);
    const dealer = await get('dealer', `/api/v1/quotes/${chenJie.id}/invoice.pdf`);
    expect(dealer.statusCode).toBe(403);
    expect(dealer.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const nobody = await t.app.inject({ method: 'GET', url: `/api/v1/quotes/${chenJie.id}/invoice.pdf` });
    expect(nobody.statusCode).toBe(401);
    // Support reads every quote, so prints it.
    expectPdf(await get('support', `/api/v1/quotes/${chenJie.id}/invoice.pdf`));
  });

  it('has no invoice for a quote not invoiced (409 QUOTE_NOT_INVOICED), and prints the quote itself', async () => {
    const draft = await quoteFor(0, 'draft');
    const invoice = await get('customer', `/api/v1/quotes/${draft.id}/invoice.pdf`);
    expect(invoice.statusCode).toBe(409);
    expect(invoice.json()).toMatchObject({
      error: { code: 'QUOTE_NOT_INVOICED', details: { state: 'draft' } },
    });
    const res = await get('sales', `/api/v1/quotes/${draft.id}/quote.pdf?lang=en`);
    expectPdf(res);
    const pdf = pdfContents(res.rawPayload);
    expect(pdf.pages).toBe(1);
    expect(pdf.text).toContain('Quote');
    expect(pdf.text).toContain(draft.id);
    expect(pdf.text).toContain('Li Wei');
    expect(pdf.text).toContain('CNY 310.00');
    expect(pdf.text).toContain('Draft — not yet sent to the customer');
  });

  it('takes the tax from the admin’s setting; an invoice keeps the tax it was issued with', async () => {
    const issued = await quoteFor(0, 'invoiced');
    const draft = await quoteFor(0, 'draft');
    const settings = {
      maker: {
        name: { en: 'Halotek Electronics Co., Ltd.', zh: 'Halotek 电子有限公司' },
        address: { en: '1 Keji Road, Shenzhen', zh: '深圳市科技路1号' },
        phone: '+86 755 0000 0000',
        email: 'billing@halotek.example.com',
        taxId: '91440300MA5XXXXXXX',
      },
      tax: { rateBasisPoints: 600, pricesIncludeTax: false },
    };
    // Only an admin, and only what validates.
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: '/api/v1/settings/documents',
          headers: as('sales'),
          payload: settings,
        })
      ).statusCode,
    ).toBe(403);
    const tooHigh = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/documents',
      headers: as('admin'),
      payload: { ...settings, tax: { rateBasisPoints: 10_001, pricesIncludeTax: false } },
    });
    expect(tooHigh.statusCode).toBe(400);
    expect(tooHigh.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const fraction = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/documents',
      headers: as('admin'),
      payload: { ...settings, tax: { rateBasisPoints: 6.5, pricesIncludeTax: false } },
    });
    expect(fraction.statusCode).toBe(400);
    const saved = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/documents',
      headers: as('admin'),
      payload: settings,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await get('admin', '/api/v1/settings/documents')).json()).toEqual(settings);
    const [audit] = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'settings.documents_changed'));
    expect(audit?.data).toMatchObject({ before: { tax: { rateBasisPoints: 1300 } }, after: settings });

    // The quote now: 6 % added to CNY 310.00.
    const quote = pdfContents((await get('customer', `/api/v1/quotes/${draft.id}/quote.pdf`)).rawPayload);
    expect(quote.text).toContain('Halotek Electronics Co., Ltd.');
    expect(quote.text).toContain('91440300MA5XXXXXXX');
    expect(quote.text).toContain('Tax 6%');
    expect(quote.text).toContain('CNY 18.60');
    expect(quote.text).toContain('CNY 328.60');
    // The invoice issued before: still 13 % included, CNY 310.00.
    const invoice = pdfContents(
      (await get('customer', `/api/v1/quotes/${issued.id}/invoice.pdf`)).rawPayload,
    );
    expect(invoice.text).toContain('Tax 13% (included in the prices)');
    expect(invoice.text).toContain('CNY 35.66');
    expect(invoice.text).not.toContain('CNY 328.60');
    const [row] = await t.db.db.select().from(quotes).where(eq(quotes.id, issued.id));
    expect(row).toMatchObject({ invoiceTaxRateBasisPoints: 1300, invoicePricesIncludeTax: true });
  });

  it('prints a mail-in order’s return label: the center’s address and the number as a barcode', async () => {
    const purchase = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(0),
      endUserId: p.endUser(0),
      daysAgo: 100,
    });
    const claimId = await claimOn(t.app, t.db.db, purchase, p.endUser(0));
    const order = await insertOrder(t.db.db, {
      claimId,
      serviceCenterId: p.center(0),
      mode: 'mail_in',
      customerCity: 'Guangzhou',
    });
    const res = await get('customer', `/api/v1/maintenance-orders/${order.id}/return-label.pdf`);
    expectPdf(res);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="return-label-${order.maintenanceNumber}.pdf"`,
    );
    const label = pdfContents(res.rawPayload);
    expect(label.pages).toBe(1);
    expect(label.text).toContain(order.maintenanceNumber);
    expect(label.text).toContain('Halotek Shenzhen After-sales Service Center');
    expect(label.text).toContain('6008 Shennan Avenue');
    expect(label.text).toContain('Li Wei');
    expect(label.text).toContain('Guangzhou');
    // One image, the barcode: a wide strip.
    expect(label.images).toHaveLength(1);
    expect(label.images[0]?.width).toBeGreaterThan(2 * (label.images[0]?.height ?? 0));
    // The label's size: 4 × 6 inches.
    expect(res.rawPayload.toString('latin1')).toContain('/MediaBox [0 0 288 432]');

    const zh = pdfContents(
      (await get('technician', `/api/v1/maintenance-orders/${order.id}/return-label.pdf?lang=zh`)).rawPayload,
    );
    expect(zh.text).toContain('Halotek 深圳售后服务中心');
    expect(zh.text).toContain('收件人');

    // Another center's technician, another customer: as if it did not exist.
    const elsewhere = await insertOrder(t.db.db, {
      claimId: await claimOn(
        t.app,
        t.db.db,
        await insertPurchase(t.db.db, {
          productId: p.productId,
          dealerId: null,
          endUserId: p.endUser(3),
          daysAgo: 100,
        }),
        p.endUser(3),
      ),
      serviceCenterId: p.center(1),
      mode: 'mail_in',
    });
    for (const role of ['customer', 'technician'] as const) {
      const other = await get(role, `/api/v1/maintenance-orders/${elsewhere.id}/return-label.pdf`);
      expect(other.statusCode).toBe(404);
      expect(other.json()).toMatchObject({ error: { code: 'MAINTENANCE_ORDER_NOT_FOUND' } });
    }
    expect(
      (await get('sales', `/api/v1/maintenance-orders/${elsewhere.id}/return-label.pdf`)).statusCode,
    ).toBe(403);

    // A walk-in order has no label to print.
    const walkIn = await insertOrder(t.db.db, { claimId, serviceCenterId: p.center(0), mode: 'walk_in' });
    const refused = await get('customer', `/api/v1/maintenance-orders/${walkIn.id}/return-label.pdf`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'NOT_MAIL_IN' } });
  });

  it('gives a guest the label of the order their tracking link shows, naming nobody', async () => {
    const purchase = await insertPurchase(t.db.db, {
      productId: p.productId,
      dealerId: p.dealer(0),
      endUserId: p.endUser(3),
      daysAgo: 100,
    });
    const claim = await submitClaim(
      {
        db: t.db.db,
        policies: t.app.policies,
        storeTimeZone: 'Asia/Shanghai',
        now: () => TEST_NOW,
        publicUrl: new URL('http://localhost:3000'),
        messageKey: TEST_MESSAGE_KEY,
      },
      {
        purchaseId: purchase,
        endUserId: p.endUser(3),
        cause: 'quality',
        description: 'Dead',
        actor: 'system',
      },
    );
    const token = new URL(claim.trackingUrl ?? 'http://none').searchParams.get('token') ?? '';
    const byLink = (payload: object, lang = 'en') =>
      t.app.inject({ method: 'POST', url: `/api/v1/tracking/return-label.pdf?lang=${lang}`, payload });

    // No order yet: nothing to print.
    const none = await byLink({ token });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ error: { code: 'MAINTENANCE_ORDER_NOT_FOUND' } });

    const order = await insertOrder(t.db.db, {
      claimId: claim.id,
      serviceCenterId: p.center(2),
      mode: 'mail_in',
    });
    const res = await byLink({ token }, 'zh');
    expectPdf(res);
    const label = pdfContents(res.rawPayload);
    expect(label.text).toContain(order.maintenanceNumber);
    expect(label.text).toContain('Halotek 北京维修点');
    expect(label.text).toContain('您的姓名、地址和电话');
    // A forwarded link must not print who the customer is.
    expect(label.text).not.toContain('Chen Jie');
    expect(label.text).not.toContain('186 2830 4419');
    expect(label.images).toHaveLength(1);

    const madeUp = await byLink({ token: 'x'.repeat(43) });
    expect(madeUp.statusCode).toBe(404);
    expect(madeUp.json()).toMatchObject({ error: { code: 'GUEST_LINK_NOT_FOUND' } });
    const malformed = await byLink({ token: 'short' });
    expect(malformed.statusCode).toBe(400);
    // The message with the link went to the customer, not to anyone reading the outbox row.
    const [message] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'claim.received'));
    expect(message?.body).not.toContain(token);
    expect(sentText(message).length).toBeGreaterThan(0);
  });

  it('documents each document route as a PDF download in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
    }>();
    for (const [path, method] of [
      ['/api/v1/quotes/{id}/quote.pdf', 'get'],
      ['/api/v1/quotes/{id}/invoice.pdf', 'get'],
      ['/api/v1/maintenance-orders/{id}/return-label.pdf', 'get'],
      ['/api/v1/tracking/return-label.pdf', 'post'],
    ] as const) {
      const ok = doc.paths[path]?.[method]?.responses['200'];
      expect(Object.keys(ok?.content ?? {}), path).toEqual(['application/pdf']);
    }
  });

  it('refuses to print without its font (503 DOCUMENT_FONT_MISSING), never boxes', async () => {
    const draft = await quoteFor(0, 'draft');
    const noFont = await buildTestApp(t.db, { DOCUMENT_FONT_PATH: '/nonexistent/NotoSansCJK-Regular.ttc' });
    try {
      const res = await noFont.inject({
        method: 'GET',
        url: `/api/v1/quotes/${draft.id}/quote.pdf`,
        headers: as('sales'),
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toMatchObject({
        error: {
          code: 'DOCUMENT_FONT_MISSING',
          message: expect.stringContaining('fonts-noto-cjk') as string,
        },
      });
    } finally {
      await noFont.close();
    }
    // A face the collection does not have is refused the same way.
    const wrongFace = await buildTestApp(t.db, { DOCUMENT_FONT_NAME: 'NoSuchFace-Regular' });
    try {
      const res = await wrongFace.inject({
        method: 'GET',
        url: `/api/v1/quotes/${draft.id}/quote.pdf`,
        headers: as('sales'),
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'DOCUMENT_FONT_MISSING' } });
    } finally {
      await wrongFace.close();
    }
  });
});
