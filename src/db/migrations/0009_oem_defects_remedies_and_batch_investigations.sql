CREATE SEQUENCE "public"."oem_order_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "public"."remake_order_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "batch_defect_investigations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"lots" text[] NOT NULL,
	"state" text NOT NULL,
	"origin" text NOT NULL,
	"signal" jsonb,
	"root_cause" text,
	"findings" text,
	"opened_by" text NOT NULL,
	"confirmed_on" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batch_defect_investigations_state_check" CHECK ("batch_defect_investigations"."state" in ('proposed', 'open', 'confirmed', 'dismissed', 'closed')),
	CONSTRAINT "batch_defect_investigations_origin_check" CHECK ("batch_defect_investigations"."origin" in ('qa', 'early_warning')),
	CONSTRAINT "batch_defect_investigations_root_cause_check" CHECK ("batch_defect_investigations"."root_cause" is null or "batch_defect_investigations"."root_cause" in ('production', 'electrical', 'other')),
	CONSTRAINT "batch_defect_investigations_lots_check" CHECK (cardinality("batch_defect_investigations"."lots") > 0),
	CONSTRAINT "batch_defect_investigations_confirmed_check" CHECK (("batch_defect_investigations"."confirmed_on" is null) = ("batch_defect_investigations"."state" not in ('confirmed', 'closed'))),
	CONSTRAINT "batch_defect_investigations_version_check" CHECK ("batch_defect_investigations"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "defect_report_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"upload_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "excess_resolutions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"remedy" text NOT NULL,
	"units" integer NOT NULL,
	"credit_kind" text,
	"credit_amount_minor" bigint,
	"credit_currency" text,
	"applied_to_order_id" uuid,
	"applied_at" timestamp with time zone,
	"chosen_by" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "excess_resolutions_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "excess_resolutions_remedy_check" CHECK ("excess_resolutions"."remedy" in ('replacement_shipment', 'next_order_credit')),
	CONSTRAINT "excess_resolutions_units_check" CHECK ("excess_resolutions"."units" > 0),
	CONSTRAINT "excess_resolutions_shape_check" CHECK (("excess_resolutions"."remedy" = 'replacement_shipment' and "excess_resolutions"."credit_kind" is null and "excess_resolutions"."credit_amount_minor" is null and "excess_resolutions"."credit_currency" is null and "excess_resolutions"."applied_to_order_id" is null)
        or ("excess_resolutions"."remedy" = 'next_order_credit' and "excess_resolutions"."credit_kind" = 'units' and "excess_resolutions"."credit_amount_minor" is null and "excess_resolutions"."credit_currency" is null)
        or ("excess_resolutions"."remedy" = 'next_order_credit' and "excess_resolutions"."credit_kind" = 'money' and "excess_resolutions"."credit_amount_minor" >= 0 and "excess_resolutions"."credit_currency" is not null)),
	CONSTRAINT "excess_resolutions_applied_check" CHECK (("excess_resolutions"."applied_to_order_id" is null) = ("excess_resolutions"."applied_at" is null) and "excess_resolutions"."applied_to_order_id" is distinct from "excess_resolutions"."order_id")
);
--> statement-breakpoint
CREATE TABLE "investigation_evidence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"investigation_id" uuid NOT NULL,
	"upload_id" uuid NOT NULL,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maker_cost_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"remake_order_id" uuid NOT NULL,
	"investigation_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"lot" text NOT NULL,
	"units" integer,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"note" text,
	"booked_on" date NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maker_cost_entries_kind_check" CHECK ("maker_cost_entries"."kind" in ('remake_units', 'air_freight', 'other')),
	CONSTRAINT "maker_cost_entries_currency_check" CHECK ("maker_cost_entries"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "maker_cost_entries_units_check" CHECK ("maker_cost_entries"."units" is null or "maker_cost_entries"."units" > 0)
);
--> statement-breakpoint
CREATE TABLE "oem_defect_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"lot" text NOT NULL,
	"units" integer NOT NULL,
	"serials" text[] DEFAULT '{}' NOT NULL,
	"failure_mode" text NOT NULL,
	"reported_on" date NOT NULL,
	"reported_by" text NOT NULL,
	"source" text NOT NULL,
	"remake_order_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oem_defect_reports_units_check" CHECK ("oem_defect_reports"."units" > 0),
	CONSTRAINT "oem_defect_reports_serials_check" CHECK (cardinality("oem_defect_reports"."serials") = 0 or cardinality("oem_defect_reports"."serials") = "oem_defect_reports"."units"),
	CONSTRAINT "oem_defect_reports_source_check" CHECK ("oem_defect_reports"."source" in ('api', 'csv'))
);
--> statement-breakpoint
CREATE TABLE "remake_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"remake_number" text NOT NULL,
	"investigation_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"lot" text NOT NULL,
	"units" integer NOT NULL,
	"shipping_mode" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remake_orders_remake_number_unique" UNIQUE("remake_number"),
	CONSTRAINT "remake_orders_units_check" CHECK ("remake_orders"."units" > 0),
	CONSTRAINT "remake_orders_shipping_mode_check" CHECK ("remake_orders"."shipping_mode" in ('air', 'sea', 'road'))
);
--> statement-breakpoint
ALTER TABLE "uploads" DROP CONSTRAINT "uploads_kind_check";--> statement-breakpoint
DROP INDEX "oem_orders_client_id_idx";--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "lot_details" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "unit_price_minor" bigint;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "policy_version_id" text;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "batch_defect_investigations" ADD CONSTRAINT "batch_defect_investigations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "defect_report_evidence" ADD CONSTRAINT "defect_report_evidence_report_id_oem_defect_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."oem_defect_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "defect_report_evidence" ADD CONSTRAINT "defect_report_evidence_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "excess_resolutions" ADD CONSTRAINT "excess_resolutions_order_id_oem_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."oem_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "excess_resolutions" ADD CONSTRAINT "excess_resolutions_client_id_oem_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "excess_resolutions" ADD CONSTRAINT "excess_resolutions_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "excess_resolutions" ADD CONSTRAINT "excess_resolutions_applied_to_order_id_oem_orders_id_fk" FOREIGN KEY ("applied_to_order_id") REFERENCES "public"."oem_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigation_evidence" ADD CONSTRAINT "investigation_evidence_investigation_id_batch_defect_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."batch_defect_investigations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "investigation_evidence" ADD CONSTRAINT "investigation_evidence_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_cost_entries" ADD CONSTRAINT "maker_cost_entries_remake_order_id_remake_orders_id_fk" FOREIGN KEY ("remake_order_id") REFERENCES "public"."remake_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_cost_entries" ADD CONSTRAINT "maker_cost_entries_investigation_id_batch_defect_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."batch_defect_investigations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_cost_entries" ADD CONSTRAINT "maker_cost_entries_client_id_oem_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maker_cost_entries" ADD CONSTRAINT "maker_cost_entries_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_order_id_oem_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."oem_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_client_id_oem_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_remake_order_id_remake_orders_id_fk" FOREIGN KEY ("remake_order_id") REFERENCES "public"."remake_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_investigation_id_batch_defect_investigations_id_fk" FOREIGN KEY ("investigation_id") REFERENCES "public"."batch_defect_investigations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_order_id_oem_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."oem_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_client_id_oem_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "batch_defect_investigations_product_state_idx" ON "batch_defect_investigations" USING btree ("product_id","state");--> statement-breakpoint
CREATE UNIQUE INDEX "defect_report_evidence_upload_idx" ON "defect_report_evidence" USING btree ("report_id","upload_id");--> statement-breakpoint
CREATE INDEX "excess_resolutions_order_id_idx" ON "excess_resolutions" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "excess_resolutions_client_id_idx" ON "excess_resolutions" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "excess_resolutions_applied_to_order_id_idx" ON "excess_resolutions" USING btree ("applied_to_order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "investigation_evidence_upload_idx" ON "investigation_evidence" USING btree ("investigation_id","upload_id");--> statement-breakpoint
CREATE INDEX "maker_cost_entries_scope_idx" ON "maker_cost_entries" USING btree ("client_id","product_id","lot");--> statement-breakpoint
CREATE INDEX "maker_cost_entries_remake_order_id_idx" ON "maker_cost_entries" USING btree ("remake_order_id");--> statement-breakpoint
CREATE INDEX "oem_defect_reports_order_idx" ON "oem_defect_reports" USING btree ("order_id","reported_on");--> statement-breakpoint
CREATE INDEX "oem_defect_reports_product_lot_idx" ON "oem_defect_reports" USING btree ("product_id","lot");--> statement-breakpoint
CREATE INDEX "oem_defect_reports_client_id_idx" ON "oem_defect_reports" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "oem_defect_reports_remake_order_id_idx" ON "oem_defect_reports" USING btree ("remake_order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remake_orders_investigation_order_lot_idx" ON "remake_orders" USING btree ("investigation_id","order_id","lot");--> statement-breakpoint
CREATE INDEX "remake_orders_order_id_idx" ON "remake_orders" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "remake_orders_client_id_idx" ON "remake_orders" USING btree ("client_id");--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_policy_version_id_policy_versions_id_fk" FOREIGN KEY ("policy_version_id") REFERENCES "public"."policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oem_orders_client_id_idx" ON "oem_orders" USING btree ("client_id","created_at");--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_unit_price_check" CHECK (("oem_orders"."unit_price_minor" is null) = ("oem_orders"."currency" is null) and ("oem_orders"."unit_price_minor" is null or "oem_orders"."unit_price_minor" >= 0));--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_version_check" CHECK ("oem_orders"."version" >= 1);--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_kind_check" CHECK ("uploads"."kind" in ('proof_of_purchase', 'photo', 'evidence'));