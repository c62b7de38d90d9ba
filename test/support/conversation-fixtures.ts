import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { issueGuestLink } from '../../src/app/guest/guest-links.js';
import type { Database } from '../../src/db/client.js';
import { writeUploadBytes } from '../../src/app/uploads/upload-content.js';
import {
  conversationAttachments,
  conversationMessages,
  conversations,
  purchases,
  serviceCenters,
  uploads,
} from '../../src/db/schema.js';
import type { Role } from '../../src/domain/access/access.js';
import { DEMO_END_USERS, DEMO_SERVICE_CENTERS } from '../../src/db/seed.js';
import { TEST_NOW } from './app.js';
import { claimOn, insertOrder } from './maintenance.js';

export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

/** A file in a multipart body, as a browser sends it. */
export function multipart(file: Buffer, filename = 'fault.png', contentType = 'image/png') {
  const boundary = '----aftersales-conversation-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function purchaseOf(db: Database, name: string): Promise<string> {
  const [row] = await db.select({ id: purchases.id }).from(purchases).where(eq(purchases.buyerName, name));
  if (!row) throw new Error(`no demo purchase of ${name}`);
  return row.id;
}

async function centerId(db: Database, index: 0 | 1): Promise<string> {
  const [row] = await db
    .select({ id: serviceCenters.id })
    .from(serviceCenters)
    .where(eq(serviceCenters.nameEn, DEMO_SERVICE_CENTERS[index].nameEn));
  if (!row) throw new Error('demo centers');
  return row.id;
}

/**
 * A claim of the demo customer (Li Wei, sold by the demo dealer) with an order the demo technician's
 * center holds (received: under its service commitment), and one of another customer at another center;
 * a tracking link for the first.
 */
export async function conversationFixtures(
  app: FastifyInstance,
  db: Database,
): Promise<{ ownClaim: string; otherClaim: string; ownOrder: string; trackingToken: string }> {
  const ownClaim = await claimOn(app, db, await purchaseOf(db, DEMO_END_USERS[0].name), 'mail_in_repair');
  const otherClaim = await claimOn(app, db, await purchaseOf(db, DEMO_END_USERS[1].name), 'mail_in_repair');
  const ownOrder = await insertOrder(db, {
    claimId: ownClaim,
    serviceCenterId: await centerId(db, 0),
    mode: 'mail_in',
    state: 'received',
    receivedOn: '2026-11-25',
    dueOn: '2026-12-02',
  });
  await insertOrder(db, { claimId: otherClaim, serviceCenterId: await centerId(db, 1), mode: 'walk_in' });
  const link = await db.transaction((tx) =>
    issueGuestLink(tx, {
      purpose: 'claim.track',
      claimId: ownClaim,
      now: TEST_NOW,
      publicUrl: new URL('http://localhost:3000'),
    }),
  );
  return { ownClaim, otherClaim, ownOrder: ownOrder.id, trackingToken: link.token };
}

type ScopedFixture = { role: Role; own: string; other: string };

/**
 * For the access matrix: a conversation waiting for staff on the demo customer's claim (sold by the demo
 * dealer, at the demo technician's center) and one on another customer's (another dealer, another
 * center), each with a photo on its customer's message.
 */
export async function conversationMatrixFixtures(
  app: FastifyInstance,
  db: Database,
): Promise<[string, ScopedFixture[]][]> {
  const f = await conversationFixtures(app, db);
  const waiting = async (claimId: string) => {
    const [conversation] = await db
      .insert(conversations)
      .values({
        claimId,
        state: 'waiting_for_staff',
        waitingSince: new Date(TEST_NOW.epochMilliseconds),
        replyTokenHash: randomUUID(),
        replyTokenExpiresAt: new Date(TEST_NOW.add({ hours: 24 }).epochMilliseconds),
      })
      .returning({ id: conversations.id });
    if (!conversation) throw new Error('insert returned no conversation');
    const [message] = await db
      .insert(conversationMessages)
      .values({
        conversationId: conversation.id,
        authorKind: 'customer',
        author: 'system',
        visibility: 'public',
        channel: 'portal',
        body: 'Fixture for the access matrix',
      })
      .returning({ id: conversationMessages.id });
    const [upload] = await db
      .insert(uploads)
      .values({
        kind: 'photo',
        mediaType: 'image/png',
        sizeBytes: PNG.length,
        sha256: 'fixture',
        uploadedBy: 'system',
      })
      .returning({ id: uploads.id });
    if (!message || !upload) throw new Error('insert returned no message');
    await writeUploadBytes(db, upload.id, PNG);
    await db.insert(conversationAttachments).values({ messageId: message.id, uploadId: upload.id });
    return { conversation: conversation.id, upload: upload.id, message: message.id };
  };
  const own = await waiting(f.ownClaim);
  const other = await waiting(f.otherClaim);
  const byClaim = (['dealer', 'technician', 'customer'] as const).map((role) => ({
    role,
    own: f.ownClaim,
    other: f.otherClaim,
  }));
  return [
    ['/api/v1/claims/:id/conversation', byClaim],
    ['/api/v1/claims/:id/conversation/messages', byClaim],
    // The queue's items are conversations (the list test looks for its items' ids).
    [
      '/api/v1/conversations/:id',
      (['dealer', 'technician'] as const).map((role) => ({
        role,
        own: own.conversation,
        other: other.conversation,
      })),
    ],
    ['/api/v1/uploads/:id', [{ role: 'technician', own: own.upload, other: other.upload }]],
    // "Waiting for me" lists the conversations waiting in the caller's scope among its items.
    [
      '/api/v1/inbox/:id',
      (['dealer', 'technician'] as const).map((role) => ({
        role,
        own: own.conversation,
        other: other.conversation,
      })),
    ],
    // Deciding a held e-mail: writes, so the matrix only checks the door (scope: inbound-email.test.ts).
    ...(['release', 'discard'] as const).map((decision): [string, ScopedFixture[]] => [
      `/api/v1/conversation-messages/:id/${decision}`,
      (['dealer', 'technician'] as const).map((role) => ({ role, own: own.message, other: other.message })),
    ]),
  ];
}
