import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_REPAIRS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { screenshot } from '../support/browser.js';
import { useBrowserSuite } from '../support/browser-suite.js';
import { browserAvailable } from '../support/e2e.js';
import { testDatabases } from '../support/databases.js';

/*
 * Issue 19 item 2 in a real browser: the Shenzhen technician records the parts and hours of the repair
 * under diagnosis, and QA opens the cost of warranty and the rows behind a figure — in English and in
 * Chinese, checked with axe, at desktop and phone size.
 */

function demo(role: Role): string {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account.email;
}

async function shots(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-phone`);
  if (size) await page.setViewportSize(size);
}

async function switchLanguage(page: Page, name: 'English' | '中文'): Promise<void> {
  await page
    .getByRole('group', { name: /Language|语言/ })
    .getByRole('button', { name })
    .click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(name === '中文' ? 'zh-CN' : 'en');
}

describe.skipIf(!browserAvailable()).each(testDatabases())(
  'cost of warranty on $name (Chromium)',
  (database) => {
    const { signedIn, settled, checkA11y } = useBrowserSuite(database);
    const diagnosing = DEMO_REPAIRS.find((r) => r.state === 'diagnosing');

    it('a technician records the parts and hours of a repair', async () => {
      const page = await signedIn(demo('technician'), '/repairs');
      const main = page.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Repair queue' }).waitFor();
      const row = main.getByRole('row').filter({ hasText: diagnosing?.buyer.name ?? '' });
      await row.getByRole('link').first().click();
      const panel = main.getByRole('region', { name: 'Parts and labour' });
      await panel.waitFor();
      // The demo's recording: a rectifier module and two fuses, 1.5 hours.
      await panel.getByRole('cell', { name: 'DCP-RM-48 · Rectifier module 48 V' }).waitFor();
      await panel.getByText('1.5 h', { exact: false }).waitFor();

      await panel.getByRole('button', { name: 'Record parts and hours' }).click();
      const form = panel.getByRole('form', { name: 'Parts and hours of this repair' });
      await form.getByRole('button', { name: 'Add a part' }).click();
      await form.getByLabel('Part 3').selectOption({ label: 'DCP-CB-01 · Control board' });
      await form.getByLabel('Hours of labour').fill('2.5');
      await settled(page);
      await checkA11y(page);
      await form.getByRole('button', { name: 'Save parts and hours' }).click();
      await panel.getByRole('cell', { name: 'DCP-CB-01 · Control board' }).waitFor();
      await panel.getByText('2.5 h', { exact: false }).waitFor();
      // 680.00 + 2 × 2.50 + 420.00 = 1,105.00 of parts; 2.5 h × 120.00 = 300.00; 1,405.00 in all.
      await panel.getByText(/1,405\.00/).waitFor();
      await panel.scrollIntoViewIfNeeded();
      await settled(page);
      await checkA11y(page);
      await shots(page, 'order-parts-en');

      await switchLanguage(page, '中文');
      await main.getByRole('region', { name: '配件与工时' }).waitFor();
      await main.getByRole('button', { name: '记录配件和工时' }).waitFor();
      await settled(page);
      await checkA11y(page);
      await shots(page, 'order-parts-zh');
    });

    it('QA opens the cost of warranty and the rows behind a figure', async () => {
      const page = await signedIn(demo('qa'), '/insight/cost');
      const main = page.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Cost of warranty' }).waitFor();
      await main.getByRole('img', { name: 'Cost by month and kind' }).waitFor();
      const figure = main
        .getByRole('button', { name: /^Repair parts, \d{4}-\d{2}: .*Show the rows$/ })
        .first();
      await figure.click();
      const rows = main.getByRole('region', { name: /^Repair parts · \d{4}-\d{2}$/ });
      await rows.waitFor();
      await rows.getByRole('cell', { name: /^M-/ }).first().waitFor();
      await rows.getByRole('cell', { name: 'Maintenance order' }).first().waitFor();
      // The figure opened is in the address: a link shows a colleague the same rows.
      expect(new URL(page.url()).searchParams.get('category')).toBe('repair_parts');
      await settled(page);
      await checkA11y(page);
      await shots(page, 'cost-of-warranty-en');

      await switchLanguage(page, '中文');
      await main.getByRole('heading', { level: 1, name: '保修成本' }).waitFor();
      await main.getByRole('region', { name: /^维修配件 · \d{4}-\d{2}$/ }).waitFor();
      await settled(page);
      await checkA11y(page);
      await shots(page, 'cost-of-warranty-zh');
    });

    it('a dealer is refused the cost of warranty', async () => {
      const page = await signedIn(demo('dealer'), '/insight/cost');
      await page.getByRole('main').getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByRole('heading', { level: 1, name: 'Cost of warranty' }).count()).toBe(0);
    });
  },
);
