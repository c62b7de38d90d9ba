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

  it('shows the API error in words, not codes, when the problem is dated before the purchase', async () => {
    const page = await openPage('/coverage');
    await fillCoverageForm(page, { purchaseDate: '2026-03-10', reportDate: '2026-03-01', cause: 'quality' });
    const alert = page.getByRole('alert');
    await alert.getByText('The date of the problem is before the purchase date.').waitFor();
    // Neither the API's code nor its English message reaches the reader.
    expect(await alert.textContent()).not.toMatch(/REPORT_BEFORE_PURCHASE|2026-03-10/);

    await page.getByRole('banner').getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '查询保修权益' }).click();
    await alert.getByText('问题日期早于购买日期。').waitFor();
    expect(await alert.textContent()).not.toMatch(/[A-Z_]{6,}|before/);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('refuses a future purchase date in the picker: the store’s today is its last day', async () => {
    const page = await openPage('/coverage');
    const purchase = page.getByLabel('Purchase date');
    expect(await purchase.getAttribute('max')).toBe(Temporal.Now.plainDateISO('Asia/Shanghai').toString());
    await purchase.fill(day(Temporal.Now.plainDateISO('Asia/Shanghai').toString(), 1));
    await page.getByLabel('Date of the problem').fill(day(today, 2));
    await page.getByRole('button', { name: 'Check my coverage' }).click();
    // The browser refuses the form: the date is past the picker's last day, and nothing is asked.
    expect(await purchase.evaluate((input: HTMLInputElement) => input.validity.rangeOverflow)).toBe(true);
    expect(await page.getByRole('main').getByRole('alert').count()).toBe(0);
  });

  it('counts days on the store’s calendar, not the browser’s: 01:30 in Shanghai is already the 3rd', async () => {
    if (!browser || !server) throw new Error('the browser and the server start before the tests');
    // 2 December 17:30 UTC: 09:30 on the 2nd in Los Angeles, where the browser is; 01:30 on the 3rd in
    // Shanghai, where the store counts.
    const context = await browser.newContext({
      locale: 'en-US',
      timezoneId: 'America/Los_Angeles',
      viewport: { width: 1280, height: 900 },
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.clock.setFixedTime(new Date('2026-12-02T17:30:00Z'));
    await page.goto(new URL('/coverage', server.url).toString());
    await expect.poll(() => page.getByLabel('Date of the problem').inputValue()).toBe('2026-12-03');
    expect(await page.getByLabel('Purchase date').getAttribute('max')).toBe('2026-12-03');
  });

  it('asks for the session without an error in the console of any public page', async () => {
    if (!browser || !server) throw new Error('the browser and the server start before the tests');
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    // Every console error this time, a refused request (401 on /me) included.
    const errors: string[] = [];
    const failed: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    for (const pathname of [
      '/',
      '/coverage',
      '/track',
      '/report',
      '/sign-in',
      '/sign-up',
      '/forgot-password',
    ]) {
      await page.goto(new URL(pathname, server.url).toString());
      await page.getByRole('main').getByRole('heading', { level: 1 }).first().waitFor();
      await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    }
    expect(errors).toEqual([]);
    expect(failed).toEqual([]);
  });

  it('folds the header into a menu button on a phone, usable by keyboard and screen reader', async () => {
    const page = await openPage('/coverage');
    const banner = page.getByRole('banner');
    // On a desktop the links are in the header and there is no menu button.
    await banner
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Am I covered?' })
      .waitFor();
    expect(await banner.getByRole('button', { name: 'Menu', exact: true }).count()).toBe(0);

    for (const [lang, menu, policyLink] of [
      ['en', 'Menu', 'Support policy'],
      ['zh', '菜单', '售后政策'],
    ] as const) {
      await page.setViewportSize({ width: 390, height: 844 });
      const button = banner.getByRole('button', { name: menu, exact: true });
      await button.waitFor();
      expect(await banner.getByRole('navigation').count()).toBe(0);
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      await screenshot(page, `header-phone-closed-${lang}`);
      // By keyboard: focus the button, open it with Enter.
      await button.focus();
      await page.keyboard.press('Enter');
      const drawer = page.getByRole('dialog', { name: menu });
      await drawer.waitFor();
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      // Checked once it has slid in: half-way, its text is still faint.
      await page.waitForFunction(() => document.getAnimations().length === 0);
      // One banner: the drawer's title bar is not a second page header.
      expect(await page.getByRole('banner').count()).toBe(1);
      const nav = drawer.getByRole('navigation', { name: lang === 'en' ? 'Main' : '主导航' });
      await nav.getByRole('link', { name: policyLink }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `header-phone-menu-${lang}`);
      // Escape closes it and gives the focus back to the button.
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
      await expect.poll(() => button.evaluate((b) => b === document.activeElement)).toBe(true);
      // Following a link closes the drawer too.
      await button.click();
      await nav.getByRole('link', { name: policyLink }).click();
      await page.waitForURL('**/support');
      await drawer.waitFor({ state: 'hidden' });
      if (lang === 'en') {
        // The language switch stays in the header on a phone.
        await banner.getByRole('button', { name: '中文' }).click();
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }
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
