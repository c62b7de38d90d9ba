CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purchase_id" uuid NOT NULL,
	"end_user_id" uuid NOT NULL,
	"reported_on" date NOT NULL,
	"cause" text NOT NULL,
	"description" text NOT NULL,
	"decision" jsonb NOT NULL,
	"policy_version_id" text NOT NULL,
	"chosen_remedy" text,
	"status" text DEFAULT 'open' NOT NULL,
	"idempotency_key" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "claims_cause_check" CHECK ("claims"."cause" in ('quality', 'human_damage')),
	CONSTRAINT "claims_chosen_remedy_check" CHECK ("claims"."chosen_remedy" is null or "claims"."chosen_remedy" in ('refund', 'replacement', 'service_center', 'maintenance_order', 'mail_in_repair', 'paid_service')),
	CONSTRAINT "claims_status_check" CHECK ("claims"."status" in ('open', 'remedy_chosen', 'resolved', 'withdrawn')),
	CONSTRAINT "claims_version_check" CHECK ("claims"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "dealers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"email" text,
	"phone" text,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "end_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "end_users_contact_check" CHECK ("end_users"."email" is not null or "end_users"."phone" is not null)
);
--> statement-breakpoint
CREATE TABLE "maintenance_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"maintenance_number" text NOT NULL,
	"service_center_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"state" text DEFAULT 'issued' NOT NULL,
	"received_on" date,
	"due_on" date,
	"return_tracking" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_orders_maintenance_number_unique" UNIQUE("maintenance_number"),
	CONSTRAINT "maintenance_orders_mode_check" CHECK ("maintenance_orders"."mode" in ('walk_in', 'mail_in')),
	CONSTRAINT "maintenance_orders_state_check" CHECK ("maintenance_orders"."state" in ('issued', 'awaitingParts', 'received', 'diagnosing', 'repairing', 'repaired', 'returned', 'closed', 'cancelled', 'paidService')),
	CONSTRAINT "maintenance_orders_due_on_check" CHECK ("maintenance_orders"."due_on" is null or ("maintenance_orders"."received_on" is not null and "maintenance_orders"."due_on" >= "maintenance_orders"."received_on")),
	CONSTRAINT "maintenance_orders_version_check" CHECK ("maintenance_orders"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "oem_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"country" text NOT NULL,
	"contact_name" text,
	"email" text,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oem_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_number" text NOT NULL,
	"client_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"spare_rate_bps" integer NOT NULL,
	"spare_units" integer NOT NULL,
	"delivery_date" date NOT NULL,
	"lots" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oem_orders_order_number_unique" UNIQUE("order_number"),
	CONSTRAINT "oem_orders_quantity_check" CHECK ("oem_orders"."quantity" > 0),
	CONSTRAINT "oem_orders_spare_rate_bps_check" CHECK ("oem_orders"."spare_rate_bps" between 0 and 10000),
	CONSTRAINT "oem_orders_spare_units_check" CHECK ("oem_orders"."spare_units" >= 0)
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"topic" text NOT NULL,
	"recipient" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"sent_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "outbox_attempts_check" CHECK ("outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "policy_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"effective_from" date NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_versions_effective_from_unique" UNIQUE("effective_from"),
	CONSTRAINT "policy_versions_document_id_check" CHECK ("policy_versions"."document" ->> 'id' = "policy_versions"."id"),
	CONSTRAINT "policy_versions_document_effective_from_check" CHECK ("policy_versions"."document" ->> 'effectiveFrom' = to_char("policy_versions"."effective_from", 'YYYY-MM-DD'))
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sku" text NOT NULL,
	"name_en" text NOT NULL,
	"name_zh" text NOT NULL,
	"category" text NOT NULL,
	"warranty_override" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_sku_unique" UNIQUE("sku"),
	CONSTRAINT "products_category_check" CHECK ("products"."category" in ('dc_power_panel', 'charger_module', 'inverter', 'battery_monitor', 'headset', 'bluetooth_headset', 'other')),
	CONSTRAINT "products_warranty_override_check" CHECK ("products"."warranty_override" is null or jsonb_typeof("products"."warranty_override") = 'object')
);
--> statement-breakpoint
CREATE TABLE "purchases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"unit_id" uuid,
	"dealer_id" uuid,
	"end_user_id" uuid NOT NULL,
	"purchase_date" date NOT NULL,
	"proof_file" text,
	"buyer_name" text,
	"buyer_email" text,
	"buyer_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_centers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"name_en" text NOT NULL,
	"name_zh" text NOT NULL,
	"city" text NOT NULL,
	"address" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"time_zone" text NOT NULL,
	"committed_service_days" integer NOT NULL,
	"business_days" integer[] DEFAULT '{1,2,3,4,5}' NOT NULL,
	"email" text NOT NULL,
	"phone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_centers_kind_check" CHECK ("service_centers"."kind" in ('center', 'office')),
	CONSTRAINT "service_centers_latitude_check" CHECK ("service_centers"."latitude" between -90 and 90),
	CONSTRAINT "service_centers_longitude_check" CHECK ("service_centers"."longitude" between -180 and 180),
	CONSTRAINT "service_centers_committed_service_days_check" CHECK ("service_centers"."committed_service_days" between 1 and 365),
	CONSTRAINT "service_centers_business_days_check" CHECK (cardinality("service_centers"."business_days") > 0 and "service_centers"."business_days" <@ array[1, 2, 3, 4, 5, 6, 7])
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"serial" text NOT NULL,
	"product_id" uuid NOT NULL,
	"lot" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_serial_unique" UNIQUE("serial")
);
--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "public"."purchases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_end_user_id_end_users_id_fk" FOREIGN KEY ("end_user_id") REFERENCES "public"."end_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_policy_version_id_policy_versions_id_fk" FOREIGN KEY ("policy_version_id") REFERENCES "public"."policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD CONSTRAINT "maintenance_orders_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD CONSTRAINT "maintenance_orders_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_client_id_oem_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "public"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_end_user_id_end_users_id_fk" FOREIGN KEY ("end_user_id") REFERENCES "public"."end_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_entity_idx" ON "audit_events" USING btree ("entity_type","entity_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_occurred_at_idx" ON "audit_events" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "claims_purchase_id_idx" ON "claims" USING btree ("purchase_id");--> statement-breakpoint
CREATE INDEX "claims_end_user_id_idx" ON "claims" USING btree ("end_user_id");--> statement-breakpoint
CREATE INDEX "claims_policy_version_id_idx" ON "claims" USING btree ("policy_version_id");--> statement-breakpoint
CREATE INDEX "claims_status_created_at_idx" ON "claims" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "end_users_email_idx" ON "end_users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "maintenance_orders_claim_id_idx" ON "maintenance_orders" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "maintenance_orders_center_state_due_idx" ON "maintenance_orders" USING btree ("service_center_id","state","due_on");--> statement-breakpoint
CREATE INDEX "oem_orders_client_id_idx" ON "oem_orders" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "oem_orders_product_id_idx" ON "oem_orders" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "outbox_unsent_idx" ON "outbox" USING btree ("created_at") WHERE "outbox"."sent_at" is null;--> statement-breakpoint
CREATE INDEX "purchases_end_user_id_idx" ON "purchases" USING btree ("end_user_id","purchase_date");--> statement-breakpoint
CREATE INDEX "purchases_product_id_idx" ON "purchases" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "purchases_unit_id_idx" ON "purchases" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "purchases_dealer_id_idx" ON "purchases" USING btree ("dealer_id");--> statement-breakpoint
CREATE INDEX "units_product_id_idx" ON "units" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "units_lot_idx" ON "units" USING btree ("lot");