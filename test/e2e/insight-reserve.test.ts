import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { screenshot } from '../support/browser.js';
import { useBrowserSuite } from '../support/browser-suite.js';
import { browserAvailable } from '../support/e2e.js';
import { testDatabases } from '../support/databases.js';

/*
 * The warranty reserve forecast in a real browser on the demo data: QA opens it, reads the provision
 * and its interval, the claim rate by age of a product (chart and table) and the method, in English and
 * in Chinese, at desktop and phone width; support, who does not read the maker's costs, is refused.
 */

function demo(role: Role): { email: string } {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

async function shots(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-phone`);
  if (size) await page.setViewportSize(size);
}

describe.skipIf(!browserAvailable()).each(testDatabases())(
  'the reserve forecast on $name (Chromium)',
  (database) => {
    const { signedIn, settled, checkA11y } = useBrowserSuite(database);

    it('QA reads the warranty reserve, its claim rates by age and the method, in English and Chinese', async () => {
      const qa = await signedIn(demo('qa').email, '/insight/reserve');
      const main = qa.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Warranty reserve forecast' }).waitFor();
      await main.getByRole('heading', { level: 2, name: /^Provision as of \d{4}-\d{2}-\d{2}$/ }).waitFor();
      await main.getByText(/^90 % interval: .+ to .+$/).waitFor();
      expect(await main.getByTestId('reserve-total').textContent()).toMatch(/\d/);
      await main.getByRole('heading', { level: 2, name: 'Per product' }).waitFor();
      await main.getByRole('heading', { level: 2, name: /^Claim rate by month of life: / }).waitFor();
      await main.getByRole('columnheader', { name: 'Unit-months seen' }).waitFor();
      await main.getByRole('heading', { level: 2, name: 'How the forecast is made' }).waitFor();
      await main.getByText(/^Life table: for each month since purchase/).waitFor();
      await settled(qa);
      await checkA11y(qa);
      await shots(qa, 'reserve-en');

      await qa.getByRole('button', { name: '中文' }).click();
      await main.getByRole('heading', { level: 1, name: '保修准备金预测' }).waitFor();
      await main.getByRole('heading', { level: 2, name: '预测方法' }).waitFor();
      await main.getByText(/^90% 区间：/).waitFor();
      await settled(qa);
      await checkA11y(qa);
      await shots(qa, 'reserve-zh');
    });

    it('support does not read the maker’s costs, so is not shown the reserve', async () => {
      const support = await signedIn(demo('support').email, '/insight/reserve');
      await support.getByRole('heading', { level: 1, name: 'You don’t have access to this page' }).waitFor();
      await settled(support);
      await checkA11y(support);
    });
  },
);
