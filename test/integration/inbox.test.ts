import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { approvals, users } from '../../src/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_REGISTRATION, seedDemoData } from '../../src/db/seed.js';
import type { Role } from '../../src/domain/access/access.js';
import { Temporal } from '../../src/domain/calendar.js';
import type { InboxResponse } from '../../src/http/inbox/schemas.js';
import { useTestApp } from '../support/app.js';
import { conversationMatrixFixtures } from '../support/conversation-fixtures.js';
import { testDatabases } from '../support/databases.js';
import { demoSession, ORIGIN } from '../support/sessions.js';

/*
 * "Waiting for me" (issue 15): each role's inbox holds what waits on it in its own scope only — a dealer
 * never sees another dealer's customers, a technician another center's — oldest first across kinds, with
 * counts; approvals only of kinds the role decides and never the caller's own request.
 */
describe.each(testDatabases())('the staff inbox on $name', (testDb) => {
  const t = useTestApp(testDb, { AUTH_RATE_LIMIT_PER_MINUTE: '1000' });
  const cookies = new Map<Role, string>();
  let own = '';
  let other = '';
  const ownApproval = randomUUID();
  const othersApproval = randomUUID();
  const creditApproval = randomUUID();

  beforeAll(async () => {
    await seedDemoData(t.db.db, { today: Temporal.PlainDate.from('2026-11-25') });
    for (const role of ['support', 'sales', 'dealer', 'technician', 'customer', 'qa'] as const) {
      cookies.set(role, await demoSession(t.app, role));
    }
    const fixtures = new Map(await conversationMatrixFixtures(t.app, t.db.db));
    const byConversation = fixtures.get('/api/v1/conversations/:id')?.find((f) => f.role === 'dealer');
    own = byConversation?.own ?? '';
    other = byConversation?.other ?? '';
    // Pending approvals: one support asked for itself, one a colleague asked, one for sales to give.
    const email = DEMO_ACCOUNTS.find((a) => a.role === 'support')?.email ?? '';
    const [support] = await t.db.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const approval = (id: string, kind: 'reimbursement' | 'oem_credit', requestedByUserId: string) => ({
      id,
      kind,
      subjectType: kind,
      subjectId: randomUUID(),
      reasons: ['above_threshold'],
      summary: `Approval ${id.slice(0, 8)}`,
      requestedByUserId,
      requestedBy: `user:${requestedByUserId}`,
    });
    await t.db.db
      .insert(approvals)
      .values([
        approval(ownApproval, 'reimbursement', support?.id ?? ''),
        approval(othersApproval, 'reimbursement', 'someone-else'),
        approval(creditApproval, 'oem_credit', 'someone-else'),
      ]);
  });

  const inbox = async (role: Role) => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/inbox',
      headers: { origin: ORIGIN, cookie: cookies.get(role) ?? '' },
    });
    return { status: res.statusCode, body: res.json<InboxResponse>() };
  };
  const ids = (body: InboxResponse, kind: string) =>
    body.items.filter((i) => i.kind === kind).map((i) => i.id);

  it('shows a dealer and a technician their own scope’s work only', async () => {
    for (const role of ['dealer', 'technician'] as const) {
      const { status, body } = await inbox(role);
      expect(status).toBe(200);
      expect(ids(body, 'conversation'), role).toContain(own);
      expect(ids(body, 'conversation'), role).not.toContain(other);
    }
    const dealer = (await inbox('dealer')).body;
    // The demo registration waiting for its check was bought from the demo dealer.
    expect(
      dealer.items.some((i) => i.kind === 'verification' && i.subject === DEMO_REGISTRATION.buyer.name),
    ).toBe(true);
    expect(dealer.counts.map((c) => c.kind)).toEqual(['conversation', 'verification']);
    const technician = (await inbox('technician')).body;
    expect(technician.counts.map((c) => c.kind)).toEqual(['conversation', 'maintenance_order']);
    expect(technician.items.filter((i) => i.kind === 'maintenance_order').length).toBeGreaterThan(0);
  });

  it('gives support every conversation, and only approvals it may give that it did not ask for', async () => {
    const { body } = await inbox('support');
    expect(ids(body, 'conversation')).toEqual(expect.arrayContaining([own, other]));
    expect(ids(body, 'approval')).toContain(othersApproval);
    expect(ids(body, 'approval')).not.toContain(ownApproval);
    expect(ids(body, 'approval')).not.toContain(creditApproval);
    expect(ids((await inbox('sales')).body, 'approval')).toEqual([creditApproval]);
    // Oldest first across kinds, and the counts are what the page lists.
    const since = body.items.map((i) => i.since);
    expect(since).toEqual([...since].sort());
    for (const c of body.counts) {
      expect(body.items.filter((i) => i.kind === c.kind)).toHaveLength(c.count);
    }
  });

  it('is no one’s inbox whose role works no queue', async () => {
    expect((await inbox('customer')).status).toBe(403);
    expect((await inbox('qa')).status).toBe(403);
  });
});
