import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FAULT_PNG } from '../../src/db/demo-fault-photo.js';
import { purchases, serviceCenters } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PURCHASES, DEMO_SERVICE_CENTERS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { screenshot } from '../support/browser.js';
import { useBrowserSuite } from '../support/browser-suite.js';
import { browserAvailable } from '../support/e2e.js';
import { testDatabases } from '../support/databases.js';
import { insertOrder } from '../support/maintenance.js';
import { type ReceivedMail, startSmtpServer } from '../support/smtp.js';

/*
 * Issue 16's done-when: the demo customer and the Shenzhen technician converse about a repair through
 * the portal and by e-mail. The staff reply goes out through the outbox to a real SMTP server (the
 * customer's mailbox), with a Reply-To of the conversation; the customer's answer comes back from a real
 * SMTP client (nodemailer) to the inbound listener the server started, with a photo. The technician's
 * internal note is never on the customer's screen nor in any e-mail. Both languages, axe on every screen,
 * screenshots at desktop (1280) and phone (390) size.
 */

const REPLY_DOMAIN = 'halotek.example.com';

function demo(role: Role): { name: string; email: string } {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

type Answer = { status: number; body: unknown };

/** A JSON request from the page, with its session cookie and its origin, as the app's own fetches. */
function api(page: Page, method: string, path: string, body?: unknown): Promise<Answer> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as unknown };
    },
    { method, path, body },
  );
}

async function switchLanguage(page: Page, name: 'English' | '中文'): Promise<void> {
  await page
    .getByRole('group', { name: /Language|语言/ })
    .getByRole('button', { name })
    .click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(name === '中文' ? 'zh-CN' : 'en');
}

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe.skipIf(!browserAvailable()).each(testDatabases())(
  'conversations in the portal and by e-mail on $name (Chromium)',
  (database) => {
    let mailbox: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
    beforeAll(async () => {
      mailbox = await startSmtpServer();
    });
    afterAll(async () => {
      await mailbox?.close();
    });
    const { signedIn, goTo, settled, checkA11y, server } = useBrowserSuite(database, () => ({
      SMTP_URL: mailbox?.url ?? '',
      SMTP_FROM: `Halotek After-sales <service@${REPLY_DOMAIN}>`,
      OUTBOX_INTERVAL_SECONDS: '0.2',
      INBOUND_SMTP_PORT: '0',
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_REPLY_DOMAIN: REPLY_DOMAIN,
    }));

    it('the customer asks with a photo, the technician answers and notes, the customer replies by e-mail', async () => {
      const customerEmail = demo('customer').email;
      // Li Wei's headset: the claim, and the repair the Shenzhen center took on (the repair's own journey
      // is service-journeys'; here it is the subject of the conversation).
      const customer = await signedIn(customerEmail, '/my-claims');
      const headset = DEMO_PURCHASES.find((p) => p.expectedWindow === '7_days');
      const [purchase] = await server()
        .db.db.select({ id: purchases.id })
        .from(purchases)
        .where(eq(purchases.buyerEmail, customerEmail));
      if (!headset || !purchase) throw new Error('Li Wei’s demo headset');
      const reported = await api(customer, 'POST', '/api/v1/claims', {
        purchaseId: purchase.id,
        cause: 'quality',
        description: 'The right earpiece crackles at any volume.',
      });
      expect(reported.status, JSON.stringify(reported.body)).toBe(201);
      const claim = reported.body as { id: string; version: number };
      const chosen = await api(customer, 'POST', `/api/v1/claims/${claim.id}/remedy`, {
        remedy: 'service_center',
        expectedVersion: claim.version,
      });
      expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
      const [shenzhen] = await server()
        .db.db.select({ id: serviceCenters.id })
        .from(serviceCenters)
        .where(eq(serviceCenters.nameEn, DEMO_SERVICE_CENTERS[0].nameEn));
      const order = await insertOrder(server().db.db, {
        claimId: claim.id,
        serviceCenterId: shenzhen?.id ?? '',
        mode: 'walk_in',
      });

      // 1. The customer asks, with a photo of the fault, on their claim's page.
      await goTo(customer, `/my-claims/${claim.id}`);
      const main = customer.getByRole('main');
      const conversation = main.getByRole('region', { name: 'Conversation' });
      await conversation.getByText(/No messages yet/).waitFor();
      await conversation
        .getByLabel('Your message')
        .fill('It crackles even at low volume. A photo is attached.');
      await conversation.locator('input[type="file"]').setInputFiles({
        name: 'earpiece.png',
        mimeType: 'image/png',
        buffer: DEMO_FAULT_PNG,
      });
      await conversation.getByRole('button', { name: 'Send' }).click();
      await conversation.getByText('File: earpiece.png').waitFor();
      await settled(customer);
      await checkA11y(customer);
      await screenshot(customer, 'conversation-customer-asked-en');

      // 2. The technician finds it waiting in the queue, oldest first, and opens the order.
      const technician = await signedIn(demo('technician').email, '/conversations');
      const queue = technician.getByRole('main');
      await queue.getByRole('heading', { level: 1, name: 'Waiting for an answer' }).waitFor();
      const items = queue.getByRole('listitem');
      await items.first().waitFor();
      const names = await items.getByRole('link').allTextContents();
      // The seeded conversation of the late repair waits since two days ago: before Li Wei's of today.
      expect(names.findIndex((n) => n.startsWith('Huang Tao'))).toBeLessThan(
        names.findIndex((n) => n.startsWith('Li Wei')),
      );
      await settled(technician);
      await checkA11y(technician);
      await screenshot(technician, 'conversation-queue-technician-en');
      await queue.getByRole('link', { name: new RegExp(`^Li Wei · .*${order.maintenanceNumber}`) }).click();
      await technician.waitForURL(`**/repairs/${order.id}`);
      const staffPanel = technician.getByRole('main').getByRole('region', { name: 'Conversation' });
      await staffPanel.getByText('It crackles even at low volume. A photo is attached.').waitFor();
      await staffPanel.getByText('The customer is waiting for an answer.').waitFor();
      // The customer's photo opens for staff.
      const photoLink = staffPanel.getByRole('link', { name: 'File: earpiece.png' });
      const photoHref = (await photoLink.getAttribute('href')) ?? '';
      const photo = await technician.request.get(new URL(photoHref, server().url).toString());
      expect(photo.status()).toBe(200);
      expect(Buffer.from(await photo.body()).equals(DEMO_FAULT_PNG)).toBe(true);

      // 3. An internal note for colleagues, marked, then the reply to the customer.
      await staffPanel.getByText('Internal note', { exact: true }).click();
      await staffPanel
        .getByLabel('Internal note (staff only)')
        .fill('Crackle on the right driver: likely the flex cable.');
      await staffPanel.getByRole('button', { name: 'Add internal note' }).click();
      const note = staffPanel.getByTestId('internal-note');
      await note.getByText('Crackle on the right driver: likely the flex cable.').waitFor();
      await note.getByText('Internal note — customer never sees this').waitFor();
      await staffPanel.getByText('Reply to customer', { exact: true }).click();
      await staffPanel
        .getByLabel('Reply to the customer')
        .fill('Thank you. Could you send a photo of the label on the box? Just reply to this e-mail.');
      await staffPanel.getByRole('button', { name: 'Send' }).click();
      await staffPanel.getByText(/Could you send a photo of the label/).waitFor();
      await settled(technician);
      await checkA11y(technician);
      await screenshot(technician, 'conversation-technician-en');
      await technician.setViewportSize(PHONE);
      await screenshot(technician, 'conversation-technician-phone-en');
      await switchLanguage(technician, '中文');
      await technician
        .getByRole('main')
        .getByRole('region', { name: '对话' })
        .getByText('内部备注——客户永远看不到')
        .waitFor();
      await checkA11y(technician);
      await screenshot(technician, 'conversation-technician-phone-zh');
      await technician.setViewportSize(DESKTOP);
      await screenshot(technician, 'conversation-technician-zh');
      await switchLanguage(technician, 'English');

      // 4. The reply reaches the customer's mailbox with a reply address of this conversation; the note
      // is in no e-mail.
      let mail: ReceivedMail | undefined;
      await expect
        .poll(
          () => {
            mail = mailbox?.received.find(
              (m) => m.to.includes(customerEmail) && /Could you send a photo of the label/.test(m.raw),
            );
            return mail !== undefined;
          },
          { timeout: 20_000 },
        )
        .toBe(true);
      const unfolded = (mail?.raw ?? '').replace(/\r?\n[ \t]+/g, ' ');
      const replyTo = /^Reply-To:\s*(reply\+[A-Za-z0-9_-]{43}@halotek\.example\.com)\r?$/im.exec(
        unfolded,
      )?.[1];
      expect(replyTo, mail?.raw).toBeDefined();
      expect(mailbox?.received.some((m) => m.raw.includes('flex cable'))).toBe(false);

      // 5. The customer answers from their mail program, quoting the message, with the photo of the label.
      const port = server().inboundSmtpPort;
      expect(port).toBeGreaterThan(0);
      const sent = await nodemailer
        .createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
        .sendMail({
          from: `Li Wei <${customerEmail}>`,
          to: replyTo,
          subject: 'Re: Your repair',
          text: 'Here is the label.\n\nOn 3 Dec 2026, Halotek After-sales wrote:\n> Could you send a photo of the label on the box?\n',
          attachments: [{ filename: 'label.png', content: DEMO_FAULT_PNG }],
        });
      expect(sent.response).toMatch(/^250/);

      // 6. The technician sees it, by e-mail, with its photo, and the conversation waits for staff again.
      await technician.reload();
      const again = technician.getByRole('main').getByRole('region', { name: 'Conversation' });
      const byEmail = again.getByTestId('conversation-message').filter({ hasText: 'Here is the label.' });
      await byEmail.getByText('by e-mail').waitFor();
      await byEmail.getByRole('link', { name: 'File: label.png' }).waitFor();
      await expect.poll(() => byEmail.textContent()).not.toMatch(/Could you send a photo/);
      await again.getByText('The customer is waiting for an answer.').waitFor();

      // A second answer from the customer's office address is held for staff, who release it.
      const office = await nodemailer
        .createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })
        .sendMail({
          from: 'Li Wei <li.wei@office.example.org>',
          to: replyTo,
          subject: 'Re: Your repair',
          text: 'From my office: the serial is on the same label.',
        });
      expect(office.response).toMatch(/^250/);
      await technician.reload();
      const heldPanel = technician.getByRole('main').getByRole('region', { name: 'Conversation' });
      const held = heldPanel.getByTestId('internal-note').filter({ hasText: 'From my office' });
      await held.getByText("Held: not from the customer's address").waitFor();
      await settled(technician);
      await checkA11y(technician);
      await screenshot(technician, 'conversation-held-en');
      await held.getByRole('button', { name: 'Release into the conversation' }).click();
      const released = heldPanel.getByTestId('conversation-message').filter({ hasText: 'From my office' });
      await released.getByText('Released from hold').waitFor();

      // 7. The customer's page: the reply and their e-mail with its photo, never the internal note.
      await customer.reload();
      const own = customer.getByRole('main').getByRole('region', { name: 'Conversation' });
      await own.getByText(/Could you send a photo of the label/).waitFor();
      await own.getByText('Here is the label.').waitFor();
      await own.getByRole('link', { name: 'File: label.png' }).waitFor();
      await own.getByText('From my office: the serial is on the same label.').waitFor();
      expect(await customer.getByRole('main').textContent()).not.toContain('flex cable');
      expect(await customer.getByTestId('internal-note').count()).toBe(0);
      await settled(customer);
      await checkA11y(customer);
      await screenshot(customer, 'conversation-customer-en');
      await customer.setViewportSize(PHONE);
      await screenshot(customer, 'conversation-customer-phone-en');
      await switchLanguage(customer, '中文');
      await customer
        .getByRole('main')
        .getByRole('region', { name: '对话' })
        .getByRole('button', { name: '发送' })
        .waitFor();
      await checkA11y(customer);
      await screenshot(customer, 'conversation-customer-phone-zh');
      await customer.setViewportSize(DESKTOP);
      await screenshot(customer, 'conversation-customer-zh');
      expect(await customer.getByRole('main').textContent()).not.toContain('flex cable');
    });

    it('support sees the waiting conversations oldest first, and a list’s Find button passes axe when hovered', async () => {
      const support = await signedIn(demo('support').email, '/desk/support/conversations');
      const main = support.getByRole('main');
      await main.getByRole('heading', { level: 1, name: 'Waiting for an answer' }).waitFor();
      await main.getByRole('listitem').first().waitFor();
      await settled(support);
      await checkA11y(support);
      await screenshot(support, 'conversation-queue-support-en');
      await support.setViewportSize(PHONE);
      await switchLanguage(support, '中文');
      await main.getByRole('heading', { level: 1, name: '等待回复' }).waitFor();
      await checkA11y(support);
      await screenshot(support, 'conversation-queue-support-phone-zh');
      await support.setViewportSize(DESKTOP);
      await switchLanguage(support, 'English');

      // The seeded conversation: the customer's photo, the technician's reply and the internal note.
      const dealer = await signedIn(demo('dealer').email, '/desk/dealer/conversations');
      await dealer
        .getByRole('main')
        .getByRole('link', { name: /^Huang Tao/ })
        .click();
      await dealer
        .getByRole('main')
        .getByRole('heading', { level: 1, name: /^Conversation about/ })
        .waitFor();
      await dealer
        .getByText('It has been two weeks. Is there any news about the rectifier module?')
        .waitFor();
      await settled(dealer);
      await checkA11y(dealer);
      await screenshot(dealer, 'conversation-dealer-en');

      // Waiting for me: the technician's work across its queues, oldest first, its count in the header.
      const technician = await signedIn(demo('technician').email, '/desk/inbox');
      const inbox = technician.getByRole('main');
      await inbox.getByRole('heading', { level: 1, name: 'Waiting for me' }).waitFor();
      await inbox
        .getByRole('listitem')
        .filter({ hasText: 'Customer waiting for an answer' })
        .first()
        .waitFor();
      await inbox.getByRole('listitem').filter({ hasText: 'Repair to work' }).first().waitFor();
      const header = technician
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /^Waiting for me/ });
      await expect.poll(() => header.textContent()).toMatch(/Waiting for me\d+/);
      await settled(technician);
      await checkA11y(technician);
      await screenshot(technician, 'inbox-technician-en');
      await technician.setViewportSize(PHONE);
      await switchLanguage(technician, '中文');
      await inbox.getByRole('heading', { level: 1, name: '待我处理' }).waitFor();
      await checkA11y(technician);
      await screenshot(technician, 'inbox-technician-phone-zh');

      // The list kit's Find button, hovered: its text stays readable (WCAG AA) on the hover background.
      await goTo(support, '/desk/support/claims');
      const find = support.getByRole('main').getByRole('button', { name: 'Find', exact: true });
      await find.hover();
      await expect
        .poll(() => find.evaluate((el) => getComputedStyle(el).backgroundColor))
        .not.toBe('rgba(0, 0, 0, 0)');
      await checkA11y(support);
      await switchLanguage(support, '中文');
      const findZh = support.getByRole('main').getByRole('button', { name: '查找', exact: true });
      await findZh.hover();
      await checkA11y(support);
    });
  },
);
