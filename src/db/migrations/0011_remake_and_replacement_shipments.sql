CREATE SEQUENCE "public"."replacement_shipment_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "replacement_shipments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"shipment_number" text NOT NULL,
	"resolution_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"units" integer NOT NULL,
	"state" text DEFAULT 'planned' NOT NULL,
	"shipping_mode" text NOT NULL,
	"carrier" text,
	"waybill" text,
	"shipped_on" date,
	"delivered_on" date,
	"cancellation_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "replacement_shipments_shipment_number_unique" UNIQUE("shipment_number"),
	CONSTRAINT "replacement_shipments_resolution_id_unique" UNIQUE("resolution_id"),
	CONSTRAINT "replacement_shipments_units_check" CHECK ("replacement_shipments"."units" > 0),
	CONSTRAINT "replacement_shipments_state_check" CHECK ("replacement_shipments"."state" in ('planned', 'in_production', 'shipped', 'delivered', 'cancelled')),
	CONSTRAINT "replacement_shipments_shipping_mode_check" CHECK ("replacement_shipments"."shipping_mode" in ('air', 'sea', 'road')),
	CONSTRAINT "replacement_shipments_shipped_check" CHECK (("replacement_shipments"."state" in ('shipped', 'delivered')) = ("replacement_shipments"."shipped_on" is not null and "replacement_shipments"."carrier" is not null and "replacement_shipments"."waybill" is not null)),
	CONSTRAINT "replacement_shipments_delivered_check" CHECK (("replacement_shipments"."state" = 'delivered') = ("replacement_shipments"."delivered_on" is not null) and ("replacement_shipments"."delivered_on" is null or "replacement_shipments"."delivered_on" >= "replacement_shipments"."shipped_on")),
	CONSTRAINT "replacement_shipments_cancelled_check" CHECK (("replacement_shipments"."state" = 'cancelled') = ("replacement_shipments"."cancellation_reason" is not null)),
	CONSTRAINT "replacement_shipments_version_check" CHECK ("replacement_shipments"."version" >= 1)
);
--> statement-breakpoint
DROP INDEX "remake_orders_investigation_order_lot_idx";--> statement-breakpoint
ALTER TABLE "remake_orders" ADD COLUMN "state" text DEFAULT 'planned' NOT NULL;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD COLUMN "carrier" text;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD COLUMN "waybill" text;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD COLUMN "shipped_on" date;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD COLUMN "delivered_on" date;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD COLUMN "cancellation_reason" text;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "replacement_shipments" ADD CONSTRAINT "replacement_shipments_resolution_id_excess_resolutions_id_fk" FOREIGN KEY ("resolution_id") REFERENCES "public"."excess_resolutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_shipments" ADD CONSTRAINT "replacement_shipments_order_id_oem_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."oem_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_shipments" ADD CONSTRAINT "replacement_shipments_client_id_oem_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "replacement_shipments" ADD CONSTRAINT "replacement_shipments_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "replacement_shipments_order_id_idx" ON "replacement_shipments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "replacement_shipments_client_id_idx" ON "replacement_shipments" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "remake_orders_open_investigation_order_lot_idx" ON "remake_orders" USING btree ("investigation_id","order_id","lot") WHERE "remake_orders"."state" in ('planned', 'in_production');--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_state_check" CHECK ("remake_orders"."state" in ('planned', 'in_production', 'shipped', 'delivered', 'cancelled'));--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_shipped_check" CHECK (("remake_orders"."state" in ('shipped', 'delivered')) = ("remake_orders"."shipped_on" is not null and "remake_orders"."carrier" is not null and "remake_orders"."waybill" is not null));--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_delivered_check" CHECK (("remake_orders"."state" = 'delivered') = ("remake_orders"."delivered_on" is not null) and ("remake_orders"."delivered_on" is null or "remake_orders"."delivered_on" >= "remake_orders"."shipped_on"));--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_cancelled_check" CHECK (("remake_orders"."state" = 'cancelled') = ("remake_orders"."cancellation_reason" is not null));--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_version_check" CHECK ("remake_orders"."version" >= 1);--> statement-breakpoint
-- Replacement shipments chosen before this migration are planned now, by sea (the default), numbered in the order they were chosen.
INSERT INTO "replacement_shipments" ("shipment_number", "resolution_id", "order_id", "client_id", "product_id", "units", "shipping_mode", "created_at", "updated_at")
SELECT 'RPL-' || to_char(r."created_at", 'YYYY') || '-' || lpad(nextval('replacement_shipment_number_seq')::text, 6, '0'), r."id", r."order_id", r."client_id", r."product_id", r."units", 'sea', r."created_at", r."created_at"
FROM (SELECT * FROM "excess_resolutions" WHERE "remedy" = 'replacement_shipment' ORDER BY "created_at", "id") r;
