DROP INDEX "purchases_dealer_id_idx";--> statement-breakpoint
CREATE INDEX "claims_created_at_idx" ON "claims" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "maintenance_orders_deadline_idx" ON "maintenance_orders" USING btree ("due_on","created_at","id");--> statement-breakpoint
CREATE INDEX "maintenance_orders_center_deadline_idx" ON "maintenance_orders" USING btree ("service_center_id","due_on","created_at","id");--> statement-breakpoint
CREATE INDEX "maintenance_orders_state_deadline_idx" ON "maintenance_orders" USING btree ("state","due_on","created_at","id");--> statement-breakpoint
CREATE INDEX "maintenance_orders_open_deadline_idx" ON "maintenance_orders" USING btree ("due_on","created_at","id") WHERE "maintenance_orders"."state" not in ('closed', 'cancelled');--> statement-breakpoint
CREATE INDEX "maintenance_orders_open_center_deadline_idx" ON "maintenance_orders" USING btree ("service_center_id","due_on","created_at","id") WHERE "maintenance_orders"."state" not in ('closed', 'cancelled');--> statement-breakpoint
CREATE INDEX "maintenance_orders_under_commitment_idx" ON "maintenance_orders" USING btree ("due_on","id") WHERE "maintenance_orders"."state" in ('received', 'diagnosing', 'repairing') and "maintenance_orders"."contacted_on" is null and "maintenance_orders"."returned_on" is null;--> statement-breakpoint
CREATE INDEX "outbox_created_at_idx" ON "outbox" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "outbox_recipient_created_at_idx" ON "outbox" USING btree ("recipient","created_at","id");--> statement-breakpoint
CREATE INDEX "purchases_date_idx" ON "purchases" USING btree ("purchase_date","created_at","id");--> statement-breakpoint
CREATE INDEX "purchases_dealer_date_idx" ON "purchases" USING btree ("dealer_id","purchase_date","created_at","id");--> statement-breakpoint
CREATE INDEX "quotes_created_at_idx" ON "quotes" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "reimbursement_claims_created_idx" ON "reimbursement_claims" USING btree ("created_at","id");