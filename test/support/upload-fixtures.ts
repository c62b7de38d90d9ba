import { eq } from 'drizzle-orm';
import { writeUploadBytes } from '../../src/app/uploads/upload-content.js';
import type { Database } from '../../src/db/client.js';
import {
  defectReportEvidence,
  endUsers,
  oemDefectReports,
  oemOrders,
  outbox,
  purchases,
  uploads,
} from '../../src/db/schema.js';
import { DEMO_END_USERS } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { oemWorld, PNG } from './oem-fixtures.js';

type ScopedFixture = { role: Role; own: string; other: string };

/**
 * For the access matrix: files uploaded by nobody of the caller's, on the caller's things and on
 * another's — a proof of purchase on Li Wei's purchase (the demo customer's, at the demo dealer) and on
 * Zhang Min's, and defect evidence on the demo OEM client's report and on another client's — and the
 * notices of the roles that read their own inbox of the outbox.
 */
export async function uploadMatrixFixtures(db: Database): Promise<[string, ScopedFixture[]][]> {
  const file = async () => {
    const [row] = await db
      .insert(uploads)
      .values({
        kind: 'evidence',
        mediaType: 'image/png',
        sizeBytes: PNG.length,
        sha256: 'fixture',
        uploadedBy: 'system',
      })
      .returning({ id: uploads.id });
    if (!row) throw new Error('insert returned no upload');
    await writeUploadBytes(db, row.id, PNG);
    return row.id;
  };
  const proofOn = async (buyer: string) => {
    const [purchase] = await db
      .select({ id: purchases.id })
      .from(purchases)
      .innerJoin(endUsers, eq(endUsers.id, purchases.endUserId))
      .where(eq(endUsers.name, buyer))
      .limit(1);
    if (!purchase) throw new Error(`the demo seed has a purchase by ${buyer}`);
    const id = await file();
    await db.update(purchases).set({ proofUploadId: id }).where(eq(purchases.id, purchase.id));
    return id;
  };
  const evidenceOn = async (orderId: string) => {
    const [order] = await db.select().from(oemOrders).where(eq(oemOrders.id, orderId));
    if (!order) throw new Error('no such OEM order');
    const [report] = await db
      .insert(oemDefectReports)
      .values({
        orderId,
        clientId: order.clientId,
        productId: order.productId,
        lot: order.lots[0] ?? 'LOT',
        units: 1,
        failureMode: 'Fixture for the access matrix',
        reportedOn: order.deliveryDate,
        reportedBy: 'system',
        source: 'api',
      })
      .returning({ id: oemDefectReports.id });
    if (!report) throw new Error('insert returned no defect report');
    const id = await file();
    await db.insert(defectReportEvidence).values({ reportId: report.id, uploadId: id });
    return id;
  };
  const world = await oemWorld(db);
  const ownProof = await proofOn(DEMO_END_USERS[0].name);
  const otherProof = await proofOn(DEMO_END_USERS[1].name);
  const ownEvidence = await evidenceOn(world.demoOrder);
  const otherEvidence = await evidenceOn(world.otherOrder);
  // A notice to QA's and to sales's inbox, and a message to a customer that neither may read.
  const [qaNotice, salesNotice, customerMessage] = await db
    .insert(outbox)
    .values([
      { topic: 'oem_lot.flagged', recipient: 'role:qa', subject: 'Fixture', body: '…' },
      { topic: 'oem_order.excess', recipient: 'role:sales', subject: 'Fixture', body: '…' },
      { topic: 'claim.acknowledged', recipient: 'li.wei@example.com', subject: 'Fixture', body: '…' },
    ])
    .returning({ id: outbox.id });
  if (!qaNotice || !salesNotice || !customerMessage) throw new Error('insert returned no messages');
  return [
    [
      '/api/v1/messages/:id',
      [
        { role: 'qa', own: qaNotice.id, other: customerMessage.id },
        { role: 'sales', own: salesNotice.id, other: customerMessage.id },
      ],
    ],
    [
      '/api/v1/uploads/:id',
      [
        { role: 'dealer', own: ownProof, other: otherProof },
        { role: 'customer', own: ownProof, other: otherProof },
        { role: 'oem', own: ownEvidence, other: otherEvidence },
      ],
    ],
  ];
}
