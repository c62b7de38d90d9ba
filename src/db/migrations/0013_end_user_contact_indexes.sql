DROP INDEX "end_users_email_idx";--> statement-breakpoint
CREATE INDEX "end_users_email_lower_idx" ON "end_users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "end_users_phone_digits_idx" ON "end_users" USING btree (right(regexp_replace(coalesce("phone", ''), '[^0-9]', '', 'g'), 11));