-- Staff search (issue 15): trigram indexes need pg_trgm, a trusted extension (PostgreSQL 13+), so the
-- database's owner may create it without superuser; PGlite loads its bundle (db/client.ts createPglite).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "claims_reference_trgm_idx" ON "claims" USING gin (("id"::text) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "end_users_name_trgm_idx" ON "end_users" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "end_users_email_trgm_idx" ON "end_users" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "end_users_phone_digits_trgm_idx" ON "end_users" USING gin (regexp_replace(coalesce("phone", ''), '[^0-9]', '', 'g') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "maintenance_orders_number_trgm_idx" ON "maintenance_orders" USING gin ("maintenance_number" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "purchases_buyer_name_trgm_idx" ON "purchases" USING gin ("buyer_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "purchases_buyer_email_trgm_idx" ON "purchases" USING gin ("buyer_email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "purchases_buyer_phone_digits_trgm_idx" ON "purchases" USING gin (regexp_replace(coalesce("buyer_phone", ''), '[^0-9]', '', 'g') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "quotes_invoice_number_trgm_idx" ON "quotes" USING gin ("invoice_number" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "units_serial_trgm_idx" ON "units" USING gin ("serial" gin_trgm_ops);