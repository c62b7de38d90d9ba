import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/app/outbox/dispatch-outbox.js';
import { replyTokenFor } from '../../src/app/conversations/reply-tokens.js';
import { hashToken } from '../../src/app/accounts/tokens.js';
import {
  auditEvents,
  conversations,
  maintenanceOrderEvents,
  maintenanceOrders,
  outbox,
} from '../../src/db/schema.js';
import { seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import { smtpMailer } from '../../src/http/outbox-dispatcher.js';
import type {
  ConversationResponse,
  WaitingConversationResponse,
} from '../../src/http/conversations/schemas.js';
import { TEST_MESSAGE_KEY, TEST_NOW, useTestApp } from '../support/app.js';
import { conversationFixtures, multipart, PNG } from '../support/conversation-fixtures.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';
import { startSmtpServer } from '../support/smtp.js';

/*
 * A claim's conversation through the API: who writes what, who reads what, the queue, the e-mail to the
 * customer with its reply address, and the reply as the service commitment's contact.
 */
describe.each(testDatabases())('conversations on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let f: Awaited<ReturnType<typeof conversationFixtures>>;

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    for (const role of ['customer', 'technician', 'support', 'dealer', 'sales', 'qa'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    f = await conversationFixtures(t.app, t.db.db);
  });

  const headers = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const read = async (role: Role, claimId = f.ownClaim) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/claims/${claimId}/conversation`,
      headers: headers(role),
    });
    return { status: res.statusCode, body: res.json<ConversationResponse & { code?: string }>() };
  };
  const post = (role: Role, payload: Record<string, unknown>, claimId = f.ownClaim) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/${claimId}/conversation/messages`,
      headers: headers(role),
      payload,
    });
  const queue = async (role: Role) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/conversations', headers: headers(role) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: WaitingConversationResponse[] }>().items;
  };
  const uploadAs = async (role: Role) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=photo',
      ...multipart(PNG),
      headers: { ...multipart(PNG).headers, ...headers(role) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };

  it('is empty until the first message, and the customer’s first message waits for staff in the queues', async () => {
    const before = await read('customer');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ id: null, state: 'open', messages: [] });

    const photo = await uploadAs('customer');
    const res = await post('customer', {
      text: 'The panel hums and the display flickers.',
      attachmentUploadIds: [photo],
    });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json<ConversationResponse>();
    expect(view.state).toBe('waiting_for_staff');
    expect(view.messages).toHaveLength(1);
    expect(view.messages[0]).toMatchObject({
      authorKind: 'customer',
      visibility: 'public',
      channel: 'portal',
    });
    expect(view.messages[0]?.attachments.map((a) => a.id)).toEqual([photo]);

    // Support and the center working on it see it waiting; a center of another claim's order and a
    // dealer of another sale do not (the access matrix checks the scopes on every route).
    for (const role of ['support', 'technician', 'dealer', 'sales'] as const) {
      expect(
        (await queue(role)).map((c) => c.claimId),
        role,
      ).toContain(f.ownClaim);
    }
    const [item] = (await queue('support')).filter((c) => c.claimId === f.ownClaim);
    expect(item?.excerpt).toBe('The panel hums and the display flickers.');
    // QA has no part in customers' conversations.
    expect((await read('qa')).status).toBe(403);
  });

  it('keeps internal notes from the customer, who may not write one', async () => {
    const note = await post('technician', {
      text: 'Customer sounds upset; check the fan first.',
      visibility: 'internal',
    });
    expect(note.statusCode, note.body).toBe(201);
    const staffView = note.json<ConversationResponse>();
    expect(staffView.state).toBe('waiting_for_staff');
    expect(staffView.messages.at(-1)).toMatchObject({ visibility: 'internal', authorRole: 'technician' });
    expect(staffView.messages.at(-1)?.authorName).toBeTruthy();

    const customerView = await read('customer');
    expect(customerView.body.messages.map((m) => m.body)).not.toContain(
      'Customer sounds upset; check the fan first.',
    );
    expect(customerView.body.messages.every((m) => m.visibility === 'public' && m.authorName === null)).toBe(
      true,
    );

    const refused = await post('customer', { text: 'let me in', visibility: 'internal' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'INTERNAL_NOTE_NOT_ALLOWED' } });
    const empty = await post('customer', { text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: { code: 'EMPTY_MESSAGE' } });
    // Nothing was written by the refusals; no e-mail went out for the note.
    const mails = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'conversation.reply'));
    expect(mails).toHaveLength(0);
  });

  it('refuses a file that is not the customer’s, and a file already on a message', async () => {
    const techniciansPhoto = await uploadAs('technician');
    const foreign = await post('customer', { text: 'mine?', attachmentUploadIds: [techniciansPhoto] });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: { code: 'UPLOAD_NOT_FOUND' } });
    const [first] = (await read('customer')).body.messages;
    const again = await post('customer', { text: 'again', attachmentUploadIds: [first?.attachments[0]?.id] });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'UPLOAD_ALREADY_ATTACHED' } });
  });

  it('e-mails a staff reply to the customer and counts it as the service commitment’s contact', async () => {
    const [order] = await t.db.db
      .select()
      .from(maintenanceOrders)
      .where(eq(maintenanceOrders.id, f.ownOrder));
    expect(order?.contactedOn).toBeNull();
    const photo = await uploadAs('technician');
    const res = await post('technician', {
      text: 'We found a loose fan. Photo attached.',
      attachmentUploadIds: [photo],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<ConversationResponse>().state).toBe('waiting_for_customer');
    expect((await queue('support')).map((c) => c.claimId)).not.toContain(f.ownClaim);

    const [mail] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'conversation.reply'));
    expect(mail?.recipient).toBe('li.wei@example.com');
    expect(mail?.body).toContain('We found a loose fan. Photo attached.');
    expect(mail?.body).not.toContain('check the fan first');

    const [contacted] = await t.db.db
      .select()
      .from(maintenanceOrders)
      .where(eq(maintenanceOrders.id, f.ownOrder));
    expect(contacted?.contactedOn).toBe('2026-11-25');
    const events = await t.db.db
      .select()
      .from(maintenanceOrderEvents)
      .where(and(eq(maintenanceOrderEvents.orderId, f.ownOrder), eq(maintenanceOrderEvents.kind, 'contact')));
    expect(events).toHaveLength(1);
    const audits = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'maintenance_order.customer_contacted'));
    expect(audits.map((a) => a.data)).toContainEqual(
      expect.objectContaining({ via: 'conversation', first: true }),
    );

    // The customer reads the reply's photo; not the file of an internal note.
    const customerView = await read('customer');
    const replyPhoto = customerView.body.messages.at(-1)?.attachments[0]?.id;
    expect(replyPhoto).toBe(photo);
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/v1/uploads/${photo}`,
      headers: headers('customer'),
    });
    expect(file.statusCode).toBe(200);
    const notePhoto = await uploadAs('support');
    await post('support', {
      text: 'Internal photo',
      visibility: 'internal',
      attachmentUploadIds: [notePhoto],
    });
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/api/v1/uploads/${notePhoto}`,
      headers: headers('customer'),
    });
    expect(hidden.statusCode).toBe(404);
    const technicianSees = await t.app.inject({
      method: 'GET',
      url: `/api/v1/uploads/${notePhoto}`,
      headers: headers('technician'),
    });
    expect(technicianSees.statusCode).toBe(200);
  });

  it('sends the reply with a Reply-To of the conversation whose token is stored only as a hash', async () => {
    const smtp = await startSmtpServer();
    try {
      const result = await dispatchOutbox({
        db: t.db.db,
        mailer: smtpMailer(smtp.url, 'Halotek After-sales <service@halotek.example.com>'),
        now: () => TEST_NOW,
        messageKey: TEST_MESSAGE_KEY,
        replyDomain: 'halotek.example.com',
      });
      expect(result.failed).toBe(0);
      const mail = smtp.received.find((m) => m.to.includes('li.wei@example.com') && /Reply-To:/i.test(m.raw));
      // Long header lines are folded onto the next line.
      const unfolded = (mail?.raw ?? '').replace(/\r?\n[ \t]+/g, ' ');
      const token = /^Reply-To:\s*reply\+([A-Za-z0-9_-]{43})@halotek\.example\.com\r?$/im.exec(unfolded)?.[1];
      expect(token, mail?.raw ?? smtp.received.map((m) => m.raw).join('\n')).toBeDefined();
      const [conversation] = await t.db.db
        .select()
        .from(conversations)
        .where(eq(conversations.claimId, f.ownClaim));
      expect(token).toBe(replyTokenFor(TEST_MESSAGE_KEY, conversation?.id ?? ''));
      expect(conversation?.replyTokenHash).toBe(hashToken(token ?? ''));
      // Nowhere at rest: not in the queued e-mail, not in the conversation.
      const rows = await t.db.db.select().from(outbox);
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(JSON.stringify(conversation)).not.toContain(token);
      // Other messages carry no Reply-To.
      expect(smtp.received.filter((m) => /Reply-To:/i.test(m.raw))).toHaveLength(1);
    } finally {
      await smtp.close();
    }
  });

  it('lets the customer without an account read and answer through the tracking link, with a photo', async () => {
    const guestRead = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/conversation',
      payload: { token: f.trackingToken },
    });
    expect(guestRead.statusCode, guestRead.body).toBe(200);
    const seen = guestRead.json<ConversationResponse>();
    expect(seen.messages.every((m) => m.visibility === 'public')).toBe(true);
    expect(seen.messages.some((m) => m.body === 'We found a loose fan. Photo attached.')).toBe(true);

    const ticketRes = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads/tickets',
      payload: { purpose: 'conversation.reply' },
    });
    expect(ticketRes.statusCode, ticketRes.body).toBe(201);
    const ticket = ticketRes.json<{ ticket: string }>().ticket;
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/api/v1/uploads?kind=photo',
      ...multipart(PNG),
      headers: { ...multipart(PNG).headers, 'upload-ticket': ticket },
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const uploadId = uploaded.json<{ id: string }>().id;

    // Without its ticket, the file is nobody's to attach.
    const stolen = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/conversation/messages',
      payload: {
        token: f.trackingToken,
        text: 'x',
        attachments: [{ uploadId, uploadTicket: 'x'.repeat(43) }],
      },
    });
    expect(stolen.statusCode).toBe(404);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/conversation/messages',
      payload: {
        token: f.trackingToken,
        text: 'Here is the back of the panel.',
        attachments: [{ uploadId, uploadTicket: ticket }],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json<ConversationResponse>();
    expect(view.state).toBe('waiting_for_staff');
    expect(view.messages.at(-1)).toMatchObject({ channel: 'tracking_link', authorKind: 'customer' });
    expect(view.messages.at(-1)?.attachments.map((a) => a.id)).toEqual([uploadId]);

    const forged = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tracking/conversation',
      payload: { token: 'y'.repeat(43) },
    });
    expect(forged.statusCode).toBe(404);
  });

  it('opens for the tracking link the files the customer is shown, and no internal note’s nor another claim’s', async () => {
    const fetchAsGuest = (uploadId: string, token = f.trackingToken) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/tracking/conversation/files/${uploadId}`,
        payload: { token },
      });
    // The technician's reply to the customer carries a photo; an internal note carries another; a
    // message on another customer's claim carries a third.
    const shown = (await read('customer')).body.messages.flatMap((m) => m.attachments.map((a) => a.id));
    expect(shown.length).toBeGreaterThan(0);
    const notePhoto = await uploadAs('technician');
    const note = await post('technician', {
      text: 'Burn mark inside, for the record.',
      visibility: 'internal',
      attachmentUploadIds: [notePhoto],
    });
    expect(note.statusCode, note.body).toBe(201);
    const otherPhoto = await uploadAs('support');
    const other = await post(
      'support',
      { text: 'A photo for the other customer.', attachmentUploadIds: [otherPhoto] },
      f.otherClaim,
    );
    expect(other.statusCode, other.body).toBe(201);

    for (const id of shown) {
      const res = await fetchAsGuest(id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['content-security-policy']).toContain('sandbox');
      expect(res.rawPayload.equals(PNG)).toBe(true);
    }
    // The note's file, another claim's, and a file of nothing are not there for this link.
    for (const id of [notePhoto, otherPhoto, randomUUID()]) {
      const res = await fetchAsGuest(id);
      expect(res.statusCode, id).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'UPLOAD_NOT_FOUND' } });
    }
    // A forged link opens nothing, and the API without the link is closed.
    const forged = await fetchAsGuest(shown[0] ?? '', 'z'.repeat(43));
    expect(forged.statusCode).toBe(404);
    expect(forged.json()).toMatchObject({ error: { code: 'GUEST_LINK_NOT_FOUND' } });
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/uploads/${shown[0] ?? ''}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('adds two messages sent at once one after the other, the queue keeping the first as its time', async () => {
    const before = (await queue('support')).find((c) => c.claimId === f.ownClaim);
    const results = await Promise.all([
      post('customer', { text: 'One more thing.' }),
      post('customer', { text: 'And another.' }),
    ]);
    expect(results.map((r) => r.statusCode)).toEqual([201, 201]);
    const after = (await queue('support')).find((c) => c.claimId === f.ownClaim);
    expect(after?.waitingSince).toBe(before?.waitingSince);
    const view = await read('support');
    expect(
      view.body.messages.filter((m) => ['One more thing.', 'And another.'].includes(m.body)),
    ).toHaveLength(2);
  });
});
