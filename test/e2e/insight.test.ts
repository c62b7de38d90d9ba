import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { claims, endUsers, maintenanceOrders, outbox } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { sentText } from '../support/app.js';
import { screenshot } from '../support/browser.js';
import { useBrowserSuite } from '../support/browser-suite.js';
import { testDatabases } from '../support/databases.js';
import { browserAvailable } from '../support/e2e.js';

/*
 * Insight (issue 19 items 1 and 5) in Chromium: QA reads the service-level dashboard of the demo, filters
 * it by center through the address bar, in English and Chinese; a customer whose repair went back opens
 * the rating link from the e-mail, rates once, and the link then says it was used. axe on each screen,
 * screenshots at desktop and phone size.
 */

function demo(role: Role): { name: string; email: string } {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

/** A screen at desktop size, then at a phone's (390 × 844), and back. */
async function shots(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-phone`);
  if (size) await page.setViewportSize(size);
}

describe.skipIf(!browserAvailable()).each(testDatabases())('Insight on $name (Chromium)', (database) => {
  const { signedIn, openPage, settled, checkA11y, server } = useBrowserSuite(database);

  it('QA reads the service-level dashboard, filters it by center, in English and Chinese', async () => {
    const page = await signedIn(demo('qa').email, '/insight/service-levels');
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Service levels' }).waitFor();
    await settled(page);
    // The demo's twelve weeks of finished repairs, their ratings, and the technician rated.
    const weeks = main.getByRole('region', { name: 'Orders per center and week' });
    await expect.poll(() => weeks.getByRole('row').count()).toBeGreaterThan(5);
    const ratings = main.getByRole('region', { name: 'Customer ratings' });
    await ratings.getByText('Tang Wei (Shenzhen center)').waitFor();
    await checkA11y(page);
    await shots(page, 'insight-service-levels-en');

    // One center: the filter goes into the address bar, and the CSV export takes it too.
    await main
      .getByLabel('Service center')
      .selectOption({ label: 'Halotek Shenzhen After-sales Service Center' });
    await main.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/serviceCenterId=/);
    await settled(page);
    const centerId = new URL(page.url()).searchParams.get('serviceCenterId') ?? '';
    await expect
      .poll(() => main.getByRole('link', { name: 'Download CSV' }).getAttribute('href'))
      .toContain(`serviceCenterId=${centerId}`);
    const shown = await weeks.getByRole('rowheader').allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set(['Halotek Shenzhen After-sales Service Center']));

    await page.getByRole('button', { name: '中文' }).click();
    await main.getByRole('heading', { level: 1, name: '服务水平' }).waitFor();
    await settled(page);
    await checkA11y(page);
    await shots(page, 'insight-service-levels-zh');
  });

  it('a customer rates a returned repair once from the e-mailed link, in English and Chinese', async () => {
    // The Shenzhen technician finishes Liu Yang's demo repair, which sends the rating link.
    const db = server().db.db;
    const [order] = await db
      .select({ id: maintenanceOrders.id, version: maintenanceOrders.version, email: endUsers.email })
      .from(maintenanceOrders)
      .innerJoin(claims, eq(claims.id, maintenanceOrders.claimId))
      .innerJoin(endUsers, eq(endUsers.id, claims.endUserId))
      .where(and(eq(endUsers.name, 'Liu Yang'), eq(maintenanceOrders.state, 'received')));
    if (!order?.email) throw new Error('the demo has Liu Yang’s repair under way');
    const technician = await signedIn(demo('technician').email, '/repairs');
    let version = order.version;
    for (const step of [
      { to: 'diagnosing' },
      { to: 'repairing' },
      { to: 'repaired' },
      { to: 'returned', returnTracking: 'SF9876543210' },
    ]) {
      const res = await technician.request.post(
        new URL(`/api/v1/maintenance-orders/${order.id}/transitions`, server().url).toString(),
        { data: { ...step, expectedVersion: version }, headers: { origin: new URL(server().url).origin } },
      );
      expect(res.status(), await res.text()).toBe(200);
      version = ((await res.json()) as { version: number }).version;
    }
    // Sent beside the return's own message, in the same transaction.
    const [sent] = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.recipient, order.email), eq(outbox.topic, 'satisfaction.rating_requested')));
    const message = { body: sentText(sent) };
    const link = /https?:\/\/\S+\/rate\?token=[A-Za-z0-9_-]+/.exec(message.body)?.[0];
    if (!link) throw new Error(`no rating link in ${message.body}`);
    const path = new URL(link).pathname + new URL(link).search;

    const page = await openPage(path);
    const main = page.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'How did we do?' }).waitFor();
    await main.getByText(/Your maintenance order M-/).waitFor();
    await checkA11y(page);
    await shots(page, 'insight-rating-en');

    await page.getByRole('button', { name: '中文' }).click();
    await main.getByRole('heading', { level: 1, name: '请为我们的服务评分' }).waitFor();
    await main.getByLabel('4').check();
    await main.getByLabel(/还有什么想告诉我们的吗/).fill('修得很快，谢谢！');
    await checkA11y(page);
    await shots(page, 'insight-rating-zh');
    await main.getByRole('button', { name: '提交评价' }).click();
    await main.getByText('谢谢您').waitFor();
    await checkA11y(page);
    await screenshot(page, 'insight-rating-thanks-zh');

    // The link answers once: opened again, it says so.
    const again = await openPage(path);
    await again
      .getByRole('main')
      .getByText('This link has already been used to rate', { exact: true })
      .waitFor();
    await checkA11y(again);
    await shots(again, 'insight-rating-used-en');
  });
});
