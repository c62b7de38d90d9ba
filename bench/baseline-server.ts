/*
 * The physical limit the app is measured against: a bare Fastify route doing one INSERT, and one
 * doing one SELECT by primary key, through the same driver and ORM as the app (openDatabase →
 * drizzle, a pg pool or PGlite), with no validation, sessions or audit. Started by bench/run.ts on a
 * database it prepared (the table and its rows come from prepare.ts).
 */
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { openDatabase } from '../src/db/client.js';
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
