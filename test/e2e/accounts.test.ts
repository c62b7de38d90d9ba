import { builtInPolicyVersions } from '../../src/domain/policy/halotek.js';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_ACCOUNTS,
  DEMO_DEALERS,
  DEMO_PASSWORD,
  DEMO_POLICY_DRAFT_ID,
  DEMO_SERVICE_CENTERS,
} from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import { SCREENSHOTS, screenshot, seriousViolations } from '../support/browser.js';
import { browserAvailable, CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/e2e.js';
import { startTestServer, type TestServer } from '../support/server.js';

/*
 * Accounts and the admin console in a real browser, against the real server: signing in and out, the
 * role guard, an invitation from the admin's form to the invited technician's first page, and axe-core
 * on each screen in both languages. Without Chromium the suite is skipped with a warning.
 */

function demo(role: Role): { name: string; email: string } {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

const [shenzhenCenter] = DEMO_SERVICE_CENTERS;

describe.skipIf(!browserAvailable())('accounts and admin console (Chromium)', () => {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  /** A fresh visitor (own cookies, no remembered language), the browser speaking `locale`. */
  async function openPage(pathname: string, locale = 'en-US'): Promise<Page> {
    if (!browser || !server) throw new Error('the browser and the server start before the tests');
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    // Steps take about a second on a loaded machine; a missing element should fail in 20 s, not 30.
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${pathname}: ${error.message}`));
    page.on('console', (message) => {
      // A refusal by the API (4xx: a wrong password, /me signed out) is part of a scenario.
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

  /** The table row whose header cell or cell reads exactly `text`. */
  const rowOf = (scope: Locator, text: string) =>
    scope.getByRole('row').filter({ has: scope.page().getByText(text, { exact: true }) });

  /** The header's account button: the user's name and role. */
  const userMenu = (page: Page) => page.getByRole('banner').getByTestId('user-menu');

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

  it('signs the demo admin in to the console, and out again', async () => {
    const admin = demo('admin');
    const page = await openPage('/sign-in');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-en');

    await signIn(page, admin.email);
    await page.waitForURL('**/admin/users');
    await expect.poll(() => userMenu(page).textContent()).toBe(`${admin.name}Administrator`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Admin console' })
      .waitFor();
    const users = page.getByRole('main');
    await users.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    for (const account of DEMO_ACCOUNTS) await users.getByRole('cell', { name: account.email }).waitFor();
    await rowOf(users, demo('technician').email).getByText(shenzhenCenter.nameEn).waitFor();

    await userMenu(page).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Admin console' }).count()).toBe(0);
  });

  it('signs the demo customer in as a customer, without the admin console', async () => {
    const customer = demo('customer');
    const page = await openPage('/sign-in');
    await signIn(page, customer.email);
    await expect.poll(() => userMenu(page).textContent()).toBe(`${customer.name}Customer`);
    // A customer lands on their products, not on the public policy page.
    await page.waitForURL('**/my-products');
    expect(await page.getByRole('link', { name: 'Admin console' }).count()).toBe(0);
  });

  it('lands each member of staff on their own desk after signing in', async () => {
    const desks: readonly (readonly [Role, string])[] = [
      ['support', '/desk/support/claims'],
      ['dealer', '/desk/dealer/sales'],
      ['sales', '/desk/sales/paid-service'],
      ['technician', '/repairs'],
      ['qa', '/qa/lots'],
      ['oem', '/oem/orders'],
    ];
    for (const [role, path] of desks) {
      const page = await openPage('/sign-in');
      await signIn(page, demo(role).email);
      await page.waitForURL((url) => url.pathname === path);
      await page.getByRole('main').getByRole('heading', { level: 1 }).first().waitFor();
      await page.context().close();
    }
  });

  it('keeps a return-to link on this site: a hostile `next` lands on the desk instead', async () => {
    const hostile = [
      '//evil.example/steal',
      '/\\evil.example/steal',
      'https://evil.example/',
      'javascript:alert(1)',
    ];
    for (const next of hostile) {
      const page = await openPage(`/sign-in?next=${encodeURIComponent(next)}`);
      await signIn(page, demo('support').email);
      await page.waitForURL((url) => url.pathname === '/desk/support/claims');
      expect(new URL(page.url()).origin).toBe(new URL(server?.url ?? '').origin);
      await page.context().close();
    }
    // A tab or a line feed (which the URL parser drops, making `/\t/evil` into `//evil`) does not
    // even reach the page: the server refuses control characters in a query.
    const tabbed = await openPage(`/sign-in?next=${encodeURIComponent('/\t/evil.example')}`);
    await tabbed.getByText('CONTROL_CHARACTER').waitFor();
    // A path of this site still wins over the desk.
    const page = await openPage(`/sign-in?next=${encodeURIComponent('/desk/support/messages?x=1')}`);
    await signIn(page, demo('support').email);
    await page.waitForURL((url) => url.pathname === '/desk/support/messages' && url.search === '?x=1');
  });

  it('shows the API’s refusal of a wrong password', async () => {
    const page = await openPage('/sign-in');
    await signIn(page, demo('admin').email, 'not-the-password');
    const alert = page.getByRole('main').getByRole('alert');
    await alert.getByText('Wrong e-mail address or password').waitFor();
    await alert.getByText('Invalid email or password').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('sends a visitor to sign in first, and back to the page afterwards', async () => {
    const page = await openPage('/admin/invitations');
    await page.waitForURL('**/sign-in?next=%2Fadmin%2Finvitations');
    await signIn(page, demo('admin').email);
    await page.waitForURL('**/admin/invitations');
    await page.getByRole('heading', { level: 1, name: 'Invitations' }).waitFor();
  });

  it('tells the demo dealer the admin console is not theirs, as the API does', async () => {
    const dealer = demo('dealer');
    const page = await openPage('/sign-in?next=%2Fadmin');
    await signIn(page, dealer.email);
    await page.waitForURL('**/admin');
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'You don’t have access to this page' }).waitFor();
    await main.getByText(`You are signed in as ${dealer.name} (Dealer)`).waitFor();
    await main.getByRole('link', { name: 'Go to the home page' }).waitFor();
    expect(await page.getByRole('link', { name: 'Admin console' }).count()).toBe(0);
    // The page is a courtesy: the API itself refuses the dealer, with its session cookie.
    const refused = await page.evaluate(async () => {
      const res = await fetch('/api/v1/users', { headers: { accept: 'application/json' } });
      const body = (await res.json()) as { error: { code: string } };
      return { status: res.status, code: body.error.code };
    });
    expect(refused).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'forbidden-en');
  });

  it('invites a technician for a service center; the link makes the account, signed in', async () => {
    if (!server || !browser) throw new Error('started in beforeAll');
    const admin = await openPage('/sign-in?next=%2Fadmin%2Finvitations');
    await signIn(admin, demo('admin').email);
    const main = admin.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Invitations' }).waitFor();
    expect(await seriousViolations(admin)).toEqual([]);

    const email = 'new.technician@halotek.example.com';
    const form = main.getByRole('region', { name: 'Invite someone' });
    await form.getByLabel('E-mail address').fill(email);
    await form.getByLabel('Role').selectOption({ label: 'Technician' });
    await form.getByLabel('Service center').selectOption({ label: shenzhenCenter.nameEn });
    await form.getByRole('button', { name: 'Send invitation' }).click();
    await form.getByRole('status').getByText(`A link went to ${email}`).waitFor();
    const row = rowOf(main, email);
    await row.getByText('Pending').waitFor();
    await row.getByText(shenzhenCenter.nameEn).waitFor();
    // The button's loader fades out after the answer; the screenshot waits for it.
    await expect.poll(() => form.locator('button[data-loading]').count()).toBe(0);
    await screenshot(admin, 'admin-invitations-en');

    const message = await server.latestMessageTo(email);
    expect(message?.topic).toBe('account.invitation');
    const link = /(https?:\/\/\S+)/.exec(message?.body ?? '')?.[1];
    if (!link) throw new Error(`no link in ${message?.body ?? 'no message'}`);
    expect(new URL(link).origin).toBe(server.url);

    // The invited person: another browser profile, nobody signed in.
    const invited = await openPage(new URL(link).pathname + new URL(link).search);
    await invited.getByRole('heading', { level: 1, name: 'Accept your invitation' }).waitFor();
    expect(await seriousViolations(invited)).toEqual([]);
    await screenshot(invited, 'accept-invitation-en');
    await invited.getByLabel('Your name').fill('Tian Tech');
    await invited.getByLabel(/^Password/).fill('technician-password');
    await invited.getByRole('button', { name: 'Create my account' }).click();
    await expect.poll(() => userMenu(invited).textContent()).toBe('Tian TechTechnician');
    // A technician lands on the center's queue.
    await invited.waitForURL((url) => url.pathname === '/repairs');

    await admin.reload();
    await rowOf(main, email).getByText('Accepted').waitFor();
  });

  it('makes a dealer’s API key; the machine records a sale with it until the admin revokes it', async () => {
    if (!server) throw new Error('started in beforeAll');
    const admin = await openPage('/sign-in?next=%2Fadmin%2Fapi-keys');
    await signIn(admin, demo('admin').email);
    const main = admin.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    const form = main.getByRole('region', { name: 'Make a key' });
    await form.getByLabel(/^Name/).fill('Shenzhen store POS');
    await form.getByLabel(/^Role/).selectOption({ label: 'Dealer' });
    await form.getByRole('combobox', { name: /^Dealer/ }).selectOption({ label: DEMO_DEALERS[0].name });
    await form.getByRole('button', { name: 'Make key' }).click();
    const key = (await form.getByTestId('new-api-key').textContent())?.trim() ?? '';
    expect(key).toMatch(/^aftersales_key_/);
    await expect.poll(() => form.locator('button[data-loading]').count()).toBe(0);
    expect(await seriousViolations(admin)).toEqual([]);
    await screenshot(admin, 'admin-api-keys-en');

    // The point-of-sale system: no browser, no cookie, no Origin — the key alone.
    const sell = () =>
      fetch(new URL('/api/v1/purchases', server?.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          sku: 'BMS-24',
          purchaseDate: '2026-11-20',
          buyer: { name: 'Zhou Qiang', email: 'zhou.qiang@example.com' },
        }),
      });
    expect((await sell()).status).toBe(201);
    await admin.reload();
    const row = rowOf(main, 'Shenzhen store POS');
    await row.getByText('Active').waitFor();
    expect(await row.getByRole('cell').nth(4).textContent()).not.toBe('Never');

    admin.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke the key Shenzhen store POS' }).click();
    await row.getByText('Revoked').waitFor();
    const refused = await sell();
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('INVALID_API_KEY');

    await admin.setViewportSize({ width: 390, height: 844 });
    await admin.getByRole('button', { name: '中文' }).click();
    await main.getByRole('heading', { level: 1, name: 'API 密钥' }).waitFor();
    expect(await seriousViolations(admin)).toEqual([]);
    await screenshot(admin, 'admin-api-keys-phone-zh');
  });

  it('registers a webhook endpoint, sends it a signed test event, redelivers it, and disables it', async () => {
    // The integrator's receiver: checks every request's signature with the secret shown once.
    const received: { eventId: string; type: string; valid: boolean }[] = [];
    let secret = '';
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const [t, v1] = String(req.headers['aftersales-signature'])
          .split(',')
          .map((p) => p.slice(p.indexOf('=') + 1));
        const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
        received.push({
          eventId: String(req.headers['aftersales-event-id']),
          type: (JSON.parse(body) as { type: string }).type,
          valid: v1 === expected,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/aftersales/webhooks`;
    try {
      const admin = await openPage('/sign-in?next=%2Fadmin%2Fwebhooks');
      await signIn(admin, demo('admin').email);
      const main = admin.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
      const form = main.getByRole('region', { name: 'Register an endpoint' });
      await form.getByLabel(/^Endpoint URL/).fill(url);
      await form.getByLabel(/^Description/).fill('ERP bookings');
      await form.getByLabel('All event types').check();
      await form.getByRole('button', { name: 'Register endpoint' }).click();
      secret = (await form.getByTestId('new-webhook-secret').textContent())?.trim() ?? '';
      expect(secret).toMatch(/^whsec_/);
      await rowOf(main, url).getByText('Enabled').waitFor();
      await expect.poll(() => form.locator('button[data-loading]').count()).toBe(0);
      expect(await seriousViolations(admin)).toEqual([]);
      await screenshot(admin, 'admin-webhooks-en');

      await main.getByRole('link', { name: url }).click();
      await main.getByRole('heading', { level: 1, name: url }).waitFor();
      await main.getByRole('button', { name: 'Send test event' }).click();
      await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1);
      expect(received[0]).toMatchObject({ type: 'webhook.test', valid: true });
      const testEventId = received[0]?.eventId ?? '';
      await admin.reload();
      const testRow = main.getByRole('row').filter({ hasText: 'webhook.test' });
      await testRow.getByText('Delivered').waitFor();
      await testRow.getByRole('button', { name: `Redeliver webhook.test ${testEventId}` }).click();
      await expect.poll(() => received.length, { timeout: 15_000 }).toBe(2);
      expect(received[1]).toMatchObject({ eventId: testEventId, valid: true });
      await admin.reload();
      await main.getByText('redelivery', { exact: false }).first().waitFor();
      await main.getByText('1 attempt').first().click();
      await main.getByText('{"received":true}').first().waitFor();
      expect(await seriousViolations(admin)).toEqual([]);
      await screenshot(admin, 'admin-webhook-deliveries-en');
      // The list pages and filters like every list: none failed; both webhook.test deliveries shown.
      await main.getByRole('combobox', { name: 'Status' }).selectOption('failed');
      await main.getByText('No deliveries to show.').waitFor();
      await main.getByRole('combobox', { name: 'Status' }).selectOption('');
      await expect.poll(() => main.getByRole('row').filter({ hasText: testEventId }).count()).toBe(2);
      // One filter at a time: each change is written to the address before the next is made.
      await expect.poll(() => new URL(admin.url()).searchParams.has('status')).toBe(false);
      await main.getByRole('combobox', { name: 'Event' }).selectOption('webhook.test');
      await expect.poll(() => new URL(admin.url()).searchParams.get('eventType')).toBe('webhook.test');
      await expect.poll(() => main.getByRole('row').filter({ hasText: testEventId }).count()).toBe(2);
      expect(await main.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('');

      await admin.setViewportSize({ width: 390, height: 844 });
      await admin.getByRole('button', { name: '中文' }).click();
      await main.getByRole('button', { name: '发送测试事件' }).waitFor();
      expect(await seriousViolations(admin)).toEqual([]);
      await screenshot(admin, 'admin-webhook-deliveries-phone-zh');
      await main.getByRole('link', { name: '← 全部端点' }).click();
      await main.getByRole('heading', { level: 1, name: 'Webhook' }).waitFor();
      await rowOf(main, url).getByText('已启用').waitFor();
      expect(await seriousViolations(admin)).toEqual([]);
      await screenshot(admin, 'admin-webhooks-phone-zh');
      await rowOf(main, url)
        .getByRole('button', { name: `停用端点 ${url}` })
        .click();
      await rowOf(main, url).getByText('已停用').waitFor();
      admin.once('dialog', (dialog) => void dialog.accept());
      await rowOf(main, url)
        .getByRole('button', { name: `删除端点 ${url}` })
        .click();
      await main.getByText('尚无端点。').waitFor();
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) =>
        receiver.close(() => {
          resolve();
        }),
      );
    }
  });

  it('passes axe-core on sign-in and the admin screens, in Chinese', async () => {
    const page = await openPage('/sign-in', 'zh-CN');
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: '登录' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-zh');

    await main.getByLabel('邮箱').fill(demo('admin').email);
    await main.getByLabel(/^密码/).fill(DEMO_PASSWORD);
    await main.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/admin/users');
    await main.getByRole('heading', { level: 1, name: '用户' }).waitFor();
    await main.getByRole('cell', { name: demo('qa').email }).waitFor();
    await rowOf(main, demo('technician').email).getByText(shenzhenCenter.nameZh).waitFor();
    await expect.poll(() => userMenu(page).textContent()).toBe(`${demo('admin').name}管理员`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users-zh');

    await page.getByRole('navigation', { name: '管理控制台' }).getByRole('link', { name: '邀请' }).click();
    await main.getByRole('heading', { level: 1, name: '邀请' }).waitFor();
    await main.getByLabel('角色').selectOption({ label: '经销商' });
    await main.getByRole('combobox', { name: /^经销商/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-invitations-zh');
  });

  it('passes axe-core on the users screen and its dialogs, in English', async () => {
    const page = await openPage('/sign-in?next=%2Fadmin%2Fusers');
    await signIn(page, demo('admin').email);
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await main.getByRole('cell', { name: demo('qa').email }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users-en');

    // Deactivation asks first, and a cancelled dialog changes nothing.
    await main.getByRole('button', { name: `Deactivate: ${demo('sales').name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Deactivate ${demo('sales').name}?` });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-users-deactivate-en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const salesRow = rowOf(main, demo('sales').email);
    await salesRow.getByText('Active', { exact: true }).waitFor();
    await main.getByRole('button', { name: `Deactivate: ${demo('sales').name}` }).click();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await salesRow.getByText('Deactivated').waitFor();

    // Moving the QA account to sales takes effect in the table.
    await main.getByRole('button', { name: `Change role: ${demo('qa').name}` }).click();
    const roleDialog = page.getByRole('dialog', { name: `Change the role of ${demo('qa').name}` });
    await roleDialog.getByLabel('Role').selectOption({ label: 'Sales' });
    await roleDialog.getByRole('button', { name: 'Save' }).click();
    await roleDialog.waitFor({ state: 'hidden' });
    await rowOf(main, demo('qa').email).getByText('Sales').waitFor();
  });

  it('lets a customer sign up, confirm the address, and reset a forgotten password', async () => {
    if (!server) throw new Error('started in beforeAll');
    const email = 'zhou.min@example.com';
    const page = await openPage('/sign-up');
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Create a customer account' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'sign-up-en');
    await main.getByLabel('Your name').fill('Zhou Min');
    await main.getByLabel('E-mail address').fill(email);
    await main.getByLabel(/^Password/).fill('zhou-min-password');
    await main.getByRole('button', { name: 'Create account' }).click();
    await main.getByRole('heading', { level: 1, name: 'Check your inbox to confirm' }).waitFor();

    // Not yet confirmed: the sign-in page says so.
    await page.goto(`${server.url}/sign-in`);
    await signIn(page, email, 'zhou-min-password');
    await main.getByRole('alert').getByText('Your e-mail address is not confirmed yet').waitFor();

    const verification = await server.latestMessageTo(email);
    expect(verification?.topic).toBe('account.email_verification');
    await page.goto(/(https?:\/\/\S+)/.exec(verification?.body ?? '')?.[1] ?? 'about:blank');
    await expect.poll(() => userMenu(page).textContent()).toBe('Zhou MinCustomer');

    await userMenu(page).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    await main.getByRole('link', { name: 'Forgot your password?' }).click();
    // The sign-in form has an e-mail field too: fill the one of the page the link leads to.
    await main.getByRole('heading', { level: 1, name: 'Forgot your password?' }).waitFor();
    await main.getByLabel('E-mail address').fill(email);
    await main.getByRole('button', { name: 'Send the link' }).click();
    await main.getByRole('status').getByText(`If ${email} has an account`).waitFor();
    const reset = await server.latestMessageTo(email);
    expect(reset?.topic).toBe('account.password_reset');
    await page.goto(/(https?:\/\/\S+)/.exec(reset?.body ?? '')?.[1] ?? 'about:blank');
    await main.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await main.getByLabel(/^New password/).fill('a-brand-new-password');
    await main.getByRole('button', { name: 'Change password' }).click();
    await main.getByText('Your password was changed').waitFor();
    await signIn(page, email, 'a-brand-new-password');
    await expect.poll(() => userMenu(page).textContent()).toBe('Zhou MinCustomer');
  });

  it('shows a new customer’s confirmation at Mail (no SMTP_URL); its link signs them in', async () => {
    if (!server) throw new Error('started in beforeAll');
    // Someone trying the demo signs up, then looks for the e-mail as the demo admin: no mail server.
    const email = 'wu.fang@example.com';
    const page = await openPage('/sign-up');
    const main = page.getByRole('main');
    await main.getByLabel('Your name').fill('Wu Fang');
    await main.getByLabel('E-mail address').fill(email);
    await main.getByLabel(/^Password/).fill('wu-fang-password');
    await main.getByRole('button', { name: 'Create account' }).click();
    await main.getByRole('heading', { level: 1, name: 'Check your inbox to confirm' }).waitFor();

    await page.goto(`${server.url}/sign-in`);
    await signIn(page, demo('admin').email);
    await page.waitForURL('**/admin/users');
    await page.getByRole('navigation', { name: 'Admin console' }).getByRole('link', { name: 'Mail' }).click();
    await main.getByRole('heading', { level: 1, name: 'Mail' }).waitFor();
    const row = rowOf(main, email);
    await row.getByText('Acts for the recipient').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-mail-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await main.getByRole('listitem').filter({ hasText: email }).waitFor();
    await screenshot(page, 'admin-mail-phone-en');
    await page.setViewportSize({ width: 1280, height: 900 });

    await row.getByRole('link').click();
    await page.waitForURL('**/admin/mail/*');
    const message = main.getByRole('article', { name: 'The message' });
    const link = message.getByRole('link', { name: /\/api\/auth\/verify-email\?token=/ }).first();
    await link.waitFor();
    await main.getByText('This link is real and works once').waitFor();
    await main.getByText(email, { exact: true }).waitFor();
    // Only the server's own link is a link; the message's text holds it (twice: English and Chinese).
    expect(await message.getByRole('link').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-mail-message-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'admin-mail-message-phone-en');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Followed from the Mail page: the address is confirmed and this browser is now Wu Fang's.
    expect(await link.getAttribute('href')).toMatch(/^\/api\/auth\/verify-email\?token=/);
    await link.click();
    await expect.poll(() => userMenu(page).textContent()).toBe('Wu FangCustomer');
    await page.waitForURL((url) => url.pathname === '/my-products' || url.pathname === '/');
  });

  it('passes axe-core on the Mail pages in Chinese, desktop and phone', async () => {
    if (!server) throw new Error('started in beforeAll');
    const email = 'zhao.lei@example.com';
    const signedUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '赵磊', email, password: 'zhao-lei-password', callbackURL: '/' }),
    });
    expect(signedUp.status).toBe(200);
    const page = await openPage('/sign-in?next=%2Fadmin%2Fmail', 'zh-CN');
    const main = page.getByRole('main');
    await main.getByLabel('邮箱').fill(demo('admin').email);
    await main.getByLabel(/^密码/).fill(DEMO_PASSWORD);
    await main.getByRole('button', { name: '登录' }).click();
    await main.getByRole('heading', { level: 1, name: '邮件' }).waitFor();
    await page.getByRole('navigation', { name: '管理控制台' }).getByRole('link', { name: '邮件' }).waitFor();
    await rowOf(main, email).getByText('代表收件人操作').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-mail-zh');
    await page.setViewportSize({ width: 390, height: 844 });
    const card = main.getByRole('listitem').filter({ hasText: email });
    await card.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-mail-phone-zh');

    await card.getByRole('link').click();
    await main.getByRole('article', { name: '邮件正文' }).waitFor();
    await main.getByRole('link', { name: '← 全部邮件' }).first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-mail-message-phone-zh');
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-mail-message-zh');
  });

  it('keeps the reference data and publishes a new policy version', async () => {
    const page = await openPage('/sign-in?next=%2Fadmin%2Fdealers');
    await signIn(page, demo('admin').email);
    const main = page.getByRole('main');
    const nav = page.getByRole('navigation', { name: 'Admin console' });

    await main.getByRole('heading', { level: 1, name: 'Dealers' }).waitFor();
    await main.getByRole('button', { name: 'Add' }).click();
    const addDealer = page.getByRole('dialog', { name: 'Add: Dealers' });
    await addDealer.getByLabel(/^Name(?! in Chinese)/).fill('Nanjing Jinling Power Co., Ltd.');
    // Its name in Chinese, for the Chinese screens.
    await addDealer.getByLabel(/^Name in Chinese/).fill('南京金陵电力有限公司');
    await addDealer.getByLabel('City').fill('Nanjing');
    await addDealer.getByRole('button', { name: 'Save' }).click();
    await addDealer.waitFor({ state: 'hidden' });
    await rowOf(main, 'Nanjing Jinling Power Co., Ltd.').getByText('Nanjing', { exact: true }).waitFor();
    await rowOf(main, 'Nanjing Jinling Power Co., Ltd.').getByText('南京金陵电力有限公司').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-dealers-en');

    await nav.getByRole('link', { name: 'Service centers' }).click();
    await main.getByRole('heading', { level: 1, name: 'Service centers' }).waitFor();
    await main.getByRole('button', { name: `Edit: ${shenzhenCenter.nameEn}` }).click();
    const center = page.getByRole('dialog', { name: `Edit: ${shenzhenCenter.nameEn}` });
    await center.getByLabel('Committed service days').fill('4');
    // The demo holidays are 2026's; next year's are pasted in as published, commas and all.
    const holidays = center.getByLabel('Public holidays');
    await expect.poll(() => holidays.inputValue()).toContain('2026-10-07');
    await holidays.fill(`${await holidays.inputValue()}\n2027-01-01, 2027-02-16`);
    await center.getByLabel('Make-up working days').press('End');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-service-center-edit-en');
    await center.getByRole('button', { name: 'Save' }).click();
    await center.waitFor({ state: 'hidden' });
    await rowOf(main, shenzhenCenter.nameEn).getByText('4 days').waitFor();
    await rowOf(main, shenzhenCenter.nameEn).getByText('35 closed · 6 worked').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-service-centers-en');

    for (const [link, heading, shot] of [
      ['OEM clients', 'OEM clients', 'admin-oem-clients-en'],
      ['Products', 'Products', 'admin-products-en'],
    ] as const) {
      await nav.getByRole('link', { name: link }).click();
      await main.getByRole('heading', { level: 1, name: heading }).waitFor();
      await main
        .getByRole('button', { name: /^Edit: / })
        .first()
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, shot);
    }

    await nav.getByRole('link', { name: 'Policy versions' }).click();
    await main.getByRole('heading', { level: 1, name: 'Policy versions' }).waitFor();
    // The built-in version in force on the server's today (the server runs on the real clock).
    const today = Temporal.Now.plainDateISO('Asia/Shanghai').toString();
    const inForce =
      builtInPolicyVersions.filter((v) => v.effectiveFrom <= today).at(-1)?.id ?? 'halotek-2018-01';
    await rowOf(main, inForce).getByText('In force').waitFor();
    await main.getByRole('button', { name: 'Draft a new version' }).click();
    const editor = main.getByRole('region', { name: 'New draft policy version' });
    const effective = Temporal.Now.plainDateISO('Asia/Shanghai').add({ days: 30 }).toString();
    await editor.getByLabel('Version').fill('halotek-e2e-01');
    await editor.getByLabel('Effective from').fill(effective);
    await editor.getByLabel('Service commitment (days)').fill('3');
    // Replacement within 90 days instead of 60.
    const sixty = editor.getByRole('group', { name: 'Within 60 days of purchase' });
    await sixty.getByLabel('Days').fill('90');
    await editor
      .getByRole('group', { name: /Terminal clients 1\(A\)/ })
      .getByLabel('English text')
      .fill('Go to the dealer who sold you the product and ask for a full refund within seven days.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policy-new-en');
    await editor.getByRole('button', { name: 'Save draft' }).click();
    await main.getByRole('status').getByText('halotek-e2e-01 is saved as a draft').waitFor();
    // A draft is not a version: the versions table does not list it, and nothing decides with it.
    expect(await rowOf(main, 'halotek-e2e-01').count()).toBe(0);
    const notYet = await page.evaluate(async () => (await fetch('/api/v1/policies/halotek-e2e-01')).status);
    expect(notYet).toBe(404);

    const draft = main.getByRole('region', { name: 'Draft halotek-e2e-01' });
    await draft.getByLabel('Claims of the last').selectOption('24');
    await draft.getByRole('button', { name: 'What if' }).click();
    const results = draft.getByRole('region', { name: 'What if halotek-e2e-01 had been in force' });
    await results.getByText('Decisions that differ').waitFor();
    await results.getByText(/Claims reported from .* under this draft and under/).waitFor();
    await results.getByRole('heading', { name: 'Estimated cost difference' }).waitFor();
    await results.getByRole('heading', { name: 'Remedies that move' }).waitFor();
    // The page shows what the API computes.
    const report = await page.evaluate(async () => {
      const drafts = (await (await fetch('/api/v1/policy-drafts')).json()) as {
        id: string;
        document: { id: string };
      }[];
      const mine = drafts.find((d) => d.document.id === 'halotek-e2e-01');
      const res = await fetch(`/api/v1/insight/what-if?draft=${mine?.id ?? ''}&months=24`);
      return (await res.json()) as { claims: number; decisionsDiffer: number; remediesMoved: number };
    });
    expect(await results.getByTestId('what-if-claims').textContent()).toBe(String(report.claims));
    expect(await results.getByTestId('what-if-decisionsDiffer').textContent()).toBe(
      String(report.decisionsDiffer),
    );
    expect(await results.getByTestId('what-if-remediesMoved').textContent()).toBe(
      String(report.remediesMoved),
    );
    expect(report.claims).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policy-what-if-en');

    await draft.getByRole('button', { name: 'Publish' }).click();
    await main.getByRole('status').getByText('halotek-e2e-01 is published').waitFor();
    await rowOf(main, 'halotek-e2e-01').getByText('Scheduled').waitFor();
    await draft.waitFor({ state: 'detached' });
    const published = await page.evaluate(async () => {
      const res = await fetch('/api/v1/policies/halotek-e2e-01');
      return (await res.json()) as { serviceCommitmentDays: number; effectiveFrom: string };
    });
    expect(published).toMatchObject({ serviceCommitmentDays: 3, effectiveFrom: effective });
  });

  it('shows the what-if of the demo draft in Chinese, on a desktop and a phone, and publishes it', async () => {
    const page = await openPage('/sign-in?next=%2Fadmin%2Fpolicies', 'zh-CN');
    const main = page.getByRole('main');
    await main.getByLabel('邮箱').fill(demo('admin').email);
    await main.getByLabel(/^密码/).fill(DEMO_PASSWORD);
    await main.getByRole('button', { name: '登录' }).click();
    await main.getByRole('heading', { level: 1, name: '政策版本' }).waitFor();
    const draft = main.getByRole('region', { name: `草稿 ${DEMO_POLICY_DRAFT_ID}` });
    await draft.getByRole('button', { name: '假设分析' }).click();
    const results = draft.getByRole('region', { name: `假如 ${DEMO_POLICY_DRAFT_ID} 当时已生效` });
    await results.getByText('判定不同').waitFor();
    await results.getByRole('heading', { name: '预计成本差额' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policy-what-if-zh');
    await page.setViewportSize({ width: 390, height: 844 });
    await results.getByText('补救方式变化').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policy-what-if-phone-zh');
    await page.setViewportSize({ width: 1280, height: 900 });

    await draft.getByRole('button', { name: '发布' }).click();
    await main
      .getByRole('status')
      .getByText(`${DEMO_POLICY_DRAFT_ID} 已发布，将于生效日期起适用。`)
      .waitFor();
    await rowOf(main, DEMO_POLICY_DRAFT_ID).getByText('待生效').waitFor();
    await main.getByText('暂无草稿。可先起草新版本，试算修改的影响。').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policy-published-zh');
  });
});
