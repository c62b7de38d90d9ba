import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Only in bench databases: the baseline route's table, shaped like a small app table. */
export const benchBaseline = pgTable('bench_baseline', {
  id: uuid('id').primaryKey().defaultRandom(),
  note: text('note').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
