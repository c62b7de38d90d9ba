import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  DEMO_ACCOUNTS,
  DEMO_FLAGGED_OEM_ORDER,
  DEMO_OEM_CLIENT,
  DEMO_OEM_ORDER,
  DEMO_SKUS,
} from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { screenshot } from '../support/browser.js';
import { useBrowserSuite } from '../support/browser-suite.js';
import { browserAvailable } from '../support/e2e.js';
import { testDatabases } from '../support/databases.js';
import { PNG } from '../support/oem-fixtures.js';

/*
 * The OEM clauses in a real browser against the real server: an OEM order whose defects run past its
 * spares and end in a credit on the client's next order (the client's own user, in the OEM portal), and
 * a batch defect that ends in an air-shipped remake with its costs on the maker's ledger (QA, in the QA
 * console). The demo data starts OEM-BW-0001 at 9 of its 10 spares and OEM-BW-0002's lot flagged.
 */

function demo(role: Role): { name: string; email: string } {
  const account = DEMO_ACCOUNTS.find((a) => a.role === role);
  if (!account) throw new Error(`no demo account for ${role}`);
  return account;
}

/** A calendar day `days` from today in the test's clock, as a date input takes it. */
function dayFromToday(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const evidence = (name: string) => ({ name, mimeType: 'image/png', buffer: PNG });

/** A screen at desktop size, then at a phone's (390 × 844), and back. */
async function shots(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-phone`);
  if (size) await page.setViewportSize(size);
}

describe.skipIf(!browserAvailable()).each(testDatabases())('OEM journeys on $name (Chromium)', (database) => {
  const { signedIn, goTo, settled, checkA11y, rowWith } = useBrowserSuite(database);

  it('defects run past the spares of OEM-BW-0001, the client takes a credit, and its next order shows it applied', async () => {
    const order = DEMO_OEM_ORDER.orderNumber;
    const client = await signedIn(demo('oem').email, '/oem/orders');
    const main = client.getByRole('main');
    const portal = client.getByRole('navigation', { name: 'OEM portal' });

    // The client's orders, with the spares shipped with each.
    await main.getByRole('heading', { level: 1, name: 'OEM orders' }).waitFor();
    const row = rowWith(main, order);
    await row.getByText('10 units', { exact: true }).waitFor();
    await row.getByText('0.5 %').waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-orders-en');

    // Its ledger: 9 of the 10 spares used by the reports so far.
    await row.getByRole('link', { name: order }).click();
    await main.getByRole('heading', { level: 1, name: `Order ${order}` }).waitFor();
    await main.getByText('9 of 10 spare units used; 1 left.').waitFor();
    await settled(client);
    await checkA11y(client);

    // A CSV with a wrong lot and a date before delivery is refused whole, row by row.
    await portal.getByRole('link', { name: 'Upload a CSV' }).click();
    await main.getByRole('heading', { level: 1, name: 'Upload defect reports' }).waitFor();
    const bad = [
      'order_number,lot,units,serials,failure_mode,reported_on',
      `${order},BTH500-L9999Z,2,,No sound,`,
      `${order},BTH500-L2501B,1,,Does not charge,2020-01-01`,
    ].join('\n');
    await main
      .getByLabel('CSV file')
      .setInputFiles({ name: 'november.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await main.getByRole('button', { name: 'Upload and check' }).click();
    await main.getByRole('alert').getByText('Nothing was recorded').waitFor();
    const problems = main.getByRole('region', { name: 'Problems by row' });
    await rowWith(problems, '2').waitFor();
    await rowWith(problems, '3').getByText('The date is before delivery').waitFor();
    await checkA11y(client);
    await screenshot(client, 'oem-import-rejected-en');

    // Three more units fail in lot B: reported with a photo, one by one.
    await portal.getByRole('link', { name: 'Report defects' }).click();
    await main.getByRole('heading', { level: 1, name: 'Report defects' }).waitFor();
    await main.getByLabel(/^Order/).selectOption({ label: `${order} · ${DEMO_SKUS.bluetoothHeadset}` });
    await main.getByLabel(/^Lot/).selectOption('BTH500-L2501B');
    await main.getByLabel(/^Defective units/).fill('3');
    await main.getByLabel(/^Failure mode/).fill('Right earpiece crackles at high volume');
    await main.getByLabel('Evidence files').setInputFiles(evidence('crackle.png'));
    await checkA11y(client);
    await main.getByRole('button', { name: 'Report the defects' }).click();
    await main
      .getByRole('status')
      .getByText(`3 defective units of lot BTH500-L2501B are recorded on order ${order}.`)
      .waitFor();
    await screenshot(client, 'oem-report-defects-en');

    // The last spare takes one unit at once; the two beyond it wait for QA, and no remedy is offered yet.
    await main.getByRole('link', { name: 'See the order’s ledger' }).click();
    await main.getByRole('heading', { level: 1, name: `Order ${order}` }).waitFor();
    await main.getByText('10 of 10 spare units used; 0 left.').waitFor();
    await main.getByText('1 from the spares, 2 waiting for QA').waitFor();
    const reported = main.getByRole('row').filter({ hasText: 'Right earpiece crackles at high volume' });
    await reported.getByRole('link', { name: /^File 1/ }).waitFor();
    await reported.getByText('Waiting for QA', { exact: true }).waitFor();
    expect(await main.getByRole('region', { name: /Choose a remedy/ }).count()).toBe(0);
    await settled(client);
    await checkA11y(client);
    await shots(client, 'oem-ledger-awaiting-qa-en');

    // QA looks at the photo and accepts the two units beyond the spares.
    const qa = await signedIn(demo('qa').email, '/qa/reviews');
    const qaMain = qa.getByRole('main');
    await qaMain.getByRole('heading', { level: 1, name: 'Reported units to review' }).waitFor();
    const card = qaMain.getByRole('region', { name: `Order ${order}, lot BTH500-L2501B` });
    await card.getByRole('link', { name: /^File 1/ }).waitFor();
    await card.getByLabel('Accept units').fill('2');
    await card.getByLabel('Accepted on').selectOption('evidence');
    await settled(qa);
    await checkA11y(qa);
    await shots(qa, 'qa-reviews-en');
    await card.getByRole('button', { name: 'Record the decision' }).click();
    await card.waitFor({ state: 'detached' });
    // The seeded report of OEM-BW-0003 still waits, with nothing attached: QA asks for the units back.
    const seeded = qaMain.getByRole('region', { name: /^Order OEM-BW-0003/ });
    await seeded.getByRole('button', { name: 'Ask for the units back' }).click();
    await seeded.getByText(/^RMA-\d{4}-\d{6}$/).waitFor();
    await settled(qa);
    await checkA11y(qa);

    // Now the two are beyond the spares and owed: the client takes a credit in money, 2 × CN¥185.00.
    await client.reload();
    await main.getByText('1 from the spares, 2 beyond them').waitFor();
    const remedy = main.getByRole('region', { name: 'Choose a remedy for the defects beyond the spares' });
    await remedy.getByText('2 defective units are beyond the spare allowance.', { exact: false }).waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-ledger-excess-en');
    await remedy.getByLabel('Credit on the next order · in money').check();
    await remedy.getByRole('button', { name: 'Confirm the remedy' }).click();
    await main
      .getByRole('status')
      .getByText('The credit is applied automatically to your next order.')
      .waitFor();
    const credits = main.getByRole('region', { name: 'Credits and amount due' });
    await credits.getByText('CN¥370.00').waitFor();
    await credits.getByText('Open', { exact: true }).waitFor();

    // The client requests its next order: no price, no spare rate, no lots — it waits for sales.
    await portal.getByRole('link', { name: 'New order' }).click();
    await main.getByRole('heading', { level: 1, name: 'Request an OEM order' }).waitFor();
    expect(await main.getByLabel(/^Unit price/).count()).toBe(0);
    await main.getByLabel(/^Product/).selectOption(DEMO_SKUS.bluetoothHeadset);
    await main.getByLabel(/^Quantity/).fill('500');
    await main.getByLabel(/^Delivery wanted/).fill(dayFromToday(30));
    await checkA11y(client);
    await shots(client, 'oem-request-order-en');
    await main.getByRole('button', { name: 'Send the request' }).click();
    await main.getByRole('region', { name: 'Waiting for sales to confirm' }).waitFor();
    const heading = await main.getByRole('heading', { level: 1 }).innerText();
    const nextOrder = /^Order (\S+)$/.exec(heading)?.[1];
    if (!nextOrder) throw new Error(`no order number in "${heading}"`);
    await settled(client);
    await checkA11y(client);
    await shots(client, 'oem-order-requested-en');

    // Sales: the contract prices, then the request confirmed at the one in force (CN¥189.00 since 20 days ago).
    const sales = await signedIn(demo('sales').email, '/oem/prices');
    const salesMain = sales.getByRole('main');
    await salesMain.getByRole('heading', { level: 1, name: 'Contract prices' }).waitFor();
    await salesMain.getByText('CN¥189.00').first().waitFor();
    await settled(sales);
    await checkA11y(sales);
    await shots(sales, 'oem-price-list-en');
    await goTo(sales, '/oem/orders');
    await rowWith(salesMain, nextOrder).getByRole('link', { name: nextOrder }).click();
    const confirmPanel = salesMain.getByRole('region', { name: 'Confirm the request' });
    await confirmPanel.getByLabel(/^Spare rate/).fill('0.4');
    await settled(sales);
    await checkA11y(sales);
    await shots(sales, 'oem-order-confirm-en');
    await confirmPanel.getByRole('button', { name: 'Confirm at the contract price' }).click();
    const billing = salesMain.getByRole('region', { name: 'Credits and amount due' });
    await billing.getByText('CN¥94,500.00').waitFor();
    await billing.getByText('CN¥94,130.00').waitFor();

    // Sales ship it from the maker's lot made five days ago.
    await goTo(sales, '/oem/lots');
    await salesMain.getByRole('heading', { level: 1, name: 'Production lots' }).waitFor();
    const ship = salesMain.getByRole('region', { name: 'Ship units to an order' });
    await ship.getByLabel(/^Lot/).selectOption({ label: 'BTH500-L2511E (3000 left)' });
    await ship.getByLabel(/^Order/).selectOption({ label: `${nextOrder} · ${DEMO_OEM_CLIENT.name}` });
    await ship.getByLabel(/^Units/).fill('500');
    await ship.getByRole('button', { name: 'Ship the units' }).click();
    await ship.getByText('Shipped from lot BTH500-L2511E; 2500 units left').waitFor();
    await settled(sales);
    await checkA11y(sales);
    await shots(sales, 'oem-lots-en');

    // The client sees its order confirmed, shipped from that lot, with the credit taken.
    await client.reload();
    await main.getByRole('heading', { level: 1, name: `Order ${nextOrder}` }).waitFor();
    const clientBilling = main.getByRole('region', { name: 'Credits and amount due' });
    await clientBilling.getByText('CN¥94,130.00').waitFor();
    await clientBilling.getByRole('link', { name: order }).waitFor();
    await main
      .getByRole('cell', { name: 'BTH500-L2511E' })
      .or(main.getByRole('rowheader', { name: 'BTH500-L2511E' }))
      .first()
      .waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-next-order-credit-en');

    // And the first order shows where its credit went.
    await clientBilling.getByRole('link', { name: order }).click();
    await main.getByRole('heading', { level: 1, name: `Order ${order}` }).waitFor();
    const given = main.getByRole('region', { name: 'Credits and amount due' });
    await given.getByText('Applied', { exact: true }).waitFor();
    await given.getByRole('link', { name: nextOrder }).waitFor();
    expect(await main.getByRole('region', { name: /Choose a remedy/ }).count()).toBe(0);

    // The credits, open and applied.
    await portal.getByRole('link', { name: 'Credits' }).click();
    await main.getByRole('heading', { level: 1, name: 'Credits on next order' }).waitFor();
    const credit = rowWith(main, order);
    await credit.getByText('CN¥370.00').waitFor();
    await credit.getByRole('link', { name: nextOrder }).waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-credits-en');

    // In Chinese: the ledger and the credits, as the client's staff in Shenzhen read them.
    await client.getByRole('button', { name: '中文' }).click();
    await main.getByRole('heading', { level: 1, name: '下单抵扣' }).waitFor();
    await rowWith(main, order).getByText('已抵扣').waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-credits-zh');
    await rowWith(main, order).getByRole('link', { name: order }).click();
    await main.getByRole('heading', { level: 1, name: `订单 ${order}` }).waitFor();
    await main.getByRole('heading', { level: 2, name: '不良台账' }).waitFor();
    await main.getByText('备品已用 10 / 10 件，剩余 0 件。').waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-ledger-zh');
    await goTo(client, '/oem/report');
    await main.getByRole('heading', { level: 1, name: '上报不良' }).waitFor();
    await checkA11y(client);
    await screenshot(client, 'oem-report-defects-zh');
    await goTo(client, '/oem/orders');
    await main.getByRole('heading', { level: 1, name: 'OEM 订单' }).waitFor();
    await rowWith(main, nextOrder).waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-orders-zh');
    await goTo(client, '/oem/new-order');
    await main.getByRole('heading', { level: 1, name: '申请 OEM 订单' }).waitFor();
    await main.getByLabel(/^数量/).fill('1200');
    await checkA11y(client);
    await shots(client, 'oem-request-order-zh');

    // QA's review and sales's screens in Chinese.
    await qa.getByRole('button', { name: '中文' }).click();
    await qaMain.getByRole('heading', { level: 1, name: '待审核的不良报告' }).waitFor();
    await settled(qa);
    await checkA11y(qa);
    await shots(qa, 'qa-reviews-zh');
    await sales.getByRole('button', { name: '中文' }).click();
    await goTo(sales, '/oem/prices');
    await salesMain.getByRole('heading', { level: 1, name: '合同价格' }).waitFor();
    await settled(sales);
    await checkA11y(sales);
    await shots(sales, 'oem-price-list-zh');
    await goTo(sales, '/oem/lots');
    await salesMain.getByRole('heading', { level: 1, name: '生产批次' }).waitFor();
    await settled(sales);
    await checkA11y(sales);
    await shots(sales, 'oem-lots-zh');
  });

  it('a flagged lot: QA investigates, confirms a production cause, the remake ships by air and its costs are on the maker’s ledger', async () => {
    const lot = DEMO_FLAGGED_OEM_ORDER.lots[0];
    const qa = await signedIn(demo('qa').email, '/qa/lots');
    const main = qa.getByRole('main');
    const consoleNav = qa.getByRole('navigation', { name: /^QA console$|^质量管理$/ });

    // The chart and the numbers behind the flag: 14 defective of 1,000 against 0.3 % spares.
    await main.getByRole('heading', { level: 1, name: 'Lot defect rates' }).waitFor();
    await main.getByRole('img', { name: 'Defect rate by lot against the spare rate' }).waitFor();
    await main.locator('.recharts-bar-rectangle').first().waitFor();
    // The 95 % interval the caption promises: a whisker on every lot's bar, drawn from the API's bounds.
    const lotRows = await main.getByRole('table').last().locator('tbody tr').count();
    expect(lotRows).toBeGreaterThan(0);
    expect(await main.locator('.recharts-errorBar').count()).toBe(lotRows);
    const flagged = rowWith(main, lot);
    await flagged.getByText('Flagged', { exact: true }).waitFor();
    await flagged.getByText('1.4 %', { exact: true }).waitFor();
    await flagged.getByText('0.3 %', { exact: true }).waitFor();
    await flagged.getByText('1,000 units').waitFor();
    await qa.mouse.move(0, 0); // no tooltip over the chart
    await settled(qa);
    await checkA11y(qa);
    await screenshot(qa, 'qa-lot-rates-en');

    // An investigation over the lot, with its evidence.
    await flagged.getByRole('button', { name: `Investigate lot ${lot}` }).click();
    await main.getByRole('heading', { level: 1, name: `Investigation of lot ${lot}` }).waitFor();
    await main.getByRole('status').getByText('Investigation opened').waitFor();
    await main
      .getByLabel('Evidence files')
      .setInputFiles([evidence('teardown-1.png'), evidence('teardown-2.png')]);
    await main.getByRole('button', { name: 'Attach the files' }).click();
    await main.getByRole('status').getByText('Evidence attached').waitFor();
    await main.getByRole('link', { name: 'Evidence file 2' }).waitFor();
    await settled(qa);
    await checkA11y(qa);
    await screenshot(qa, 'qa-investigation-open-en');

    // A production cause: the maker remakes the units and ships them by air at its own cost.
    const confirm = main.getByRole('form', { name: 'Confirm a batch defect' });
    await confirm.getByLabel('Production').check();
    await confirm.getByLabel(/^Cost of one remade unit/).fill('42');
    await confirm.getByLabel(/^Air freight per shipment/).fill('1800');
    await confirm.getByRole('button', { name: 'Confirm: remake and ship by air' }).click();
    await main
      .getByRole('status')
      .getByText('14 units will be remade and shipped by air', { exact: false })
      .waitFor();
    const remakes = main.getByRole('region', { name: 'Remake orders' });
    const remake = rowWith(remakes, DEMO_FLAGGED_OEM_ORDER.orderNumber);
    await remake.getByText('Air freight').waitFor();
    await remake.getByText('14 units').waitFor();
    await main.getByText('Batch defect confirmed', { exact: true }).first().waitFor();

    // QA puts the remake into production and ships it by air, with the carrier's air waybill.
    await remake.getByRole('button', { name: /^Start production of RMK-/ }).click();
    const start = qa.getByRole('dialog', { name: /^Start production of RMK-/ });
    await checkA11y(qa);
    await start.getByRole('button', { name: 'Start production' }).click();
    await remake.getByText('In production').waitFor();
    await remake.getByRole('button', { name: /^Ship RMK-/ }).click();
    const ship = qa.getByRole('dialog', { name: /^Ship RMK-/ });
    await ship.getByLabel(/^Carrier/).fill('Cathay Cargo');
    await ship.getByLabel(/^Air waybill/).fill('160-12345675');
    await ship.getByRole('button', { name: 'Ship' }).click();
    await remake.getByText('Shipped', { exact: true }).waitFor();
    await remake.getByText('160-12345675').waitFor();
    await settled(qa);
    await checkA11y(qa);
    await screenshot(qa, 'qa-investigation-confirmed-en');

    // The maker's cost ledger: 14 × CN¥42.00 and one air shipment of CN¥1,800.00.
    await consoleNav.getByRole('link', { name: 'Maker’s costs' }).click();
    await main.getByRole('heading', { level: 1, name: 'Maker’s cost ledger' }).waitFor();
    const totals = main.getByRole('region', { name: 'Totals by client, product and lot' });
    const total = rowWith(totals, DEMO_OEM_CLIENT.name);
    await total.getByText(lot).waitFor();
    await total.getByText('14 units').waitFor();
    await total.getByText('CN¥2,388.00').waitFor();
    const entries = main.getByRole('region', { name: 'Entries' });
    await entries.getByRole('row').filter({ hasText: 'Remade units' }).getByText('CN¥588.00').waitFor();
    await entries.getByRole('row').filter({ hasText: 'Air freight' }).getByText('CN¥1,800.00').waitFor();
    const download = main.getByRole('link', { name: 'Download CSV' });
    expect(await download.getAttribute('href')).toBe('/api/v1/maker-costs/export');
    const csv = await qa.evaluate(async (href) => {
      const res = await fetch(href);
      return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
    }, '/api/v1/maker-costs/export');
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.body).toContain(`${DEMO_OEM_CLIENT.name},${DEMO_SKUS.headset},${lot}`);
    expect(csv.body).toContain('air_freight,,1800.00,180000,CNY');
    await settled(qa);
    await checkA11y(qa);
    await screenshot(qa, 'qa-costs-en');

    // The client's order shows the remake, shipped by air, and the units off its spares.
    const client = await signedIn(demo('oem').email, '/oem/orders');
    const portal = client.getByRole('main');
    await rowWith(portal, DEMO_FLAGGED_OEM_ORDER.orderNumber)
      .getByRole('link', { name: DEMO_FLAGGED_OEM_ORDER.orderNumber })
      .click();
    await portal
      .getByRole('heading', { level: 1, name: `Order ${DEMO_FLAGGED_OEM_ORDER.orderNumber}` })
      .waitFor();
    const clientRemakes = portal.getByRole('region', { name: 'Remake orders' });
    await clientRemakes.getByText('Air freight').waitFor();
    await clientRemakes.getByText('Shipped', { exact: true }).waitFor();
    await clientRemakes.getByText('160-12345675').waitFor();
    // The client follows it; only QA moves it.
    expect(await clientRemakes.getByRole('button').count()).toBe(0);
    await portal.getByText('0 of 3 spare units used; 3 left.').waitFor();
    await portal.getByRole('row').filter({ hasText: 'Batch defect: remade' }).first().waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-order-remake-en');

    // In Chinese: the chart, the investigation and the costs.
    await qa.getByRole('button', { name: '中文' }).click();
    await main.getByRole('heading', { level: 1, name: '厂家费用台账' }).waitFor();
    await main
      .getByRole('region', { name: '明细' })
      .getByRole('row')
      .filter({ hasText: '空运运费' })
      .waitFor();
    await settled(qa);
    await checkA11y(qa);
    await screenshot(qa, 'qa-costs-zh');
    await consoleNav.getByRole('link', { name: '批次不良率' }).click();
    await main.getByRole('heading', { level: 1, name: '批次不良率' }).waitFor();
    await rowWith(main, lot).getByText('已标记').waitFor();
    await main.locator('.recharts-bar-rectangle').first().waitFor();
    await qa.mouse.move(0, 0);
    await settled(qa);
    await checkA11y(qa);
    await screenshot(qa, 'qa-lot-rates-zh');
    await rowWith(main, lot).getByRole('link', { name: '查看' }).click();
    await main.getByRole('heading', { level: 1, name: `批次 ${lot} 的调查` }).waitFor();
    await main.getByText('空运').first().waitFor();
    await settled(qa);
    await checkA11y(qa);
    await screenshot(qa, 'qa-investigation-zh');

    // The units arrive: QA records the delivery (today by default).
    const remakeZh = rowWith(
      main.getByRole('region', { name: '重新生产订单' }),
      DEMO_FLAGGED_OEM_ORDER.orderNumber,
    );
    await remakeZh.getByRole('button', { name: /^确认送达 RMK-/ }).click();
    const deliver = qa.getByRole('dialog', { name: /^RMK-\S+ 确认送达$/ });
    await deliver.getByLabel(/^送达日期/).waitFor();
    await settled(qa);
    await checkA11y(qa);
    await deliver.getByRole('button', { name: '确认送达' }).click();
    await remakeZh.getByText('已送达', { exact: true }).waitFor();

    // The client sees it delivered, in Chinese, with the carrier and the air waybill.
    await client.reload();
    await portal.getByRole('heading', { level: 2, name: 'Remake orders' }).waitFor();
    await client.getByRole('button', { name: '中文' }).click();
    await portal.getByRole('heading', { level: 2, name: '重新生产订单' }).waitFor();
    const clientRemakesZh = portal.getByRole('region', { name: '重新生产订单' });
    await clientRemakesZh.getByText('已送达', { exact: true }).waitFor();
    await clientRemakesZh.getByText('Cathay Cargo').waitFor();
    await clientRemakesZh.getByText('160-12345675').waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-order-remake-zh');
  });
  it('a report that pushes a lot past its spare rate lands in QA’s notices, with the numbers', async () => {
    // The client reports 30 failed units of lot BTH500-L2501B (800 units, 0.5 % spares) through the API.
    const client = await signedIn(demo('oem').email, '/oem/orders');
    const lot = DEMO_OEM_ORDER.lots[1];
    const status = await client.evaluate(
      async ({ orderNumber, lot }) => {
        const orders = (await (await fetch('/api/v1/oem-orders?limit=200')).json()) as {
          items: { id: string; orderNumber: string }[];
        };
        const order = orders.items.find((o) => o.orderNumber === orderNumber);
        const res = await fetch(`/api/v1/oem-orders/${order?.id ?? ''}/defect-reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ lot, units: 30, failureMode: 'Right channel hums' }),
        });
        return res.status;
      },
      { orderNumber: DEMO_OEM_ORDER.orderNumber, lot },
    );
    expect(status).toBe(201);

    const qa = await signedIn(demo('qa').email, '/qa/notices');
    const main = qa.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'Notices' }).waitFor();
    const notice = main.getByRole('row').filter({ hasText: `Lot ${lot}` });
    await notice.getByText('For staff').waitFor();
    await notice.getByText('Quality assurance', { exact: true }).waitFor();
    await notice.getByText(/flagged: defects above the spares/).click();
    await notice.getByText(/of 800 units defective/).waitFor();
    await settled(qa);
    await checkA11y(qa);
    await screenshot(qa, 'qa-notices-en');
  });

  it('sales filter the OEM orders by state, page them by cursor and export them; the client’s own on a phone, in Chinese', async () => {
    const sales = await signedIn(demo('sales').email, '/oem/orders?per=2&state=confirmed');
    const main = sales.getByRole('main');
    await main.getByRole('heading', { level: 1, name: 'OEM orders' }).waitFor();
    const table = main.getByRole('region', { name: 'OEM orders' });
    await table.getByRole('row').nth(2).waitFor();
    expect(await table.getByRole('row').count()).toBe(3); // the header and two orders
    await main.getByRole('button', { name: 'Load more' }).click();
    await table.getByRole('row').nth(3).waitFor();
    expect(await main.getByRole('combobox', { name: 'Status' }).inputValue()).toBe('confirmed');
    expect(await table.getByText('Waiting for sales').count()).toBe(0);
    // Sorted by order number, ascending, from the header.
    await table.getByRole('button', { name: 'Sort by Order number' }).click();
    await table.locator('th[aria-sort="ascending"]').waitFor();
    await settled(sales);
    await checkA11y(sales);
    await screenshot(sales, 'oem-orders-staff-en');

    // The export holds every confirmed order, in the list's sort, with a byte order mark for Excel.
    const [download] = await Promise.all([
      sales.waitForEvent('download'),
      main.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^oem-orders-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = await readFile(await download.path());
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^order_id,order_number,state,/);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(1).every((l) => l.split(',')[2] === 'confirmed')).toBe(true);
    const numbers = lines.slice(1).map((l) => l.split(',')[1] ?? '');
    expect(numbers).toContain(DEMO_OEM_ORDER.orderNumber);

    // The client reads its own orders on a phone, in Chinese: cards, not a table cut off at the edge.
    const client = await signedIn(demo('oem').email, '/oem/orders');
    const clientMain = client.getByRole('main');
    await client.getByRole('button', { name: '中文' }).click();
    await clientMain.getByRole('heading', { level: 1, name: 'OEM 订单' }).waitFor();
    await client.setViewportSize({ width: 390, height: 844 });
    const cards = clientMain.getByRole('list', { name: 'OEM 订单' });
    await cards.getByRole('listitem').filter({ hasText: DEMO_OEM_ORDER.orderNumber }).waitFor();
    await settled(client);
    await checkA11y(client);
    await screenshot(client, 'oem-orders-phone-zh');
    await client.setViewportSize({ width: 1280, height: 900 });
  });
});
