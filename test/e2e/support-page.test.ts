import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from '../../src/domain/calendar.js';
import { quoteClause } from '../../src/domain/policy/evaluate.js';
import { builtInPolicyVersions } from '../../src/domain/policy/halotek.js';
import { SCREENSHOTS, screenshot, seriousViolations } from '../support/browser.js';
import { browserAvailable, CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/e2e.js';
import { startTestServer } from '../support/server.js';

/** The server runs on today's date: the built-in version in force today is the one the page shows. */
const today = Temporal.Now.plainDateISO('Asia/Shanghai').toString();
const policy = builtInPolicyVersions.filter((v) => v.effectiveFrom <= today).at(-1);
if (!policy) throw new Error('no built-in policy version in force today');

/*
 * The public support page and "Am I covered?" in a real browser, against the real server. Without
 * Chromium the suite is skipped with a warning (and fails when CI is set).
 */

const [sevenDays] = policy.endUser.windows;
const refund = sevenDays?.remedies.find((r) => r.code === 'refund');
if (!sevenDays || !refund) throw new Error('the Halotek policy has a 7-day window with a refund');
const paidService = policy.endUser.outOfWarranty.remedies[0];
if (!paidService) throw new Error('the Halotek policy offers paid service out of warranty');

async function fillCoverageForm(
  page: Page,
  facts: { purchaseDate: string; reportDate: string; cause: 'quality' | 'human_damage' },
): Promise<void> {
  await page.getByLabel('Purchase date').fill(facts.purchaseDate);
  await page.getByLabel('Date of the problem').fill(facts.reportDate);
  await page
    .getByRole('radio', { name: facts.cause === 'quality' ? 'A quality problem' : 'Damage caused by misuse' })
    .check();
  await page.getByRole('button', { name: 'Check my coverage' }).click();
}

const day = (iso: string, days: number) => Temporal.PlainDate.from(iso).add({ days }).toString();

describe.skipIf(!browserAvailable())('public support page (Chromium)', () => {
  let server: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  /** A fresh visitor: no remembered language, the browser speaking `locale`. */
  async function openPage(pathname: string, locale = 'en-US'): Promise<Page> {
    if (!browser || !server) throw new Error('the browser and the server start before the tests');
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${pathname}: ${error.message}`));
    page.on('console', (message) => {
      // A refusal by the API (4xx) is part of a scenario and asserted there; anything else is a fault.
      if (message.type() !== 'error' || /status of 4\d\d/.test(message.text())) return;
      pageErrors.push(`${pathname}: console: ${message.text()}`);
    });
    await page.goto(new URL(pathname, server.url).toString());
    return page;
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    expect(pageErrors).toEqual([]);
  });

  it('shows the policy from the API, answers "Am I covered?" and switches to Chinese', async () => {
    const page = await openPage('/support');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');

    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: policy.title.en }).waitFor();
    await main.getByRole('heading', { level: 2, name: policy.endUser.heading.en }).waitFor();
    await main.getByRole('heading', { level: 2, name: policy.oem.heading.en }).waitFor();
    await main.getByRole('heading', { level: 3, name: 'Within 7 days of purchase' }).waitFor();
    await main.getByText(sevenDays.heading.text.en).waitFor();
    await main.getByText(refund.clause.text.en).waitFor();
    await main.getByText('0.3 %–0.5 %', { exact: true }).waitFor();
    await page.getByRole('contentinfo').getByText(policy.id).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'support-en');

    await main.getByRole('link', { name: 'Check my coverage' }).click();
    await page.waitForURL('**/coverage');
    await fillCoverageForm(page, { purchaseDate: '2026-03-02', reportDate: '2026-03-07', cause: 'quality' });
    const answer = page.getByRole('region', { name: 'Your answer' });
    await answer.getByRole('heading', { name: 'Within 7 days of purchase' }).waitFor();
    await answer.getByText('5 days since purchase').waitFor();
    await answer.getByText('Free of charge').waitFor();
    for (const remedy of ['Refund', 'Replacement', 'Service center help']) {
      await answer.getByText(remedy, { exact: true }).waitFor();
    }
    await answer.getByText(quoteClause(refund.clause, 'en')).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'coverage-en');

    // The same answer, asked again in Chinese: the clauses come back quoted in Chinese.
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const answerZh = page.getByRole('region', { name: '查询结果' });
    await answerZh.getByRole('heading', { name: '购买后 7 天内' }).waitFor();
    await answerZh.getByText(quoteClause(refund.clause, 'zh')).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'coverage-zh');

    await page.getByRole('navigation').getByRole('link', { name: '售后政策' }).click();
    await main.getByRole('heading', { level: 1, name: policy.title.zh }).waitFor();
    await main.getByRole('heading', { level: 2, name: policy.endUser.heading.zh }).waitFor();
    await main.getByText(refund.clause.text.zh).waitFor();
    await main.getByText('0.3%–0.5%', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'support-zh');

    // The choice is remembered.
    await page.reload();
    await main.getByRole('heading', { level: 2, name: policy.endUser.heading.zh }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('offers paid service for a report 400 days after the purchase', async () => {
    const page = await openPage('/coverage');
    await fillCoverageForm(page, {
      purchaseDate: '2024-01-10',
      reportDate: day('2024-01-10', 400),
      cause: 'quality',
    });
    const answer = page.getByRole('region', { name: 'Your answer' });
    await answer.getByRole('heading', { name: 'Beyond the warranty period' }).waitFor();
    await answer.getByText('400 days since purchase').waitFor();
    await answer.getByText('Paid service', { exact: true }).first().waitFor();
    await answer.getByText(quoteClause(paidService.clause, 'en')).waitFor();
    await expect.poll(() => answer.getByText('Refund', { exact: true }).count()).toBe(0);
  });

  it('shows the API error when the problem is dated before the purchase', async () => {
    const page = await openPage('/coverage');
    await fillCoverageForm(page, { purchaseDate: '2026-03-10', reportDate: '2026-03-01', cause: 'quality' });
    const alert = page.getByRole('alert');
    await alert.getByText('The date of the problem is before the purchase date.').waitFor();
    await alert.getByText(/before the purchase date 2026-03-10/).waitFor();
  });

  it('speaks Chinese to a browser that prefers it', async () => {
    const page = await openPage('/', 'zh-CN');
    await page
      .getByRole('main')
      .getByRole('heading', { level: 2, name: policy.endUser.heading.zh })
      .waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('banner').getByText('Halotek 服务支持').waitFor();
  });
});
