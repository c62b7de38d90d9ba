import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  DEMO_ACCOUNTS,
  DEMO_DEALERS,
  DEMO_END_USERS,
  DEMO_PURCHASES,
  DEMO_REGISTRATION,
} from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import { screenshot } from '../support/browser.js';
import { useBrowserSuite } from '../support/browser-suite.js';
import { browserAvailable } from '../support/e2e.js';
import { testDatabases } from '../support/databases.js';

/*
 * The service desk in a real browser against the real server: the dealer's 5-day refund paid back
 * after support approves it, the paid repair of a unit beyond its warranty from quote to invoice, and
 * a CSV import refused row by row, then accepted. What belongs to the customer (reporting the problem,
 * accepting the quote) is done the way a customer would, through the API or the link in the message.
 */

function demo(role: Role): { name: string; email: string } {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

function purchase(window: (typeof DEMO_PURCHASES)[number]['expectedWindow']) {
  const found = DEMO_PURCHASES.find((p) => p.expectedWindow === window);
  if (!found) throw new Error(`no demo purchase in ${window}`);
  return found;
}

const [huaqiang, xinghe] = DEMO_DEALERS;

type Answer = { status: number; body: unknown };

/** A JSON request from the page, with its session cookie and its origin, as the app's own fetches. */
function api(page: Page, method: string, path: string, body?: unknown, key?: string): Promise<Answer> {
  return page.evaluate(
    async ({ method, path, body, key }) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (key) headers['idempotency-key'] = key;
      const res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
    },
    { method, path, body, key },
  );
}

/** A field of a JSON answer, which the test then reads as the API documents it. */
function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || !(name in value)) {
    throw new Error(`no ${name} in ${JSON.stringify(value)}`);
  }
  return (value as Record<string, unknown>)[name];
}

// The journeys are the proof of the service on both databases: each runs on every one at hand.
describe.skipIf(!browserAvailable()).each(testDatabases())(
  'service desk journeys on $name (Chromium)',
  (database) => {
    const { openPage, signedIn, goTo, settled, checkA11y, rowWith, server } = useBrowserSuite(database);

    it('a 3-day headset: the dealer refunds it, support approves the reimbursement, the dealer sees it approved', async () => {
      const headset = purchase('7_days');

      // Li Wei reports the fault and chooses the refund, as the customer's own screens do.
      const customer = await signedIn(demo('customer').email, '/');
      const purchases = await api(customer, 'GET', '/api/v1/purchases');
      const bought = (purchases.body as { items: { id: string; serial: string | null }[] }).items.find(
        (p) => p.serial === headset.serial,
      );
      if (!bought) throw new Error(`Li Wei has no purchase of ${headset.serial}`);
      const reported = await api(
        customer,
        'POST',
        '/api/v1/claims',
        { purchaseId: bought.id, cause: 'quality', description: 'The left earpiece is silent.' },
        'desk-e2e-refund-claim-1',
      );
      expect(reported.status).toBe(201);
      const claimId = field(reported.body, 'id') as string;
      const chosen = await api(customer, 'POST', `/api/v1/claims/${claimId}/remedy`, {
        remedy: 'refund',
        expectedVersion: field(reported.body, 'version') as number,
      });
      expect(chosen.status).toBe(200);

      // The dealer: its sales, then the claim, refunded at the counter.
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer/sales');
      const main = dealer.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Sales' }).waitFor();
      await rowWith(main, headset.serial).getByText('Li Wei').waitFor();
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-sales-en');

      await dealer
        .getByRole('navigation', { name: 'Dealer desk' })
        .getByRole('link', { name: 'Claims on my sales' })
        .click();
      await main.getByRole('heading', { level: 1, name: 'Claims on my sales' }).waitFor();
      const claimRow = rowWith(main, headset.serial);
      await claimRow.getByText('Remedy chosen').waitFor();
      // The headset's claim offers the refund the customer chose, and nothing else at the counter.
      expect(await claimRow.getByRole('button', { name: /^Replace/ }).count()).toBe(0);
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-claims-en');

      await claimRow.getByRole('button', { name: 'Refund HS-200 Wired Headset' }).click();
      const dialog = dealer.getByRole('dialog', { name: 'Refund: HS-200 Wired Headset' });
      await dialog.getByLabel('Serial number of the returned unit').waitFor();
      expect(await dialog.getByLabel('Serial number of the returned unit').inputValue()).toBe(headset.serial);
      await dialog.getByLabel(/^Amount refunded/).fill('199');
      await checkA11y(dealer);
      await dialog.getByRole('button', { name: 'Record the refund' }).click();
      await main
        .getByRole('status')
        .getByText('The claim is resolved. Your reimbursement claim for CN¥199.00 went to Halotek support.')
        .waitFor();
      await rowWith(main, headset.serial).getByText('Resolved').waitFor();

      // Support approves it.
      const support = await signedIn(demo('support').email, '/desk/support/reimbursements');
      const desk = support.getByRole('main');
      await desk.getByRole('heading', { level: 1, name: 'Reimbursements' }).waitFor();
      const pending = rowWith(desk, huaqiang.name);
      await pending.getByText('CN¥199.00').waitFor();
      await pending.getByText('Waiting for support').waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-reimbursements-en');
      // On a phone each claim is a card with its buttons; the filters stay in the address.
      await support.setViewportSize({ width: 390, height: 844 });
      await desk.getByRole('list', { name: 'Reimbursements' }).getByText('CN¥199.00').waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-reimbursements-phone-en');
      await support.setViewportSize({ width: 1280, height: 900 });

      await pending.getByRole('button', { name: `Approve the reimbursement for ${huaqiang.name}` }).click();
      const approve = support.getByRole('dialog', { name: `Approve the reimbursement for ${huaqiang.name}` });
      await approve.getByRole('button', { name: 'Approve' }).click();
      await desk.getByRole('status').getByText(`Approved: ${huaqiang.name} is told.`).waitFor();
      await desk.getByText('No reimbursement claims here.').waitFor();

      // In Chinese, the decided one among all of them.
      await support.getByRole('button', { name: '中文' }).click();
      await desk.getByRole('heading', { level: 1, name: '返款申请' }).waitFor();
      await desk.getByLabel('状态', { exact: true }).selectOption({ label: '全部' });
      // The dealer by the name the maker gave in Chinese (dealers.name_zh), on the Chinese screen.
      await rowWith(desk, huaqiang.nameZh).getByText('已批准').waitFor();
      expect(new URL(support.url()).searchParams.get('status')).toBe('all');
      // Filtered by the dealer and the currency, in the address; the export takes the same filters.
      await desk.getByLabel('经销商', { exact: true }).selectOption({ label: huaqiang.nameZh });
      await desk.getByLabel('币种', { exact: true }).selectOption('CNY');
      await support.waitForURL(/currency=CNY/);
      await rowWith(desk, huaqiang.nameZh).getByText('已批准').waitFor();
      const filtered = new URL(support.url()).searchParams;
      expect(filtered.get('currency')).toBe('CNY');
      const exportLink = desk.getByRole('link', { name: '导出 CSV' });
      // The link follows the filters as the page renders them.
      await expect.poll(() => exportLink.getAttribute('href')).toContain('currency=CNY');
      const exportHref = await exportLink.getAttribute('href');
      expect(exportHref).toMatch(/^\/api\/v1\/reimbursements\/export\.csv\?/);
      const exported = new URL(exportHref ?? '', 'http://x').searchParams;
      expect(exported.get('currency')).toBe('CNY');
      expect(exported.get('dealerId')).toBe(filtered.get('dealer'));
      expect(exported.has('status')).toBe(false);
      const csv = await support.evaluate(async (href) => (await fetch(href)).text(), exportHref ?? '');
      expect(csv).toContain(huaqiang.name);
      expect(csv).toContain('approved');
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-reimbursements-zh');
      await support.setViewportSize({ width: 390, height: 844 });
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-reimbursements-phone-zh');
      await support.setViewportSize({ width: 1280, height: 900 });

      // The dealer sees it approved.
      await goTo(dealer, '/desk/dealer/reimbursements');
      await main.getByRole('heading', { level: 1, name: 'Reimbursements' }).waitFor();
      const paidBack = main.getByRole('row').filter({ hasText: 'CN¥199.00' });
      await paidBack.getByText('Approved').waitFor();
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-reimbursements-en');

      // The sales page says the sale was refunded, in both languages.
      await goTo(dealer, '/desk/dealer/sales');
      await main.getByRole('heading', { level: 1, name: 'Sales' }).waitFor();
      await rowWith(main, headset.serial).getByText('Refunded', { exact: true }).waitFor();
      await dealer.getByRole('button', { name: '中文' }).click();
      await main.getByRole('heading', { level: 1, name: '销售记录' }).waitFor();
      await rowWith(main, headset.serial).getByText('已退款', { exact: true }).waitFor();
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-sales-zh');
    });

    it('four eyes: a DC power panel replaced from stock, its reimbursement approved by two people', async () => {
      const inStock = 'DCP22048-2403-000128';
      // Huaqiang sells a DC power panel at CN¥12,800.00 to Li Wei, who reports it faulty on day 0.
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer/claims');
      const sold = await api(
        dealer,
        'POST',
        '/api/v1/purchases',
        {
          serial: 'DCP22048-E2E-000901',
          sku: 'DCP-220-48',
          purchaseDate: new Date().toISOString().slice(0, 10),
          buyer: { name: 'Li Wei', email: DEMO_END_USERS[0].email },
          price: { amountMinor: 1_280_000, currency: 'CNY' },
        },
        'desk-e2e-four-eyes-sale',
      );
      expect(sold.status).toBe(201);
      const customer = await signedIn(demo('customer').email, '/');
      const reported = await api(
        customer,
        'POST',
        '/api/v1/claims',
        { purchaseId: field(sold.body, 'id') as string, cause: 'quality', description: 'No 48 V output.' },
        'desk-e2e-four-eyes-claim',
      );
      expect(reported.status).toBe(201);

      // At the counter: a unit of the wrong product is refused, the panel in stock is handed over.
      const main = dealer.getByRole('main');
      await goTo(dealer, '/desk/dealer/claims');
      const row = rowWith(main, 'DCP22048-E2E-000901');
      await row.getByRole('button', { name: /^Replace 220 V DC Power Panel/ }).click();
      const dialog = dealer.getByRole('dialog', { name: /^Replacement: 220 V DC Power Panel/ });
      await dialog.getByLabel('Serial number of the new unit').fill('HS200-2406-001734');
      await dialog.getByLabel(/^Amount asked back/).fill('5000');
      await dialog.getByRole('button', { name: 'Record the replacement' }).click();
      await dialog.getByText(/is a unit of HS-200/).waitFor();
      await dialog.getByLabel('Serial number of the new unit').fill(inStock);
      await dialog.getByRole('button', { name: 'Record the replacement' }).click();
      await main
        .getByRole('status')
        .getByText(/keeps the warranty of the purchase of/)
        .waitFor();
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-replacement-warranty-en');

      // Support approves once: above the CN¥2,000.00 limit it waits for a second person.
      const support = await signedIn(demo('support').email, '/desk/support/reimbursements');
      const desk = support.getByRole('main');
      const pending = rowWith(desk, 'CN¥5,000.00');
      await pending.getByRole('button', { name: `Approve the reimbursement for ${huaqiang.name}` }).click();
      await support
        .getByRole('dialog', { name: `Approve the reimbursement for ${huaqiang.name}` })
        .getByRole('button', { name: 'Approve' })
        .click();
      await desk
        .getByRole('status')
        .getByText('Approved once: it now waits for a second person under Approvals.')
        .waitFor();
      // In the approvals room the same agent may not decide it.
      await support.getByRole('link', { name: 'Approvals' }).click();
      await desk.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
      const mine = rowWith(desk, 'CN¥5,000.00');
      await mine.getByText('Your request: another person decides it.').waitFor();
      expect(await mine.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-approvals-own-en');

      // The admin is the second pair of eyes.
      const admin = await signedIn(demo('admin').email, '/desk/support/approvals');
      const room = admin.getByRole('main');
      const waiting = rowWith(room, 'CN¥5,000.00');
      await waiting.getByText('Above the four-eyes limit').waitFor();
      await settled(admin);
      await checkA11y(admin);
      await screenshot(admin, 'admin-approvals-en');
      await admin.setViewportSize({ width: 390, height: 844 });
      await settled(admin);
      await screenshot(admin, 'admin-approvals-phone-en');
      await admin.setViewportSize({ width: 1280, height: 900 });
      await waiting.getByRole('button', { name: /^Approve the Reimbursement to a dealer/ }).click();
      await admin
        .getByRole('dialog', { name: 'Approve as the second person' })
        .getByRole('button', { name: 'Approve' })
        .click();
      await room
        .getByRole('status')
        .getByText('Approved: it now counts, and the requester is told.')
        .waitFor();

      // In Chinese, the decided one; the dealer sees its reimbursement approved.
      await admin.getByRole('button', { name: '中文' }).click();
      await room.getByRole('heading', { level: 1, name: '审批' }).waitFor();
      await room.getByLabel('状态').selectOption({ label: '已批准' });
      // The amount as a Chinese reader sees it: ¥5,000.00.
      await room.getByRole('row').filter({ hasText: '5,000.00' }).getByText('已批准').first().waitFor();
      await settled(admin);
      await checkA11y(admin);
      await screenshot(admin, 'admin-approvals-zh');
      await admin.setViewportSize({ width: 390, height: 844 });
      await settled(admin);
      await screenshot(admin, 'admin-approvals-phone-zh');

      await goTo(dealer, '/desk/dealer/reimbursements');
      await main.getByRole('row').filter({ hasText: 'CN¥5,000.00' }).getByText('Approved').waitFor();
      await checkA11y(dealer);
    });

    it('a refund is not offered on the 30-day purchase of another dealer', async () => {
      const earbuds = purchase('60_days');

      // Support takes the report by phone: the 30-day purchase, sold by Hangzhou Xinghe.
      const support = await signedIn(demo('support').email, '/desk/support/claims');
      const all = await api(support, 'GET', `/api/v1/purchases?q=${encodeURIComponent(earbuds.serial)}`);
      const sale = (all.body as { items: { id: string; serial: string | null }[] }).items.find(
        (p) => p.serial === earbuds.serial,
      );
      if (!sale) throw new Error(`no purchase of ${earbuds.serial}`);
      const reported = await api(
        support,
        'POST',
        '/api/v1/claims',
        { purchaseId: sale.id, cause: 'quality', description: 'Pairing drops every few minutes.' },
        'desk-e2e-60-day-claim-1',
      );
      expect(reported.status).toBe(201);
      const claimId = field(reported.body, 'id') as string;

      // The claim and its decision, with its clauses, on the support desk.
      const main = support.getByRole('main');
      await goTo(support, `/desk/support/claims/${claimId}`);
      await main.getByRole('heading', { level: 1, name: 'Claim: BTH-500 Bluetooth Headset' }).waitFor();
      await main.getByText('Within 60 days of purchase', { exact: false }).first().waitFor();
      await checkA11y(support);

      // Shenzhen Huaqiang does not see it, and may not act on it.
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer/claims');
      const desk = dealer.getByRole('main');
      await desk.getByRole('heading', { level: 1, name: 'Claims on my sales' }).waitFor();
      await desk.getByRole('table').or(desk.getByText('No claims on your sales.')).waitFor();
      expect(await rowWith(desk, earbuds.serial).count()).toBe(0);
      const refused = await api(dealer, 'POST', `/api/v1/claims/${claimId}/dealer-remedy`, {
        kind: 'refund',
        refund: { amountMinor: 29900, currency: 'CNY' },
      });
      expect(refused.status).toBe(404);

      // Xinghe's own dealer: a replacement is offered on day 30, a refund is not.
      const admin = await signedIn(demo('admin').email, '/');
      const dealers = (await api(admin, 'GET', '/api/v1/dealers')).body as { id: string; name: string }[];
      const xingheId = dealers.find((d) => d.name === xinghe.name)?.id;
      const email = 'dealer@xinghe-electric.example.com';
      const invited = await api(admin, 'POST', '/api/v1/invitations', {
        email,
        role: 'dealer',
        dealerId: xingheId,
      });
      expect(invited.status).toBe(201);
      const message = await server().latestMessageTo(email);
      const token = /token=([\w-]+)/.exec(message?.body ?? '')?.[1];
      if (!token) throw new Error(`no invitation token in ${message?.body ?? 'no message'}`);
      const accepted = await api(await openPage('/'), 'POST', '/api/v1/invitations/accept', {
        token,
        name: 'Xu Xing (Xinghe)',
        password: 'xinghe-dealer-2026',
      });
      expect(accepted.status).toBeLessThan(300);
      const other = await signedIn(email, '/desk/dealer/claims', 'xinghe-dealer-2026');
      const theirs = other.getByRole('main');
      const row = rowWith(theirs, earbuds.serial);
      await row.getByRole('button', { name: 'Replace BTH-500 Bluetooth Headset' }).waitFor();
      expect(await row.getByRole('button', { name: /^Refund/ }).count()).toBe(0);
      const notOffered = await api(other, 'POST', `/api/v1/claims/${claimId}/dealer-remedy?lang=en`, {
        kind: 'refund',
        refund: { amountMinor: 29900, currency: 'CNY' },
      });
      expect(notOffered.status).toBe(409);
      const error = field(notOffered.body, 'error') as {
        code: string;
        message: string;
        details: { clause: string };
      };
      expect(error.code).toBe('REMEDY_NOT_OFFERED');
      // The refusal quotes the 60-day clause it was decided under.
      expect(error.details.clause).toMatch(/^Terminal clients 2: /);
      expect(error.message).toContain(error.details.clause);
      await checkA11y(other);
    });

    it('a charger beyond its warranty: quoted, sent, accepted by link, repaired and invoiced', async () => {
      const charger = purchase('expired');

      // Chen Jie reports it without an account, with the contact the sale was recorded with.
      const guest = await openPage('/');
      const reported = await api(
        guest,
        'POST',
        '/api/v1/claims/guest',
        {
          serial: charger.serial,
          contact: 'chen.jie@example.com',
          cause: 'quality',
          description: 'The charger module no longer charges the battery bank.',
        },
        'desk-e2e-guest-claim-1',
      );
      expect(reported.status).toBe(201);

      // Sales quotes it from the paid-service list.
      const sales = await signedIn(demo('sales').email, '/desk/sales/paid-service');
      const main = sales.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Paid service' }).waitFor();
      const row = rowWith(main, charger.serial);
      await row.getByText('Beyond the warranty period').waitFor();
      await checkA11y(sales);
      await row.getByRole('link', { name: 'Create a quote for 48 V 30 A Charger Module' }).click();

      await main.getByRole('heading', { level: 1, name: 'New quote' }).waitFor();
      await main.getByLabel('Description, line 1').fill('Rectifier board');
      await main.getByLabel('Unit price, line 1').fill('320');
      await main.getByLabel('Description, line 2').fill('Bench repair and load test');
      // Labour in tenths: 1.55 hours is refused in words, 1.5 would do; the journey quotes 2.
      await main.getByLabel('Quantity, line 2').fill('1.55');
      await main.getByText('At most one decimal: 1.5, not 1.55').waitFor();
      await main.getByLabel('Quantity, line 2').fill('0');
      await main.getByText('The quantity must be more than 0').waitFor();
      await main.getByLabel('Quantity, line 2').fill('2');
      await main.getByLabel('Unit price, line 2').fill('80.50');
      await main.getByRole('status').getByText('Total: CN¥481.00').waitFor();
      await checkA11y(sales);
      await screenshot(sales, 'sales-quote-en');
      await main.getByRole('button', { name: 'Save the draft' }).click();

      await main.getByRole('heading', { level: 1, name: 'Quote: 48 V 30 A Charger Module' }).waitFor();
      await main.getByText('Draft', { exact: true }).waitFor();
      await main.getByRole('button', { name: 'Send to the customer' }).click();
      await main.getByText('Sent: the customer has a link to accept or decline the quote.').waitFor();
      await main.getByText('Waiting for the customer to accept or decline.').waitFor();
      await checkA11y(sales);

      // Sales see whom to call about it: the quote waits for Chen Jie, with his phone.
      const quotePath = new URL(sales.url()).pathname;
      await goTo(sales, '/desk/sales/paid-service');
      const toCall = main.getByRole('region', { name: 'Quotes waiting for an answer: whom to call' });
      const waiting = rowWith(toCall, 'Chen Jie');
      await waiting.getByText('CN¥481.00').waitFor();
      expect(await waiting.getByRole('link', { name: 'Call Chen Jie' }).getAttribute('href')).toMatch(
        /^tel:/,
      );
      await checkA11y(sales);
      await screenshot(sales, 'sales-quotes-to-call-en');
      await sales.setViewportSize({ width: 390, height: 844 });
      await toCall
        .getByRole('list', { name: 'Quotes waiting for an answer: whom to call' })
        .getByText('Chen Jie', { exact: true })
        .waitFor();
      await settled(sales);
      // Nothing widens the page past the phone: the claims table scrolls inside its own box.
      expect(await sales.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await checkA11y(sales);
      await screenshot(sales, 'sales-quotes-to-call-phone-en');
      await sales.setViewportSize({ width: 1280, height: 900 });
      await goTo(sales, quotePath);
      await main.getByRole('heading', { level: 2, name: 'Answer given by phone' }).waitFor();

      // Chen Jie accepts through the link in the message, on his phone: the lines, their prices and the
      // total are on the screen before the button, and accepting asks once more, naming the total.
      const message = await server().latestMessageTo('chen.jie@example.com');
      const link = /(https?:\/\/\S*\/quote\?token=\S+)/.exec(message?.body ?? '')?.[1];
      if (!link) throw new Error(`no quote link in ${message?.body ?? 'no message'}`);
      const linkPath = new URL(link).pathname + new URL(link).search;
      const desktop = await openPage(linkPath);
      await desktop.getByRole('main').getByTestId('quote-total').getByText('CN¥481.00').waitFor();
      await checkA11y(desktop);
      await screenshot(desktop, 'quote-link-en');
      const chinese = await openPage(linkPath, 'zh-CN');
      await chinese.setViewportSize({ width: 390, height: 844 });
      await chinese.getByText('应付合计：¥481.00').waitFor();
      await checkA11y(chinese);
      await screenshot(chinese, 'quote-link-phone-zh');
      const customer = await openPage(linkPath);
      await customer.setViewportSize({ width: 390, height: 844 });
      const lines = customer.getByRole('list', { name: 'Quote lines' });
      for (const text of ['Rectifier board', 'CN¥320.00', 'Bench repair and load test', 'CN¥161.00']) {
        await lines.getByText(text, { exact: true }).waitFor();
      }
      await lines.getByText('Labour · 2 × CN¥80.50').waitFor();
      const total = customer.getByTestId('quote-total');
      const box = await total.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
      expect(await total.textContent()).toBe('CN¥481.00');
      await customer.getByText('Total to pay: CN¥481.00').waitFor();
      await checkA11y(customer);
      await screenshot(customer, 'quote-link-phone-en');
      await customer.getByRole('button', { name: 'Accept the quote' }).click();
      const confirm = customer.getByRole('dialog', { name: 'Accept this quote?' });
      await confirm.getByText('You agree to pay CN¥481.00 for this repair.', { exact: false }).waitFor();
      await checkA11y(customer);
      await screenshot(customer, 'quote-link-confirm-phone-en');
      // Cancel first: nothing is answered until the customer confirms.
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });
      await customer.getByRole('button', { name: 'Accept the quote' }).click();
      await confirm.getByRole('button', { name: 'Accept and pay CN¥481.00' }).click();
      await customer.getByText('Thank you: the center goes on with the repair.').waitFor();

      // Sales: repaired, then invoiced.
      await sales.reload();
      await main.getByText('Accepted', { exact: true }).waitFor();
      await main.getByRole('button', { name: 'Mark repaired' }).click();
      await main.getByText('Marked repaired: the work can be invoiced.').waitFor();
      await main.getByRole('button', { name: 'Invoice' }).click();
      const invoice = main.getByTestId('invoice-number');
      await invoice.waitFor();
      expect(await invoice.textContent()).toMatch(/^INV-\d{4}-\d{6}$/);
      expect(await main.getByRole('button', { name: 'Invoice' }).count()).toBe(0);
      await checkA11y(sales);

      await sales.getByRole('button', { name: '中文' }).click();
      await main.getByRole('heading', { level: 1, name: '报价：48V 30A 充电模块' }).waitFor();
      await main.getByText('已开票', { exact: true }).first().waitFor();
      // Printed in the reader's language: the invoice exists now, beside the quote.
      const printInvoice = main.getByRole('link', { name: '打印发票（PDF）' });
      expect(await printInvoice.getAttribute('href')).toMatch(
        /^\/api\/v1\/quotes\/[0-9a-f-]{36}\/invoice\.pdf\?lang=zh$/,
      );
      await main.getByRole('link', { name: '打印报价单（PDF）' }).waitFor();
      await settled(sales);
      await checkA11y(sales);
      await screenshot(sales, 'sales-quote-zh');

      // The quotes register, filtered in the address: the invoiced one, found by its customer's name.
      await goTo(sales, '/desk/sales/quotes?state=invoiced');
      await main.getByRole('heading', { level: 1, name: '报价' }).waitFor();
      await main.getByLabel('搜索', { exact: true }).fill('Chen Jie');
      await main.getByLabel('搜索', { exact: true }).press('Enter');
      const invoiced = rowWith(main, 'Chen Jie');
      await invoiced.getByText('已开票').waitFor();
      await invoiced.getByText(/^INV-\d{4}-\d{6}$/).waitFor();
      await settled(sales);
      await checkA11y(sales);
      await screenshot(sales, 'sales-quotes-zh');
      await sales.setViewportSize({ width: 390, height: 844 });
      await settled(sales);
      await checkA11y(sales);
      await screenshot(sales, 'sales-quotes-phone-zh');
    });

    it('support phones a customer who gave only a phone number, and records the call', async () => {
      // Zhang Min reports a fault as a guest, known by his phone number only: no e-mail can reach him.
      const zhangMin = purchase('60_days');
      const phone = DEMO_END_USERS[zhangMin.endUser].phone ?? '';
      expect(DEMO_END_USERS[zhangMin.endUser].email).toBeNull();
      const guest = await openPage('/');
      const reported = await api(guest, 'POST', '/api/v1/claims/guest', {
        serial: zhangMin.serial,
        contact: phone,
        cause: 'quality',
        description: 'The left earpiece crackles and cuts out.',
      });
      expect(reported.status).toBe(201);
      const claimId = field(reported.body, 'id') as string;

      const support = await signedIn(demo('support').email, '/desk/support/messages');
      const main = support.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
      // What needs someone comes first: the message to his phone, to be delivered by a call.
      const toCall = rowWith(main, phone).filter({ hasText: 'To call' }).first();
      await toCall.waitFor();
      await checkA11y(support);
      await screenshot(support, 'support-messages-en');
      await toCall.getByRole('button', { name: `Record the call to ${phone}` }).click();
      const dialog = support.getByRole('dialog', { name: `Call ${phone}` });
      await dialog.getByRole('button', { name: 'Record the call' }).click();
      await dialog.getByText('Say what the customer was told.').waitFor();
      await checkA11y(support);
      await dialog
        .getByLabel('What you told them')
        .fill('Told Mr Zhang the dealer replaces the headset; he goes on Saturday.');
      await dialog.getByRole('button', { name: 'Record the call' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await main.getByRole('status').getByText(`The call to ${phone} is recorded`).waitFor();

      // The claim shows what he was told and how: delivered, by the call just recorded.
      await goTo(support, `/desk/support/claims/${claimId}`);
      const messages = main.getByRole('region', { name: 'Messages about this claim' });
      await messages.getByText('Delivered').waitFor();
      await checkA11y(support);
      await screenshot(support, 'support-claim-messages-en');

      await goTo(support, '/desk/support/messages?status=all');
      await support.getByRole('button', { name: '中文' }).click();
      await main.getByRole('heading', { level: 1, name: '消息' }).waitFor();
      await main.getByRole('table').getByText('已送达').first().waitFor();
      await checkA11y(support);
      await screenshot(support, 'support-messages-zh');
    });

    it('a fourth claim in a year waits for review: the admin reads why, declines it, and the claim says so', async () => {
      // Wang Fang's DC power panel, 200 days old: support takes four reports of it by phone in a day.
      const panel = purchase('1_year');
      const support = await signedIn(demo('support').email, '/desk/support/claims');
      const found = await api(support, 'GET', `/api/v1/purchases?q=${encodeURIComponent(panel.serial)}`);
      const bought = (found.body as { items: { id: string; serial: string | null }[] }).items.find(
        (p) => p.serial === panel.serial,
      );
      if (!bought) throw new Error(`no purchase of ${panel.serial}`);
      let claimId = '';
      for (let i = 1; i <= 4; i++) {
        const reported = await api(support, 'POST', '/api/v1/claims', {
          purchaseId: bought.id,
          cause: 'quality',
          description: `The panel's rectifier trips again (call ${i}).`,
        });
        expect(reported.status, JSON.stringify(reported.body)).toBe(201);
        claimId = field(reported.body, 'id') as string;
      }
      // Issuing the free repair is where the money would move: it is held, and nothing is issued.
      const held = await api(support, 'POST', `/api/v1/claims/${claimId}/maintenance-order`, {
        mode: 'walk_in',
        location: { cityId: 'shenzhen' },
      });
      expect(held.status).toBe(409);
      expect(JSON.stringify(held.body)).toContain('RISK_REVIEW_PENDING');

      // Support pressed the button, so a colleague decides: the admin, in the support desk's queue.
      const admin = await signedIn(demo('admin').email, '/desk/support/reviews');
      const main = admin.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Fraud reviews' }).waitFor();
      const row = main.getByRole('row').filter({ hasText: '4 claims by this customer in the 12 months' });
      await row.waitFor();
      await checkA11y(admin);
      await screenshot(admin, 'support-reviews-en');
      await admin.setViewportSize({ width: 390, height: 844 });
      await screenshot(admin, 'support-reviews-phone-en');
      await admin.setViewportSize({ width: 1280, height: 900 });

      await row.getByRole('button', { name: 'Decline: Claim' }).click();
      const dialog = admin.getByRole('dialog', { name: 'Decline this Claim' });
      await dialog.getByRole('button', { name: 'Decline' }).click();
      await dialog.getByText('Say why it is declined.').waitFor();
      await checkA11y(admin);
      await dialog
        .getByLabel('Reason (required)')
        .fill('Four reports of one panel in a day; the center will call.');
      await dialog.getByRole('button', { name: 'Decline' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await main.getByRole('status').getByText('Declined. The party has been told why.').waitFor();

      // The claim now says it was declined, with the reason; paying out on it is refused for good.
      const claim = await api(admin, 'GET', `/api/v1/claims/${claimId}`);
      expect(field(claim.body, 'review')).toEqual({
        status: 'rejected',
        reason: 'Four reports of one panel in a day; the center will call.',
      });
      const again = await api(support, 'POST', `/api/v1/claims/${claimId}/maintenance-order`, {
        mode: 'walk_in',
        location: { cityId: 'shenzhen' },
      });
      expect(JSON.stringify(again.body)).toContain('RISK_REVIEW_REJECTED');

      // The thresholds, in Chinese: support reads them, only an admin changes them.
      await goTo(admin, '/desk/support/reviews?status=all');
      await admin.getByRole('button', { name: '中文' }).click();
      await main.getByRole('heading', { level: 1, name: '风险复核' }).waitFor();
      await main.getByText('报修次数多').first().waitFor();
      await checkA11y(admin);
      await screenshot(admin, 'support-reviews-zh');
      await goTo(admin, '/desk/support/risk-settings');
      await main.getByRole('heading', { level: 1, name: '风险规则' }).waitFor();
      // Beside them, for an admin, the four-eyes thresholds: a wrong amount is said in words, a right
      // one is stored in minor units.
      const cny = main.getByLabel('CNY 阈值');
      await cny.fill('20 00');
      await main.getByRole('button', { name: '保存双人审批阈值' }).click();
      await main.getByText('请输入金额，例如 2000 或 2000.50，不能为负数。').waitFor();
      await cny.fill('2000');
      await main.getByRole('button', { name: '保存双人审批阈值' }).click();
      await main.getByText('已保存。新的超额申请将等待第二人批准。').waitFor();
      expect((await api(admin, 'GET', '/api/v1/settings/four-eyes')).body).toEqual({
        thresholds: { CNY: 200000 },
      });
      // And the printed documents' tax: a rate with three decimals is refused in words; 6.5 % is 650.
      const rate = main.getByLabel('税率（%）');
      await rate.fill('6.555');
      await main.getByRole('button', { name: '保存文件设置' }).click();
      await main.getByText('请检查此项（税率为 0–100，最多两位小数）').waitFor();
      await rate.fill('6.5');
      await main.getByRole('button', { name: '保存文件设置' }).click();
      await main.getByText('文件设置已保存').waitFor();
      expect(field((await api(admin, 'GET', '/api/v1/settings/documents')).body, 'tax')).toEqual({
        rateBasisPoints: 650,
        pricesIncludeTax: true,
      });
      await checkA11y(admin);
      await screenshot(admin, 'risk-settings-zh');
    });

    it('a CSV import is refused with its rows to fix, then accepted whole', async () => {
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer/import');
      const main = dealer.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Import sales' }).waitFor();
      await main.getByText('serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone').first().waitFor();
      await checkA11y(dealer);

      const header = 'serial,sku,purchase_date,buyer_name,buyer_email,buyer_phone';
      const bad = [
        header,
        'HS200-2406-009101,HS-200,2026-01-10,,zhou.lan@example.com,',
        'HS200-2406-009102,HS-200,2999-01-01,Xu Ming,,+86 139 0000 1234',
        'HS200-2406-009103,HS-200,2026-01-12,Gao Yan,gao.yan@example.com,',
      ].join('\n');
      await main
        .getByLabel('CSV file')
        .setInputFiles({ name: 'march.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await main.getByRole('button', { name: 'Import' }).click();
      await main
        .getByRole('alert')
        .getByText('march.csv has 2 problems. Fix them and import the whole file again.')
        .waitFor();
      const report = main.getByRole('region', { name: 'Rows to fix' });
      await rowWith(report, '2').getByText('Buyer’s name missing').waitFor();
      await rowWith(report, '3').getByText('Purchase date in the future').waitFor();
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-import-rejected-en');

      const good = [
        header,
        'HS200-2406-009101,HS-200,2026-01-10,Zhou Lan,zhou.lan@example.com,',
        'HS200-2406-009102,HS-200,2026-01-11,Xu Ming,,+86 139 0000 1234',
        'HS200-2406-009103,HS-200,2026-01-12,Gao Yan,gao.yan@example.com,',
      ].join('\n');
      await main
        .getByLabel('CSV file')
        .setInputFiles({ name: 'march-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
      await main.getByRole('button', { name: 'Import' }).click();
      await main.getByRole('status').getByText('3 sales from march-fixed.csv were recorded.').waitFor();
      expect(await main.getByRole('region', { name: 'Rows to fix' }).count()).toBe(0);

      await main.getByRole('link', { name: 'See all sales' }).click();
      await main.getByRole('heading', { level: 1, name: 'Sales' }).waitFor();
      for (const serial of ['HS200-2406-009101', 'HS200-2406-009102', 'HS200-2406-009103']) {
        await rowWith(main, serial).waitFor();
      }
    });

    it('support checks a customer’s own registration: the proof beside the sale, then confirms it', async () => {
      const registration = DEMO_REGISTRATION;
      // The dealer it names sees it among its own, and may correct its date (not move it to another dealer).
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer/verifications');
      const counter = dealer.getByRole('main');
      await counter.getByRole('heading', { level: 1, name: 'Registrations to check' }).waitFor();
      const own = counter.getByRole('article', { name: `HS-200 Wired Headset · ${registration.serial}` });
      await own.getByText(registration.buyer.name).waitFor();
      await own.getByRole('button', { name: 'Correct and confirm' }).click();
      const correct = dealer.getByRole('dialog', {
        name: `Correct and confirm the registration of ${registration.serial}`,
      });
      await correct.getByLabel('Purchase date').waitFor();
      expect(await correct.getByLabel('Dealer').count()).toBe(0);
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-verification-correct-en');
      await correct.getByRole('button', { name: 'Cancel' }).click();

      const support = await signedIn(demo('support').email, '/desk/support/verifications');
      const main = support.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Registrations to check' }).waitFor();
      const card = main.getByRole('article', { name: `HS-200 Wired Headset · ${registration.serial}` });
      // The sale as the customer gave it…
      await card.getByText(registration.buyer.name).waitFor();
      await card.getByText(registration.buyer.email).waitFor();
      await card.getByText(huaqiang.name).waitFor();
      // …beside the proof, loaded and shown.
      const proof = card.getByRole('img', {
        name: `The proof of purchase the customer sent for ${registration.serial}`,
      });
      await proof.waitFor();
      await expect
        .poll(() => proof.evaluate((img) => (img as HTMLImageElement).naturalWidth))
        .toBeGreaterThan(100);
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-verifications-en');
      await support.setViewportSize({ width: 390, height: 844 });
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-verifications-phone-en');

      await support.getByRole('button', { name: '中文' }).click();
      await main.getByRole('heading', { level: 1, name: '待核实的产品登记' }).waitFor();
      await main
        .getByRole('article', { name: new RegExp(registration.serial) })
        .getByRole('button', { name: '确认', exact: true })
        .waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-verifications-phone-zh');
      await support.setViewportSize({ width: 1280, height: 900 });
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-verifications-zh');

      await support.getByRole('button', { name: 'English' }).click();
      await card.getByRole('button', { name: 'Confirm', exact: true }).click();
      const dialog = support.getByRole('dialog', {
        name: `Confirm the registration of ${registration.serial}`,
      });
      await checkA11y(support);
      await dialog.getByRole('button', { name: 'Confirm the purchase' }).click();
      await main.getByRole('status').getByText(`${registration.serial} is confirmed.`).waitFor();
      await main.getByText('No registrations are waiting for a check.').waitFor();
      const checked = await api(support, 'GET', '/api/v1/purchase-verifications?state=verified');
      expect(JSON.stringify(checked.body)).toContain(registration.serial);
    });

    it('support finds a claim by a fragment of the customer’s phone number, then by serial', async () => {
      // Zhang Min reports a fault as a guest, by his phone number: the claim support then looks for.
      const zhangMin = purchase('60_days');
      const phone = DEMO_END_USERS[zhangMin.endUser].phone ?? '';
      const guest = await openPage('/');
      const reported = await api(guest, 'POST', '/api/v1/claims/guest', {
        serial: zhangMin.serial,
        contact: phone,
        cause: 'quality',
        description: 'The charging case no longer charges the right earpiece.',
      });
      expect(reported.status).toBe(201);
      const claimId = field(reported.body, 'id') as string;
      const reference = claimId.slice(0, 8);

      // He reads out part of his number as people do: "1021 7784", from +86 139 1021 7784.
      const support = await signedIn(demo('support').email, '/desk/support/claims');
      const main = support.getByRole('main');
      const box = support
        .getByRole('banner')
        .getByRole('searchbox', { name: 'Search claims, orders and sales' });
      await box.fill('1021 7784');
      await box.press('Enter');
      await support.waitForURL(/\/search\?q=1021(\+|%20)7784$/);
      await main.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
      const claims = main.getByRole('region', { name: 'Claims' });
      const hit = claims.getByRole('listitem').filter({ hasText: reference });
      await hit.getByText('customer’s phone').first().waitFor();
      await expect.poll(() => hit.getByText(phone).count()).toBeGreaterThan(0);
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'search-phone-en');
      await support.setViewportSize({ width: 390, height: 844 });
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'search-phone-phone-en');

      await support.getByRole('button', { name: '中文' }).click();
      await main.getByRole('heading', { level: 1, name: '搜索' }).waitFor();
      await main.getByRole('region', { name: '索赔' }).getByText('客户电话').first().waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'search-phone-phone-zh');
      await support.setViewportSize({ width: 1280, height: 900 });
      await settled(support);
      await screenshot(support, 'search-phone-zh');
      await support.getByRole('button', { name: 'English' }).click();

      // The serial, in part and in lower case, from the results page's own box.
      const pageBox = main.getByRole('searchbox', { name: 'Search claims, orders and sales' });
      await pageBox.fill(zhangMin.serial.slice(-9).toLowerCase());
      await main.getByRole('button', { name: 'Search', exact: true }).click();
      const bySerial = claims.getByRole('listitem').filter({ hasText: reference });
      await bySerial.getByText('serial', { exact: true }).waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'search-serial-en');

      // The result opens the claim.
      await bySerial.getByRole('link', { name: new RegExp(reference) }).click();
      await support.waitForURL(new RegExp(`/desk/support/claims/${claimId}$`));
      await main.getByText(zhangMin.serial).first().waitFor();
    });

    it('support filters the claims, pages them by cursor and exports them as CSV; the order queue across centers', async () => {
      const support = await signedIn(demo('support').email, '/desk/support/claims');
      for (const [i, p] of DEMO_PURCHASES.slice(0, 3).entries()) {
        const found = await api(support, 'GET', `/api/v1/purchases?q=${encodeURIComponent(p.serial)}`);
        const sale = (found.body as { items: { id: string; serial: string | null }[] }).items.find(
          (s) => s.serial === p.serial,
        );
        if (!sale) throw new Error(`no purchase of ${p.serial}`);
        const reported = await api(
          support,
          'POST',
          '/api/v1/claims',
          { purchaseId: sale.id, cause: 'quality', description: `Listed claim ${i}` },
          `desk-e2e-list-${i}`,
        );
        expect([200, 201]).toContain(reported.status);
      }
      const total = (await api(support, 'GET', '/api/v1/claims?limit=200&status=open')).body as {
        items: unknown[];
      };
      expect(total.items.length).toBeGreaterThanOrEqual(3);

      // Two a page, open claims only: the first page, then the next by its cursor.
      await goTo(support, '/desk/support/claims?per=2&status=open');
      const main = support.getByRole('main');
      const table = main.getByRole('region', { name: 'Claims' });
      await table.getByRole('row').nth(2).waitFor();
      expect(await table.getByRole('row').count()).toBe(3); // the header and two claims
      await main.getByRole('button', { name: 'Load more' }).click();
      await table.getByRole('row').nth(3).waitFor();
      expect(await table.getByRole('row').count()).toBe(Math.min(5, total.items.length + 1));
      await settled(support);
      await checkA11y(support);

      // The export holds what the filter selects, all pages, with a byte order mark for Excel.
      const [download] = await Promise.all([
        support.waitForEvent('download'),
        main.getByRole('link', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^claims-\d{4}-\d{2}-\d{2}\.csv$/);
      const file = await readFile(await download.path());
      expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = file
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toMatch(/^claim_id,reported_on,status,/);
      expect(lines.length - 1).toBe(total.items.length);
      expect(lines.slice(1).every((l) => l.includes(',open,'))).toBe(true);

      // A DC power panel sold 200 days ago to a new customer: their claim becomes a maintenance order,
      // which support finds in the queue across centers, opens and takes; it is then under "Only mine".
      // (A buyer of their own: the demo customers' many claims of the other journeys hold free repairs.)
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer');
      const sold = await api(dealer, 'POST', '/api/v1/purchases', {
        sku: purchase('1_year').sku,
        purchaseDate: Temporal.Now.plainDateISO('Asia/Shanghai').subtract({ days: 200 }).toString(),
        buyer: { name: 'Gao Yan', phone: '+86 137 0000 5150' },
      });
      expect(sold.status, JSON.stringify(sold.body)).toBe(201);
      const panelClaim = await api(
        support,
        'POST',
        '/api/v1/claims',
        {
          purchaseId: field(sold.body, 'id') as string,
          cause: 'quality',
          description: 'No output on bus B.',
        },
        'desk-e2e-list-order',
      );
      expect([200, 201]).toContain(panelClaim.status);
      const issued = await api(
        support,
        'POST',
        `/api/v1/claims/${field(panelClaim.body, 'id') as string}/maintenance-order`,
        {
          mode: 'walk_in',
          location: { cityId: 'shenzhen' },
        },
      );
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      const number = field(issued.body, 'maintenanceNumber') as string;
      await goTo(support, '/desk/support/orders?view=all');
      await main.getByRole('heading', { level: 1, name: 'Maintenance orders' }).waitFor();
      await main.getByRole('combobox', { name: 'Commitment' }).waitFor();
      const orders = main.getByRole('region', { name: 'Maintenance orders' });
      await orders.getByRole('link', { name: number }).waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-orders-en');
      await orders.getByRole('link', { name: number }).click();
      await main.getByRole('heading', { level: 1, name: new RegExp(number) }).waitFor();
      await main.getByRole('button', { name: 'Take', exact: true }).click();
      await main.getByText('You work on this.').waitFor();
      await goTo(support, '/desk/support/orders?view=all&owner=me');
      await orders.getByRole('link', { name: number }).waitFor();
      expect(await main.getByRole('switch', { name: 'Only mine' }).isChecked()).toBe(true);
      await support.setViewportSize({ width: 390, height: 844 });
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-orders-phone-en');
      await goTo(support, '/desk/support/claims?status=open');
      await main.getByRole('list', { name: 'Claims' }).waitFor();
      await settled(support);
      await screenshot(support, 'support-claims-phone-en');
      await support.setViewportSize({ width: 1280, height: 900 });
    });

    it('support opens a claim, sees the customer’s history, takes the claim, and it shows under Mine', async () => {
      // Zhang Min phones about his 30-day headset: support records the claim for him.
      const headset = purchase('60_days');
      const customer = DEMO_END_USERS[headset.endUser];
      const support = await signedIn(demo('support').email, '/desk/support/claims');
      const bought = (
        (await api(support, 'GET', `/api/v1/purchases?q=${encodeURIComponent(headset.serial)}`)).body as {
          items: { id: string; serial: string | null }[];
        }
      ).items.find((p) => p.serial === headset.serial);
      if (!bought) throw new Error(`no purchase of ${headset.serial}`);
      const reported = await api(support, 'POST', '/api/v1/claims', {
        purchaseId: bought.id,
        cause: 'quality',
        description: 'The headset will not pair after the last update.',
      });
      expect(reported.status, JSON.stringify(reported.body)).toBe(201);
      const claimId = field(reported.body, 'id') as string;

      const main = support.getByRole('main');
      await goTo(support, `/desk/support/claims/${claimId}`);
      const context = main.getByRole('region', { name: `Customer: ${customer.name}` });
      await context.getByText(customer.phone ?? '').waitFor();
      await context.getByText(headset.serial).first().waitFor();
      const owner = main.getByRole('region', { name: 'Who works this' });
      await owner.getByText('Nobody works on this yet.').waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-claim-context-en');

      await owner.getByRole('button', { name: 'Take', exact: true }).click();
      await owner.getByText('You work on this.').waitFor();
      const history = main.getByRole('region', { name: 'Who did what' });
      await history.getByText('Owner changed').waitFor();
      await history.getByText(demo('support').name).first().waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-claim-taken-en');
      await support.setViewportSize({ width: 390, height: 844 });
      await settled(support);
      await screenshot(support, 'support-claim-taken-phone-en');
      await support.setViewportSize({ width: 1280, height: 900 });

      // Under Mine: the claim just taken, and nobody else's.
      await goTo(support, '/desk/support/claims');
      await main.getByRole('heading', { level: 1 }).waitFor();
      await main.getByRole('switch', { name: 'Only mine' }).click({ force: true });
      await support.waitForURL(/owner=me/);
      const rows = main.getByRole('table').getByRole('row');
      await expect.poll(() => rows.count()).toBe(2);
      await rowWith(main, demo('support').name).waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-claims-mine-en');
      await support.setViewportSize({ width: 390, height: 844 });
      await settled(support);
      await screenshot(support, 'support-claims-mine-phone-en');
      await support.setViewportSize({ width: 1280, height: 900 });

      // The audit log says who took it, in both languages.
      await goTo(support, `/desk/support/audit?entityId=${claimId}`);
      await main.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      await rowWith(main, demo('support').name).getByText('Owner changed').waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-audit-en');
      await support.getByRole('button', { name: '中文' }).click();
      await main.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
      await main.getByRole('table').getByText('处理人变更').first().waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-audit-zh');
      await support.setViewportSize({ width: 390, height: 844 });
      await settled(support);
      await screenshot(support, 'support-audit-phone-zh');
      await support.setViewportSize({ width: 1280, height: 900 });
      await goTo(support, `/desk/support/claims/${claimId}`);
      await main.getByRole('region', { name: '处理人' }).getByText('由您处理。').waitFor();
      await main.getByRole('region', { name: `客户: ${customer.name}` }).waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-claim-context-zh');
      await support.getByRole('button', { name: 'English' }).click();
    });

    it('the dealer filters its sales and exports them; support’s purchases register and messages, filtered, on a phone too', async () => {
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer/sales?per=1&verification=verified');
      const main = dealer.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Sales' }).waitFor();
      const table = main.getByRole('region', { name: 'Sales' });
      await table.getByRole('row').nth(1).waitFor();
      expect(await table.getByRole('row').count()).toBe(2); // the header and one sale
      await main.getByRole('button', { name: 'Load more' }).click();
      await table.getByRole('row').nth(2).waitFor();
      expect(await main.getByRole('combobox', { name: 'Check' }).inputValue()).toBe('verified');
      // Oldest purchase first, from the header; the address keeps the filter for a reload or a link.
      await table.getByRole('button', { name: 'Sort by Purchase date' }).click();
      await table.locator('th[aria-sort="ascending"]').waitFor();
      await settled(dealer);
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-sales-filtered-en');
      const own = (await api(dealer, 'GET', '/api/v1/purchases?verification=verified&limit=200')).body as {
        items: { id: string; dealer: { id: string } | null }[];
      };
      const [download] = await Promise.all([
        dealer.waitForEvent('download'),
        main.getByRole('link', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^purchases-\d{4}-\d{2}-\d{2}\.csv$/);
      const file = await readFile(await download.path());
      expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = file
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(lines[0]).toMatch(/^purchase_id,purchase_date,verification,/);
      expect(
        lines
          .slice(1)
          .map((l) => l.split(',')[0])
          .sort(),
      ).toEqual(own.items.map((p) => p.id).sort());
      expect(lines.slice(1).every((l) => l.split(',')[2] === 'verified')).toBe(true);
      // Only its own sales: Xinghe's are never in Huaqiang's file.
      expect(file.toString('utf8')).not.toContain(xinghe.name);
      await dealer.setViewportSize({ width: 390, height: 844 });
      await main.getByRole('list', { name: 'Sales' }).waitFor();
      await settled(dealer);
      await checkA11y(dealer);
      await screenshot(dealer, 'dealer-sales-phone-en');
      await dealer.setViewportSize({ width: 1280, height: 900 });

      // Support reads every dealer's sales, and narrows them to one.
      const support = await signedIn(demo('support').email, '/desk/support/purchases');
      const desk = support.getByRole('main');
      await desk.getByRole('heading', { level: 1, name: 'Purchases' }).waitFor();
      const register = desk.getByRole('region', { name: 'Purchases' });
      await register.getByRole('row').nth(1).waitFor();
      await desk.getByRole('combobox', { name: 'Dealer' }).selectOption({ label: xinghe.name });
      await expect.poll(() => new URL(support.url()).searchParams.get('dealerId')).toBeTruthy();
      await register.getByRole('row').filter({ hasText: xinghe.name }).first().waitFor();
      await expect.poll(() => register.getByRole('row').filter({ hasText: huaqiang.name }).count()).toBe(0);
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-purchases-en');
      await support.getByRole('button', { name: '中文' }).click();
      await desk.getByRole('heading', { level: 1, name: '购买记录' }).waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-purchases-zh');
      await support.getByRole('button', { name: 'English' }).click();

      // The outbox filtered by kind and channel, exported without the messages' text: a password reset
      // link acts for its recipient, and neither it nor its secret leaves in the file.
      const reset = await api(support, 'POST', '/api/auth/request-password-reset', {
        email: demo('customer').email,
        redirectTo: '/reset-password',
      });
      expect(reset.status).toBe(200);
      await goTo(support, '/desk/support/messages?status=all&channel=email');
      await desk.getByRole('heading', { level: 1, name: 'Messages' }).waitFor();
      await desk.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'Accounts' });
      await expect.poll(() => new URL(support.url()).searchParams.get('topic')).toBe('account.');
      const outbox = desk.getByRole('region', { name: 'Messages' });
      await outbox.getByRole('row').nth(1).waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-messages-filtered-en');
      const [mail] = await Promise.all([
        support.waitForEvent('download'),
        desk.getByRole('link', { name: 'Export CSV' }).click(),
      ]);
      expect(mail.suggestedFilename()).toMatch(/^messages-\d{4}-\d{2}-\d{2}\.csv$/);
      const mails = (await readFile(await mail.path()))
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      expect(mails[0]).toBe(
        'message_id,created_at,topic,channel,status,recipient,subject,attempts,last_error,sent_at,claim_id,maintenance_order_id,quote_id,reimbursement_id',
      );
      expect(mails.length).toBeGreaterThan(1);
      expect(mails.join('\n')).not.toContain('reset-password');
      expect(
        mails.slice(1).every((l) => l.split(',')[2]?.startsWith('account.') && l.split(',')[3] === 'email'),
      ).toBe(true);
      await support.setViewportSize({ width: 390, height: 844 });
      await desk.getByRole('list', { name: 'Messages' }).waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-messages-phone-en');
      await support.setViewportSize({ width: 1280, height: 900 });
    });

    it('support finds a claim, opens the customer’s history, takes it, and works its maintenance order from the queue', async () => {
      // Xu Qing bought a DC power panel 200 days ago and phones: support records the claim, finds it by
      // her number, reads her history on the claim, takes it, and the claim becomes a walk-in repair.
      const phone = '+86 135 2200 4417';
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer');
      const sold = await api(dealer, 'POST', '/api/v1/purchases', {
        sku: purchase('1_year').sku,
        purchaseDate: Temporal.Now.plainDateISO('Asia/Shanghai').subtract({ days: 200 }).toString(),
        buyer: { name: 'Xu Qing', phone },
      });
      expect(sold.status, JSON.stringify(sold.body)).toBe(201);
      const support = await signedIn(demo('support').email, '/desk/support/claims');
      const main = support.getByRole('main');
      const reported = await api(
        support,
        'POST',
        '/api/v1/claims',
        { purchaseId: field(sold.body, 'id') as string, cause: 'quality', description: 'Rectifier 2 trips.' },
        'desk-e2e-work-order',
      );
      expect(reported.status, JSON.stringify(reported.body)).toBe(201);
      const claimId = field(reported.body, 'id') as string;

      const box = support
        .getByRole('banner')
        .getByRole('searchbox', { name: 'Search claims, orders and sales' });
      await box.fill('2200 4417');
      await box.press('Enter');
      const hit = main
        .getByRole('region', { name: 'Claims' })
        .getByRole('listitem')
        .filter({ hasText: claimId.slice(0, 8) });
      await hit.getByRole('link', { name: new RegExp(claimId.slice(0, 8)) }).click();
      await support.waitForURL(new RegExp(`/desk/support/claims/${claimId}$`));
      await main.getByRole('region', { name: 'Customer: Xu Qing' }).getByText(phone).waitFor();
      const claimOwner = main.getByRole('region', { name: 'Who works this' });
      await claimOwner.getByRole('button', { name: 'Take', exact: true }).click();
      await claimOwner.getByText('You work on this.').waitFor();

      const issued = await api(support, 'POST', `/api/v1/claims/${claimId}/maintenance-order`, {
        mode: 'walk_in',
        location: { cityId: 'shenzhen' },
      });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      const number = field(issued.body, 'maintenanceNumber') as string;
      const orderId = field(issued.body, 'id') as string;

      // From support's queue: the order opens with the moves support may make, the same as the center's.
      await goTo(support, '/desk/support/orders');
      const queue = main.getByRole('region', { name: 'Maintenance orders' });
      await queue.getByRole('link', { name: number }).click();
      await support.waitForURL(new RegExp(`/desk/support/orders/${orderId}$`));
      await main.getByRole('heading', { level: 1, name: new RegExp(number) }).waitFor();
      const actions = main.getByRole('region', { name: 'Next step' });
      for (const move of ['Receive', 'Cancel']) await actions.getByRole('button', { name: move }).waitFor();
      expect(await actions.getByRole('button', { name: 'Close', exact: true }).count()).toBe(0);
      await actions.getByRole('button', { name: 'Receive' }).click();
      const dialog = support.getByRole('dialog', { name: 'Receive' });
      await dialog.getByLabel(/^Note for the customer/).fill('Brought in by the customer this morning.');
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-order-receive-en');
      await dialog.getByRole('button', { name: 'Receive' }).click();
      await dialog.waitFor({ state: 'detached' });
      await main.getByRole('status').getByText('Received. The service commitment is due by').waitFor();
      const timeline = main.getByRole('region', { name: 'Timeline' });
      await timeline.getByText('Brought in by the customer this morning.').waitFor();
      await actions.getByRole('button', { name: 'Start diagnosis' }).waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-order-worked-en');
      await support.setViewportSize({ width: 390, height: 844 });
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-order-worked-phone-en');

      // In Chinese, the next move: inspection starts.
      await support.getByRole('button', { name: '中文' }).click();
      const zhActions = main.getByRole('region', { name: '下一步' });
      await zhActions.getByRole('button', { name: '开始检测' }).click();
      const zhDialog = support.getByRole('dialog', { name: '开始检测' });
      await zhDialog.getByRole('button', { name: '开始检测' }).click();
      await zhDialog.waitFor({ state: 'detached' });
      await main.getByRole('status').getByText('检测中').waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-order-worked-phone-zh');
      await support.setViewportSize({ width: 1280, height: 900 });
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'support-order-worked-zh');
      await support.getByRole('button', { name: 'English' }).click();

      // The server holds both moves, made by support, and the order's audit history names who made them.
      const order = await api(support, 'GET', `/api/v1/maintenance-orders/${orderId}`);
      expect(order.body).toMatchObject({
        state: 'diagnosing',
        allowedMoves: ['repairing', 'paidService', 'returned'],
      });
      const audit = await api(support, 'GET', `/api/v1/audit-events?entityId=${orderId}`);
      expect(JSON.stringify(audit.body)).toContain('maintenance_order.moved');
    });
  },
);
