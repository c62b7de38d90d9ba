CREATE INDEX "claims_reported_on_idx" ON "claims" USING btree ("reported_on","id");--> statement-breakpoint
CREATE INDEX "maintenance_orders_due_key_idx" ON "maintenance_orders" USING btree (coalesce("due_on", 'infinity'::date),"id");--> statement-breakpoint
CREATE INDEX "maintenance_orders_created_at_idx" ON "maintenance_orders" USING btree ("created_at","id");