/*
 * The physical limits the app is measured against, through the same driver and ORM as the app
 * (openDatabase → drizzle, a pg pool or PGlite), with no validation, sessions, audit hooks or answer
 * schemas. Started by bench/run.ts on a database it prepared (prepare.ts):
 *   - one-row baselines: a bare route doing one INSERT into a narrow table, and one SELECT by primary key;
 *   - bare twins: a bare route running exactly the statements the app runs for a request — for a claim,
 *     the purchase read and the one CTE that writes the claim, its audit event, its event, its tracking
 *     link and its acknowledgement; for a tracking look-up, its one statement. The statements are the
 *     app's own objects (imported from src/app, not copied), so a twin cannot drift from the app.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { claimPurchase, writeClaim } from '../src/app/claims/submit-claim.js';
import { trackByNumber } from '../src/app/guest/track-claim.js';
import { openDatabase } from '../src/db/client.js';
import { rowsOf } from '../src/db/rows.js';
import { benchBaseline } from './baseline-table.js';

const handle = await openDatabase({
  databaseUrl: process.env.DATABASE_URL || undefined,
  dataDir: process.env.DATA_DIR,
});
const { db } = handle;
const app = Fastify();

app.post<{ Body: { note?: string } }>('/insert', async (request) => {
  const [row] = await db
    .insert(benchBaseline)
    .values({ note: request.body.note ?? '' })
    .returning({ id: benchBaseline.id });
  return row;
});

app.get<{ Params: { id: string } }>('/select/:id', async (request, reply) => {
  const [row] = await db.select().from(benchBaseline).where(eq(benchBaseline.id, request.params.id)).limit(1);
  return row ?? reply.code(404).send({ code: 'NOT_FOUND' });
});

/*
 * The texts a claim's CTE writes besides its keys (the decision, the audit data, the event's claim view,
 * the acknowledgement), taken from a claim the app wrote while the bench prepared the database: the twin
 * sends values of the same size and shape without computing them, as the app's SQL alone would.
 */
type Template = {
  decision: string;
  policy_version_id: string;
  audit_data: string;
  event_data: string;
  subject: string;
  body: string;
  sealed_link: string | null;
  payload: string;
};
const [template] = rowsOf(
  await db.execute(sql`select c.decision::text as decision, c.policy_version_id,
      a.data::text as audit_data, e.data::text as event_data,
      o.subject, o.body, o.sealed_link, o.payload::text as payload
    from claims c
    join audit_events a on a.entity_type = 'claim' and a.entity_id = c.id::text and a.action = 'claim.submitted'
    join events e on e.subject_type = 'claim' and e.subject_id = c.id::text and e.type = 'claim.submitted'
    join outbox o on o.topic = 'claim.received' and o.payload->>'claimId' = c.id::text
    limit 1`),
) as Template[];

app.post<{ Body: { purchaseId: string } }>('/twin/claim', async (request, reply) => {
  if (!template) return reply.code(500).send({ code: 'NO_TEMPLATE_CLAIM' });
  const [purchase] = await claimPurchase(db).execute({ purchaseId: request.body.purchaseId });
  if (!purchase) return reply.code(404).send({ code: 'NOT_FOUND' });
  const now = new Date();
  const [written] = await writeClaim(db, {
    id: randomUUID(),
    purchaseId: purchase.id,
    endUserId: purchase.endUserId,
    reportedOn: now.toISOString().slice(0, 10),
    cause: 'quality',
    description: 'The left earcup crackles at any volume.',
    decision: template.decision,
    policyVersionId: template.policy_version_id,
    idempotencyKey: randomUUID(),
    actor: 'bench',
    auditData: template.audit_data,
    tokenHash: randomBytes(32).toString('base64url'),
    linkExpiresAt: new Date(now.getTime() + 90 * 86_400_000).toISOString(),
    recipient: purchase.email ?? purchase.phone ?? null,
    subject: template.subject,
    body: template.body,
    sealedLink: template.sealed_link,
    payload: template.payload,
    occurredAt: now.toISOString(),
    dealerId: purchase.dealerId,
    eventData: template.event_data,
  });
  return reply.code(201).send(written);
});

app.post<{ Body: { maintenanceNumber: string } }>('/twin/tracking', async (request, reply) => {
  const [row] = await trackByNumber(db).execute({ number: request.body.maintenanceNumber });
  return row ?? reply.code(404).send({ code: 'NOT_FOUND' });
});

const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`baseline: serving on ${url}`);

const stop = () => {
  void app
    .close()
    .then(() => handle.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
