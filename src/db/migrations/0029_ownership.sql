ALTER TABLE "claims" ADD COLUMN "owner_id" text;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "owner_id" text;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD CONSTRAINT "maintenance_orders_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor","id");--> statement-breakpoint
CREATE INDEX "claims_owner_id_idx" ON "claims" USING btree ("owner_id","created_at");--> statement-breakpoint
CREATE INDEX "maintenance_orders_owner_id_idx" ON "maintenance_orders" USING btree ("owner_id");