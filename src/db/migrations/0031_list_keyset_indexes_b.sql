DROP INDEX "oem_orders_client_id_idx";--> statement-breakpoint
DROP INDEX "purchases_date_idx";--> statement-breakpoint
DROP INDEX "purchases_dealer_date_idx";--> statement-breakpoint
CREATE INDEX "oem_orders_created_at_idx" ON "oem_orders" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "purchases_created_at_idx" ON "purchases" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "oem_orders_client_id_idx" ON "oem_orders" USING btree ("client_id","created_at","id");--> statement-breakpoint
CREATE INDEX "purchases_date_idx" ON "purchases" USING btree ("purchase_date","id");--> statement-breakpoint
CREATE INDEX "purchases_dealer_date_idx" ON "purchases" USING btree ("dealer_id","purchase_date","id");