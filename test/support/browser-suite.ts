import { mkdirSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/db/seed.js';
import { SCREENSHOTS, seriousViolations } from './browser.js';
import type { TestDatabase } from './databases.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e.js';
import { startTestServer, type TestServer } from './server.js';

export type BrowserSuite = {
  /** A page in a context of its own (its own cookies), at `pathname`; its errors fail the suite. */
  openPage: (pathname: string, locale?: string) => Promise<Page>;
  /** Opens `next` signed in as `email` (a demo account unless a password is given), through the sign-in page. */
  signedIn: (email: string, next: string, password?: string) => Promise<Page>;
  goTo: (page: Page, pathname: string) => Promise<void>;
  /** Waits until nothing is loading, so a screenshot or an axe check sees the page at rest. */
  settled: (page: Page) => Promise<void>;
  /** axe-core: no serious or critical violation on the page as it is. */
  checkA11y: (page: Page) => Promise<void>;
  /** The row of a table in `scope` that has a cell reading exactly `text`. */
  rowWith: (scope: Locator, text: string) => Locator;
  server: () => TestServer;
};

/**
 * A journey suite's browser and server: the real server on `database` with the demo data, Debian's
 * Chromium, one context per page. Registers its own beforeAll and afterAll; after the suite, any page
 * error or console error of any page fails it.
 */
export function useBrowserSuite(
  database: TestDatabase,
  /** The server's settings of this suite, read when it starts (after the suite's own earlier beforeAll). */
  env: () => Record<string, string> = () => ({}),
): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer(database, env());
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    expect(pageErrors).toEqual([]);
  });

  const started = (): TestServer => {
    if (!server) throw new Error('the server starts before the tests');
    return server;
  };

  async function openPage(pathname: string, locale = 'en-US'): Promise<Page> {
    if (!browser) throw new Error('the browser starts before the tests');
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${pathname}: ${error.message}`));
    page.on('console', (message) => {
      // A refusal by the API (4xx) is part of a scenario.
      if (message.type() !== 'error' || /status of 4\d\d/.test(message.text())) return;
      pageErrors.push(`${pathname}: console: ${message.text()}`);
    });
    await page.goto(new URL(pathname, started().url).toString());
    return page;
  }

  return {
    openPage,
    async signedIn(email, next, password = DEMO_PASSWORD) {
      const page = await openPage(`/sign-in?next=${encodeURIComponent(next)}`);
      const main = page.getByRole('main');
      await main.getByLabel(/E-mail address|邮箱/).fill(email);
      await main.getByLabel(/^Password|^密码/).fill(password);
      await main.getByRole('button', { name: /^Sign in$|^登录$/ }).click();
      await page.waitForURL(`**${next}`);
      return page;
    },
    async goTo(page, pathname) {
      await page.goto(new URL(pathname, started().url).toString());
    },
    async settled(page) {
      await expect
        .poll(() => page.locator('[data-loading], [role="status"].mantine-Loader-root').count())
        .toBe(0);
    },
    async checkA11y(page) {
      expect(await seriousViolations(page)).toEqual([]);
    },
    rowWith: (scope, text) =>
      scope.getByRole('row').filter({ has: scope.page().getByText(text, { exact: true }) }),
    server: started,
  };
}
