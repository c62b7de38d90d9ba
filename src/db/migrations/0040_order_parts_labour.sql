CREATE TABLE "maintenance_order_parts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"order_id" uuid NOT NULL,
	"part_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"unit_cost_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_order_parts_quantity_check" CHECK ("maintenance_order_parts"."quantity" between 1 and 1000),
	CONSTRAINT "maintenance_order_parts_unit_cost_range_check" CHECK ("maintenance_order_parts"."unit_cost_minor" is null or "maintenance_order_parts"."unit_cost_minor" between 0 and 1000000000000)
);
--> statement-breakpoint
CREATE TABLE "maintenance_order_work" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"labour_hundredths" integer DEFAULT 0 NOT NULL,
	"labour_rate_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"product_id" uuid NOT NULL,
	"first_recorded_on" date NOT NULL,
	"recorded_by" text NOT NULL,
	"corrected_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_order_work_labour_check" CHECK ("maintenance_order_work"."labour_hundredths" between 0 and 20000),
	CONSTRAINT "maintenance_order_work_rate_range_check" CHECK ("maintenance_order_work"."labour_rate_minor" is null or "maintenance_order_work"."labour_rate_minor" between 0 and 1000000000000),
	CONSTRAINT "maintenance_order_work_currency_check" CHECK ("maintenance_order_work"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "maintenance_order_work_version_check" CHECK ("maintenance_order_work"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "parts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"part_number" text NOT NULL,
	"name_en" text NOT NULL,
	"name_zh" text NOT NULL,
	"unit_cost_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"product_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parts_part_number_unique" UNIQUE("part_number"),
	CONSTRAINT "parts_unit_cost_range_check" CHECK ("parts"."unit_cost_minor" is null or "parts"."unit_cost_minor" between 0 and 1000000000000),
	CONSTRAINT "parts_currency_check" CHECK ("parts"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "parts_version_check" CHECK ("parts"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "maintenance_order_parts" ADD CONSTRAINT "maintenance_order_parts_order_id_maintenance_order_work_order_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."maintenance_order_work"("order_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_order_parts" ADD CONSTRAINT "maintenance_order_parts_part_id_parts_id_fk" FOREIGN KEY ("part_id") REFERENCES "public"."parts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_order_work" ADD CONSTRAINT "maintenance_order_work_order_id_maintenance_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."maintenance_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_order_work" ADD CONSTRAINT "maintenance_order_work_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "parts" ADD CONSTRAINT "parts_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_order_parts_order_part_idx" ON "maintenance_order_parts" USING btree ("order_id","part_id");--> statement-breakpoint
CREATE INDEX "maintenance_order_parts_part_id_idx" ON "maintenance_order_parts" USING btree ("part_id");--> statement-breakpoint
CREATE INDEX "maintenance_order_work_recorded_on_idx" ON "maintenance_order_work" USING btree ("first_recorded_on","product_id");--> statement-breakpoint
CREATE INDEX "parts_product_id_idx" ON "parts" USING btree ("product_id");