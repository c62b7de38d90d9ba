import { mkdirSync, readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_END_USERS, DEMO_PASSWORD, DEMO_SERVICE_CENTERS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { SCREENSHOTS, screenshot, seriousViolations } from '../support/browser.js';
import { browserAvailable, CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/e2e.js';
import { testDatabases } from '../support/databases.js';
import { pdfContents } from '../support/pdf-text.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** A receipt as a customer photographs it: the smallest valid PNG, enough for the file-type check. */
const RECEIPT_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/*
 * The end-user service in a real browser, against the real server: a customer's mail-in repair from
 * the report to the parcel going back (the customer, the Shenzhen center's technician and a guest
 * following it), the printable slip with its QR code, and a refund in the first week. Axe-core on
 * each screen; screenshots in both languages.
 */

function demo(role: Role): { name: string; email: string } {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

/** Wang Fang bought the DC power panel 200 days ago (the one-year window) and has no account yet. */
const wangFang = DEMO_END_USERS[2];
const [shenzhenCenter] = DEMO_SERVICE_CENTERS;
const RETURN_TRACKING = 'SF1402938475';
const CONTACT_NOTE = 'Called Wang Fang: the capacitor is in stock, back within the week.';

// The journeys are the proof of the service on both databases: each runs on every one at hand.
describe.skipIf(!browserAvailable()).each(testDatabases())(
  'end-user service journeys on $name (Chromium)',
  (database) => {
    let server: TestServer | undefined;
    let browser: Browser | undefined;
    const contexts: BrowserContext[] = [];
    const pageErrors: string[] = [];
    let maintenanceNumber = '';
    let lastPage: Page | undefined;

    async function openPage(pathname: string, locale = 'en-US'): Promise<Page> {
      if (!browser || !server) throw new Error('the browser and the server start before the tests');
      const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      lastPage = page;
      page.on('pageerror', (error) => pageErrors.push(`${pathname}: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() !== 'error' || /status of 4\d\d/.test(message.text())) return;
        pageErrors.push(`${pathname}: console: ${message.text()}`);
      });
      await page.goto(new URL(pathname, server.url).toString());
      return page;
    }

    async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
      const main = page.getByRole('main');
      await main.getByLabel('E-mail address').fill(email);
      await main.getByLabel(/^Password/).fill(password);
      await main.getByRole('button', { name: 'Sign in' }).click();
    }

    async function switchLanguage(page: Page, name: 'English' | '中文'): Promise<void> {
      await page
        .getByRole('group', { name: /Language|语言/ })
        .getByRole('button', { name })
        .click();
      await expect
        .poll(() => page.locator('html').getAttribute('lang'))
        .toBe(name === '中文' ? 'zh-CN' : 'en');
    }

    async function noViolations(page: Page): Promise<void> {
      const found = await seriousViolations(page);
      expect(found).toEqual([]);
    }

    beforeAll(async () => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      server = await startTestServer(database);
      browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    });

    afterEach(async (context) => {
      // What the page showed when a step gave up: the first thing to look at.
      if (context.task.result?.state === 'fail' && lastPage) {
        await screenshot(lastPage, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
      }
    });

    afterAll(async () => {
      for (const context of contexts) await context.close();
      await browser?.close();
      await server?.close();
      expect(pageErrors).toEqual([]);
    });

    it('a customer reports a fault, chooses mail-in repair and issues the order by city', async () => {
      if (!server) throw new Error('started in beforeAll');
      const email = wangFang.email;
      const page = await openPage('/sign-up');
      const main = page.getByRole('main');
      await main.getByLabel('Your name').fill(wangFang.name);
      await main.getByLabel('E-mail address').fill(email);
      await main.getByLabel(/^Password/).fill('wang-fang-password');
      await main.getByRole('button', { name: 'Create account' }).click();
      await main.getByRole('heading', { level: 1, name: 'Check your inbox to confirm' }).waitFor();
      const verification = await server.latestMessageTo(email);
      await page.goto(/(https?:\/\/\S+)/.exec(verification?.body ?? '')?.[1] ?? 'about:blank');
      await page.getByRole('banner').getByTestId('user-menu').waitFor();

      // Her account found the purchase the dealer recorded with her address.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My products' }).click();
      await main.getByRole('heading', { level: 1, name: 'My products' }).waitFor();
      const row = main.getByRole('row').filter({ hasText: '220 V DC Power Panel' });
      await row.getByText('Within one year of purchase').waitFor();
      await row.getByText('Covered').waitFor();
      await noViolations(page);

      await row.getByRole('link', { name: /Report a problem/ }).click();
      await main.getByRole('heading', { level: 1, name: 'Report a problem' }).waitFor();
      await main.getByRole('radio', { name: 'A quality problem' }).check();
      await main.getByLabel(/What is wrong/).fill('The 48 V output drops to zero under load after an hour.');
      await noViolations(page);
      // A double click is one submission: one claim, thanks to the Idempotency-Key and the busy button.
      await main.getByRole('button', { name: 'Report the problem' }).dblclick();
      await page.waitForURL(/\/my-claims\/[0-9a-f-]{36}$/);
      await main.getByRole('heading', { level: 2, name: 'The decision' }).waitFor();
      await main.getByText('Within one year of purchase').first().waitFor();
      const claims = await page.evaluate(async () => {
        const res = await fetch('/api/v1/claims', { headers: { accept: 'application/json' } });
        return ((await res.json()) as { items: unknown[] }).items.length;
      });
      expect(claims).toBe(1);

      await main.getByRole('button', { name: 'Choose this: Mail-in repair' }).click();
      await main.getByRole('heading', { level: 2, name: 'Issue the maintenance order' }).waitFor();
      expect(await main.getByRole('radio', { name: /Mail-in repair/ }).isChecked()).toBe(true);
      await main.getByRole('combobox', { name: /^City/ }).selectOption('shenzhen');
      await noViolations(page);
      await main.getByRole('button', { name: 'Issue the maintenance order' }).click();

      const number = main.getByTestId('maintenance-number');
      await number.waitFor();
      maintenanceNumber = (await number.textContent()) ?? '';
      expect(maintenanceNumber).toMatch(/^M-/);
      await main.getByText(shenzhenCenter.address).waitFor();
      await main.getByText(`write maintenance number ${maintenanceNumber} on the parcel`).waitFor();
      await main.getByText('Your choice').waitFor();
      // The return label for the parcel: a PDF download with the number on it (and as a barcode).
      const [label] = await Promise.all([
        page.waitForEvent('download'),
        main.getByRole('link', { name: 'Print return label' }).click(),
      ]);
      expect(label.suggestedFilename()).toBe(`return-label-${maintenanceNumber}.pdf`);
      const pdf = pdfContents(readFileSync(await label.path()));
      expect(pdf.header).toMatch(/^%PDF-/);
      expect(pdf.pages).toBe(1);
      expect(pdf.text).toContain(maintenanceNumber);
      expect(pdf.text).toContain(shenzhenCenter.address);
      expect(pdf.images).toHaveLength(1);
      await noViolations(page);
      await screenshot(page, 'customer-claims-en');

      await switchLanguage(page, '中文');
      await main.getByRole('heading', { level: 2, name: '您的维修单' }).waitFor();
      await main.getByText(shenzhenCenter.nameZh).waitFor();
      // The clauses come from the API in the reader's language.
      await main.getByRole('heading', { level: 2, name: '处理决定' }).waitFor();
      await noViolations(page);
      await screenshot(page, 'customer-claims-zh');
      await switchLanguage(page, 'English');

      // The printable slip: the number, the center, the product and a QR code to the tracking page.
      await main.getByRole('link', { name: 'Printable maintenance slip' }).click();
      await main.getByTestId('slip-number').getByText(maintenanceNumber).waitFor();
      const qr = main.getByRole('img', { name: `QR code: track maintenance order ${maintenanceNumber}` });
      await qr.waitFor();
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
      expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      await main.getByText(shenzhenCenter.address).waitFor();
      await noViolations(page);
      await screenshot(page, 'maintenance-slip-en');
      // Printed, the page is the slip alone.
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByRole('banner').isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
      expect(await main.getByTestId('slip-number').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });
    });

    it('the Shenzhen technician receives, diagnoses, repairs and returns it with a tracking number', async () => {
      expect(maintenanceNumber).not.toBe('');
      const page = await openPage('/sign-in');
      await signIn(page, demo('technician').email);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Repair queue' })
        .click();
      const main = page.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Repair queue' }).waitFor();
      const row = main.getByRole('row').filter({ hasText: maintenanceNumber });
      await row.getByText('Maintenance order issued').waitFor();
      await row.getByText(wangFang.name).waitFor();
      await noViolations(page);
      await screenshot(page, 'technician-queue-en');
      await switchLanguage(page, '中文');
      await main.getByRole('heading', { level: 1, name: '维修队列' }).waitFor();
      await noViolations(page);
      await screenshot(page, 'technician-queue-zh');
      await switchLanguage(page, 'English');

      await row.getByRole('link', { name: maintenanceNumber }).click();
      await main.getByRole('heading', { level: 1, name: maintenanceNumber }).waitFor();
      await noViolations(page);

      const move = async (
        button: string,
        fill?: (dialog: ReturnType<Page['getByRole']>) => Promise<void>,
      ) => {
        await main.getByRole('button', { name: button, exact: true }).click();
        const dialog = page.getByRole('dialog', { name: button });
        await dialog.waitFor();
        if (fill) await fill(dialog);
        await dialog.getByRole('button', { name: button, exact: true }).click();
        await dialog.waitFor({ state: 'detached' });
        await main.getByRole('status').getByText('Done').waitFor();
      };

      await move('Receive', async (dialog) => {
        await dialog.getByLabel(/^Note for the customer/).fill('Parcel received in good order.');
      });
      await main.getByRole('status').getByText('Received. The service commitment is due by').waitFor();
      await main.getByText('On track').first().waitFor();
      // The customer contacted, with what was said: on the timeline, as the dialog says it will be.
      await main.getByRole('button', { name: 'Record that the customer was contacted' }).click();
      const contactDialog = page.getByRole('dialog', { name: 'Record that the customer was contacted' });
      await contactDialog.getByText('Shown on the timeline the customer follows.').waitFor();
      await noViolations(page);
      await contactDialog.getByLabel(/^Note for the customer/).fill(CONTACT_NOTE);
      await contactDialog.getByRole('button', { name: 'Record that the customer was contacted' }).click();
      await contactDialog.waitFor({ state: 'detached' });
      const history = main.getByRole('region', { name: 'History' });
      await history.getByText('Customer contacted', { exact: true }).waitFor();
      await history.getByText(CONTACT_NOTE).waitFor();
      await main.getByText(/^Customer contacted on/).waitFor();
      await noViolations(page);
      await screenshot(page, 'technician-contact-timeline-en');
      await page.setViewportSize({ width: 390, height: 844 });
      await history.getByText(CONTACT_NOTE).scrollIntoViewIfNeeded();
      await noViolations(page);
      await screenshot(page, 'technician-contact-timeline-phone-en');
      await page.setViewportSize({ width: 1280, height: 900 });
      await switchLanguage(page, '中文');
      await page.setViewportSize({ width: 390, height: 844 });
      const zhHistory = main.getByRole('region', { name: '处理记录' });
      await zhHistory.getByText('已联系客户', { exact: true }).scrollIntoViewIfNeeded();
      await noViolations(page);
      await screenshot(page, 'technician-contact-timeline-phone-zh');
      await page.setViewportSize({ width: 1280, height: 900 });
      await switchLanguage(page, 'English');
      await move('Start diagnosis');
      await move('Start repair', async (dialog) => {
        await dialog.getByLabel('Diagnosis').fill('Failed output capacitor C14.');
      });
      await move('Mark as repaired');
      await move('Return to the customer', async (dialog) => {
        await dialog.getByLabel(/^Return tracking number/).fill(RETURN_TRACKING);
      });
      await main.getByText(RETURN_TRACKING).waitFor();
      await main.getByRole('button', { name: 'Close', exact: true }).waitFor();
      const timeline = main.getByRole('region', { name: 'History' });
      for (const state of [
        'Maintenance order issued',
        'Received at the center',
        'Returned to the customer',
      ]) {
        await timeline.getByText(state).waitFor();
      }
      await noViolations(page);

      // A colleague closes the order while this page still shows it open: the stale move is refused,
      // said so, and the page shows the order as it now is.
      const colleague = await page.context().newPage();
      await colleague.goto(page.url());
      await colleague.getByRole('main').getByRole('button', { name: 'Close', exact: true }).click();
      const colleagueDialog = colleague.getByRole('dialog', { name: 'Close' });
      await colleagueDialog.getByRole('button', { name: 'Close', exact: true }).last().click();
      await colleagueDialog.waitFor({ state: 'detached' });
      await main.getByRole('button', { name: 'Close', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Close' });
      await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
      await dialog.getByRole('alert').getByText('Someone else changed this first').waitFor();
      await main.getByText('This order is finished: no more moves.').waitFor();
      await noViolations(page);
    });

    it('a guest follows the repair by number and contact, in English and Chinese', async () => {
      expect(maintenanceNumber).not.toBe('');
      const page = await openPage('/track');
      const main = page.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Track a repair' }).waitFor();
      await main.getByLabel('Maintenance number').fill(maintenanceNumber);
      await main.getByLabel('E-mail address or phone number').fill(wangFang.email);
      await noViolations(page);
      await main.getByRole('button', { name: 'Show my repair' }).click();
      const timeline = main.getByRole('region', { name: 'History' });
      await timeline.getByText('Returned to the customer').waitFor();
      await timeline.getByText('Parcel received in good order.').waitFor();
      // The center's call is on the customer's timeline too: they were on it.
      await timeline.getByText('Customer contacted', { exact: true }).waitFor();
      await timeline.getByText(CONTACT_NOTE).waitFor();
      await main.getByText(RETURN_TRACKING).waitFor();
      await main.getByText(shenzhenCenter.nameEn).waitFor();
      await noViolations(page);
      await screenshot(page, 'track-en');

      await switchLanguage(page, '中文');
      await main.getByRole('region', { name: '处理记录' }).getByText('已寄回客户').waitFor();
      await main.getByText(shenzhenCenter.nameZh).waitFor();
      await noViolations(page);
      await screenshot(page, 'track-zh');
    });

    it('tells a guest with the wrong contact nothing about the order', async () => {
      const page = await openPage(`/track?number=${encodeURIComponent(maintenanceNumber)}`);
      const main = page.getByRole('main');
      expect(await main.getByLabel('Maintenance number').inputValue()).toBe(maintenanceNumber);
      await main.getByLabel('E-mail address or phone number').fill('someone.else@example.com');
      await main.getByRole('button', { name: 'Show my repair' }).click();
      await main.getByRole('alert').waitFor();
      expect(await main.getByText(shenzhenCenter.nameEn).count()).toBe(0);
    });

    it('the demo customer registers an inverter bought elsewhere, with a photo of the receipt', async () => {
      const page = await openPage('/sign-in?next=%2Fmy-products');
      await signIn(page, demo('customer').email);
      await page.waitForURL('**/my-products');
      const main = page.getByRole('main');
      await main.getByRole('link', { name: 'Register a product' }).click();
      await main.getByRole('heading', { level: 1, name: 'Register a product' }).waitFor();
      await main.getByLabel('By the product (no serial number)').check();
      await main
        .getByRole('combobox', { name: /^Product/ })
        .selectOption({ label: '3 kW Pure Sine Wave Inverter' });
      await main.getByLabel('Purchase date').fill('2026-11-02');
      // Any dealer of the maker, found by its city: not one Li Wei bought from before.
      await main.getByRole('combobox', { name: /^Dealer \(optional\)/ }).fill('wuhan');
      await page
        .getByRole('option', { name: /^Wuhan Changjiang Electronics Trading Co\., Ltd\. · Wuhan/ })
        .click();
      // Submitting without the receipt is refused before anything is sent.
      await main.getByRole('button', { name: 'Register the product' }).click();
      await main.getByText('Attach the proof of purchase.').waitFor();
      await main.locator('input[type="file"]').setInputFiles({
        name: 'receipt.png',
        mimeType: 'image/png',
        buffer: RECEIPT_PNG,
      });
      await noViolations(page);
      await screenshot(page, 'customer-register-en');
      await main.getByRole('button', { name: 'Register the product' }).click();
      await page.waitForURL('**/my-products');
      await main.getByRole('status').getByText('Product registered').waitFor();
      const row = main.getByRole('row').filter({ hasText: '3 kW Pure Sine Wave Inverter' });
      await row.getByText('Covered').waitFor();
      // The customer's word alone: it waits for the dealer or support to check the receipt.
      await row.getByText('Being checked', { exact: true }).waitFor();
      await row.getByText('Wuhan Changjiang Electronics Trading Co., Ltd.').waitFor();
      await noViolations(page);
      await screenshot(page, 'customer-products-pending-en');

      // A problem reported on it is decided, provisionally: nothing is carried out before the check.
      await row.getByRole('link', { name: /Report a problem/ }).click();
      await main.getByLabel(/What is wrong/).fill('It hums and shuts down under load.');
      await main.getByRole('button', { name: 'Report the problem' }).click();
      await main.getByRole('heading', { level: 2, name: 'The decision' }).waitFor();
      await main
        .getByRole('status')
        .filter({ hasText: 'Provisional: your purchase is being checked' })
        .waitFor();
      await noViolations(page);
      await screenshot(page, 'customer-claim-provisional-en');
      await page.setViewportSize({ width: 390, height: 844 });
      await switchLanguage(page, '中文');
      await main.getByRole('status').filter({ hasText: '暂定：您的购买正在核实中' }).waitFor();
      await noViolations(page);
      await screenshot(page, 'customer-claim-provisional-phone-zh');
      // The dealer in Chinese on the Chinese screens, where the maker gave its Chinese name.
      await page.getByRole('banner').getByRole('button', { name: '菜单', exact: true }).click();
      const menu = page.getByRole('dialog', { name: '菜单' });
      await menu.getByRole('link', { name: '我的产品' }).click();
      await main.getByRole('row').filter({ hasText: '武汉长江电子贸易有限公司' }).waitFor();
      // Checked once the menu has faded out: half-transparent links are no one's reading.
      await menu.waitFor({ state: 'hidden' });
      await noViolations(page);
      await screenshot(page, 'customer-products-phone-zh');
      await page.setViewportSize({ width: 1280, height: 900 });
      await switchLanguage(page, 'English');
    });

    it('the demo customer chooses a refund for a 3-day-old headset and is sent to the dealer', async () => {
      const customer = demo('customer');
      const page = await openPage('/sign-in?next=%2Fmy-products');
      await signIn(page, customer.email);
      await page.waitForURL('**/my-products');
      const main = page.getByRole('main');
      const row = main.getByRole('row').filter({ hasText: 'HS-200 Wired Headset' });
      await row.getByText('Within 7 days of purchase').waitFor();
      await row.getByRole('link', { name: /Report a problem/ }).click();
      await main.getByLabel(/What is wrong/).fill('The left earpiece is silent.');
      await main.getByRole('button', { name: 'Report the problem' }).click();
      await main.getByRole('heading', { level: 2, name: 'The decision' }).waitFor();
      await main.getByRole('button', { name: 'Choose this: Refund' }).click();
      const dialog = page.getByRole('dialog', { name: 'Choose Refund?' });
      await dialog.getByRole('button', { name: 'Yes, choose it' }).click();
      await dialog.waitFor({ state: 'detached' });
      await main.getByText('Go to your dealer with the product and the receipt').waitFor();
      await main.getByText('Your dealer: Shenzhen Huaqiang Power Equipment Co., Ltd.').waitFor();
      await main.getByText('Remedy chosen').waitFor();
      await noViolations(page);

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My claims' }).click();
      await main.getByRole('heading', { level: 1, name: 'My claims' }).waitFor();
      await main.getByRole('row').filter({ hasText: 'HS-200 Wired Headset' }).getByText('Refund').waitFor();
      await noViolations(page);
    });
  },
);
