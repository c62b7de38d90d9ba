import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_OUTBOX_ATTEMPTS } from '../../src/app/outbox/dispatch-outbox.js';
import { auditEvents, outbox } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import { messageStatuses } from '../../src/domain/outbox/message-status.js';
import type { Message } from '../../src/http/messages/schemas.js';
import { sentText, useTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

describe.each(testDatabases())('messages, as staff see the outbox, on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  const ids: Record<'failed' | 'phone' | 'retrying' | 'staff' | 'sent', string> = {
    failed: '',
    phone: '',
    retrying: '',
    staff: '',
    sent: '',
  };
  const claimId = '11111111-1111-4111-8111-111111111111';

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    for (const role of ['admin', 'support', 'customer', 'technician', 'dealer', 'qa', 'sales'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    // The states a dispatcher and the service leave messages in, one of each.
    const base = { subject: 'Your repair', body: 'Dear customer, …', payload: { claimId } };
    const inserted = await t.db.db
      .insert(outbox)
      .values([
        {
          ...base,
          topic: 'maintenance_order.received',
          recipient: 'gone@nowhere.example',
          attempts: MAX_OUTBOX_ATTEMPTS,
          lastError: '550 mailbox unavailable',
        },
        { ...base, topic: 'maintenance_order.received', recipient: '+86 138 0013 8000' },
        {
          ...base,
          topic: 'claim.acknowledged',
          recipient: 'slow@mail.example',
          attempts: 2,
          lastError: 'ETIMEDOUT',
          nextAttemptAt: new Date('2026-11-25T05:00:00Z'),
        },
        { ...base, topic: 'maintenance_order.escalated', recipient: 'role:support', payload: {} },
        { ...base, topic: 'claim.acknowledged', recipient: 'li.wei@example.com', sentAt: new Date() },
      ])
      .returning({ id: outbox.id });
    const [failed, phone, retrying, staff, sent] = inserted.map((r) => r.id);
    if (!failed || !phone || !retrying || !staff || !sent) throw new Error('five messages were inserted');
    Object.assign(ids, { failed, phone, retrying, staff, sent });
  });

  const as = (role: Role) => ({ origin: ORIGIN, cookie: cookies.get(role) ?? '' });
  const list = async (role: Role, query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/messages${query}`, headers: as(role) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Message[] }>().items;
  };
  const pageOf = async (query: string) => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/messages${query}`,
      headers: as('support'),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Message[]; nextCursor: string | null }>();
  };
  const work = (role: Role, id: string, body: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/messages/${id}/work`, headers: as(role), payload: body });

  it('is for support and admins only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/messages' })).statusCode).toBe(401);
    for (const role of ['customer', 'technician', 'dealer'] as const) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/messages', headers: as(role) });
      expect(res.statusCode, role).toBe(403);
      expect((await work(role, ids.phone, { action: 'retry' })).statusCode, role).toBe(403);
    }
    expect((await list('admin')).length).toBeGreaterThanOrEqual(5);
  });

  it('gives QA and sales the notices addressed to their role, and nothing else', async () => {
    const [qaNotice, salesNotice] = await t.db.db
      .insert(outbox)
      .values([
        { topic: 'oem_lot.flagged', recipient: 'role:qa', subject: 'Lot flagged', body: '…' },
        { topic: 'oem_order.excess', recipient: 'role:sales', subject: 'Beyond the spares', body: '…' },
      ])
      .returning({ id: outbox.id });
    // QA's inbox: this notice, and the early warning the demo seed's flagged lot raised; nothing else.
    const qaInbox = await list('qa');
    expect(qaInbox.map((m) => m.id)).toContain(qaNotice?.id);
    expect(qaInbox.map((m) => [m.recipient, m.topic]).sort()).toEqual([
      ['role:qa', 'oem_lot.flagged'],
      ['role:qa', 'oem_lot.flagged'],
    ]);
    expect((await list('sales')).map((m) => m.id)).toEqual([salesNotice?.id]);
    const one = (role: Role, id: string) =>
      t.app.inject({ method: 'GET', url: `/api/v1/messages/${id}`, headers: as(role) });
    expect((await one('qa', qaNotice?.id ?? '')).json()).toMatchObject({
      status: 'internal',
      channel: 'staff',
    });
    expect((await one('qa', salesNotice?.id ?? '')).statusCode).toBe(404);
    expect((await one('qa', ids.phone)).statusCode).toBe(404);
    // Reading their inbox is all: working the outbox stays with support.
    expect((await work('qa', ids.failed, { action: 'retry' })).statusCode).toBe(403);
  });

  it('tells each message’s delivery, and filters by it in the database as the status says', async () => {
    const all = await list('support', '?limit=200');
    const byId = new Map(all.map((m) => [m.id, m]));
    expect(byId.get(ids.failed)).toMatchObject({ status: 'failed', channel: 'email', claimId });
    expect(byId.get(ids.phone)).toMatchObject({ status: 'to_call', channel: 'phone' });
    expect(byId.get(ids.retrying)).toMatchObject({ status: 'retrying', lastError: 'ETIMEDOUT' });
    expect(byId.get(ids.staff)).toMatchObject({ status: 'internal', channel: 'staff' });
    expect(byId.get(ids.sent)).toMatchObject({ status: 'sent' });
    // Each status filter returns exactly the messages of that status: the SQL and the domain agree.
    for (const status of messageStatuses) {
      const some = await list('support', `?status=${status}&limit=200`);
      expect(some.map((m) => m.id).sort(), status).toEqual(
        all
          .filter((m) => m.status === status)
          .map((m) => m.id)
          .sort(),
      );
    }
    const attention = await list('support', '?status=attention');
    expect(attention.map((m) => m.id).sort()).toEqual([ids.failed, ids.phone].sort());
    expect((await list('support', `?claimId=${claimId}`)).length).toBe(4);
    expect((await list('support', '?recipient=GONE@nowhere.example')).map((m) => m.id)).toEqual([ids.failed]);
    expect((await list('support', '?topic=maintenance_order.')).length).toBe(3);
  });

  it('never shows the secret of a link that acts for the recipient', async () => {
    const email = DEMO_ACCOUNTS.find((a) => a.role === 'customer')?.email ?? '';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/request-password-reset',
      headers: { origin: ORIGIN },
      payload: { email, redirectTo: '/reset-password' },
    });
    expect(res.statusCode).toBe(200);
    const [row] = await t.db.db.select().from(outbox).where(eq(outbox.topic, 'account.password_reset'));
    const token = /reset-password\/([^/?\s]+)/.exec(sentText(row))?.[1];
    expect(token).toBeTruthy();
    const [shown] = await list('support', `?topic=account.password_reset`);
    expect(shown?.body).toContain('/reset-password/…');
    expect(shown?.body).not.toContain(token);
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/v1/messages/${row?.id}`,
      headers: as('admin'),
    });
    expect(one.json<Message>().body).not.toContain(token);
  });

  it('pages newest first without losing or repeating a message', async () => {
    const all = await list('support', '?limit=200');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Message[]; nextCursor: string | null } = await pageOf(
        `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((m) => m.id));
    for (const url of [`/api/v1/messages?cursor=${NO_SUCH_ID}`, `/api/v1/messages?before=${NO_SUCH_ID}`]) {
      const refused = await t.app.inject({ method: 'GET', url, headers: as('support') });
      expect(refused.statusCode, url).toBe(400);
    }
    const forged = await t.app.inject({
      method: 'GET',
      url: `/api/v1/messages?cursor=${NO_SUCH_ID}`,
      headers: as('support'),
    });
    expect(forged.json()).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
  });

  it('sends a failed e-mail again, and records the call that delivered a message to a phone, audited', async () => {
    const retried = await work('support', ids.failed, { action: 'retry' });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'queued', attempts: 0, lastError: null });

    const noNote = await work('support', ids.phone, { action: 'recordCall' });
    expect(noNote.statusCode).toBe(400);
    const called = await work('support', ids.phone, {
      action: 'recordCall',
      note: 'Told Mr Zhang his DC panel is back on Friday — Chen',
    });
    expect(called.statusCode, called.body).toBe(200);
    expect(called.json()).toMatchObject({ status: 'sent' });
    expect(called.json<Message>().sentAt).toBeTruthy();

    const events = await t.db.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.entityType, 'outbox_message'));
    expect(events.map((e) => e.action).sort()).toEqual(['message.delivered_by_call', 'message.retried']);
    expect(events.find((e) => e.action === 'message.delivered_by_call')?.data).toMatchObject({
      note: 'Told Mr Zhang his DC panel is back on Friday — Chen',
    });
  });

  it('refuses work a message’s state does not call for, and changes nothing', async () => {
    for (const [id, body] of [
      [ids.sent, { action: 'retry' }],
      [ids.staff, { action: 'recordCall', note: 'x' }],
      [ids.retrying, { action: 'recordCall', note: 'x' }],
    ] as const) {
      const [before] = await t.db.db.select().from(outbox).where(eq(outbox.id, id));
      const res = await work('support', id, body);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'MESSAGE_NOT_WORKABLE' } });
      const [after] = await t.db.db.select().from(outbox).where(eq(outbox.id, id));
      expect(after).toEqual(before);
    }
    expect((await work('support', NO_SUCH_ID, { action: 'retry' })).statusCode).toBe(404);
    expect((await work('support', ids.failed, { action: 'resend' })).statusCode).toBe(400);
  });
});
