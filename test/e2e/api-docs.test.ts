import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/e2e.js';
import { startTestServer } from '../support/server.js';

describe.skipIf(!browserAvailable())('API documentation (Chromium)', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser.close();
    await server.close();
  });

  it('renders the generated OpenAPI document, with the evaluate contract, under the CSP', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const res = await page.goto(`${server.url}/api/docs/`);
    expect(res?.status()).toBe(200);
    await expect
      .poll(() => page.locator('.opblock-summary-path').allTextContents(), { timeout: 15_000 })
      .toContain('/api/v1/entitlements/evaluate');
    expect(await page.locator('.title').first().textContent()).toContain('aftersales API');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
