CREATE SEQUENCE "public"."rma_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "lot_allocations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lot_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"units" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_allocations_units_check" CHECK ("lot_allocations"."units" > 0)
);
--> statement-breakpoint
CREATE TABLE "lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"code" text NOT NULL,
	"quantity" integer NOT NULL,
	"made_on" date NOT NULL,
	"shipped_on" date,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lots_quantity_check" CHECK ("lots"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "oem_price_list_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"effective_from" date NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oem_price_list_entries_price_check" CHECK ("oem_price_list_entries"."unit_price_minor" >= 0),
	CONSTRAINT "oem_price_list_entries_price_range_check" CHECK ("oem_price_list_entries"."unit_price_minor" is null or "oem_price_list_entries"."unit_price_minor" between 0 and 1000000000000),
	CONSTRAINT "oem_price_list_entries_currency_check" CHECK ("oem_price_list_entries"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD COLUMN "accepted_units" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Reports made before QA's review: accepted whole, so their ledgers and the credits they gave stay as they were.
UPDATE "oem_defect_reports" SET "accepted_units" = "units";--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD COLUMN "rejected_units" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD COLUMN "review_basis" text;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD COLUMN "rma_number" text;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD COLUMN "reviewed_by" text;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "state" text DEFAULT 'confirmed' NOT NULL;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "ordered_on" date DEFAULT current_date NOT NULL;--> statement-breakpoint
UPDATE "oem_orders" SET "ordered_on" = "created_at"::date;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "price_list_entry_id" uuid;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "confirmed_by" text;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD COLUMN "decline_reason" text;--> statement-breakpoint
ALTER TABLE "lot_allocations" ADD CONSTRAINT "lot_allocations_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_allocations" ADD CONSTRAINT "lot_allocations_order_id_oem_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."oem_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_allocations" ADD CONSTRAINT "lot_allocations_client_id_oem_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oem_price_list_entries" ADD CONSTRAINT "oem_price_list_entries_client_id_oem_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oem_price_list_entries" ADD CONSTRAINT "oem_price_list_entries_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lot_allocations_lot_order_idx" ON "lot_allocations" USING btree ("lot_id","order_id");--> statement-breakpoint
CREATE INDEX "lot_allocations_order_id_idx" ON "lot_allocations" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "lot_allocations_client_id_idx" ON "lot_allocations" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lots_product_code_idx" ON "lots" USING btree ("product_id","code");--> statement-breakpoint
CREATE INDEX "lots_code_idx" ON "lots" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "oem_price_list_entries_version_idx" ON "oem_price_list_entries" USING btree ("client_id","product_id","effective_from");--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_price_list_entry_id_oem_price_list_entries_id_fk" FOREIGN KEY ("price_list_entry_id") REFERENCES "public"."oem_price_list_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oem_defect_reports_undecided_idx" ON "oem_defect_reports" USING btree ("reported_on") WHERE "oem_defect_reports"."accepted_units" + "oem_defect_reports"."rejected_units" < "oem_defect_reports"."units";--> statement-breakpoint
CREATE INDEX "oem_orders_requested_idx" ON "oem_orders" USING btree ("created_at") WHERE "oem_orders"."state" = 'requested';--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_rma_number_unique" UNIQUE("rma_number");--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_review_check" CHECK ("oem_defect_reports"."accepted_units" >= 0 and "oem_defect_reports"."rejected_units" >= 0 and "oem_defect_reports"."accepted_units" + "oem_defect_reports"."rejected_units" <= "oem_defect_reports"."units");--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_rejection_reason_check" CHECK ("oem_defect_reports"."rejected_units" = 0 or "oem_defect_reports"."rejection_reason" is not null);--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_review_basis_check" CHECK ("oem_defect_reports"."review_basis" in ('evidence', 'returned_units'));--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_state_check" CHECK ("oem_orders"."state" in ('requested', 'confirmed', 'declined'));--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_declined_check" CHECK (("oem_orders"."state" = 'declined') = ("oem_orders"."decline_reason" is not null));--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_requested_check" CHECK ("oem_orders"."state" <> 'requested' or ("oem_orders"."unit_price_minor" is null and "oem_orders"."spare_units" = 0 and cardinality("oem_orders"."lots") = 0 and jsonb_array_length("oem_orders"."lot_details") = 0));;--> statement-breakpoint
-- The lots earlier orders named become the maker's lot records (their units: what those orders shipped
-- from them), and each order's lots its allocations, so the lot rates stay as they were.
INSERT INTO "lots" (product_id, code, quantity, made_on, shipped_on, created_by)
SELECT o.product_id, l.lot, least(sum(l.units), 2147483647)::integer, min(o.delivery_date), min(o.delivery_date), 'migration:0021'
  FROM "oem_orders" AS o CROSS JOIN LATERAL oem_order_lots(o.lot_details, o.lots, o.quantity) AS l
 GROUP BY o.product_id, l.lot;
--> statement-breakpoint
INSERT INTO "lot_allocations" (lot_id, order_id, client_id, units, created_by)
SELECT lt.id, o.id, o.client_id, least(sum(l.units), 2147483647)::integer, 'migration:0021'
  FROM "oem_orders" AS o CROSS JOIN LATERAL oem_order_lots(o.lot_details, o.lots, o.quantity) AS l
  JOIN "lots" AS lt ON lt.product_id = o.product_id AND lt.code = l.lot
 GROUP BY lt.id, o.id, o.client_id;
--> statement-breakpoint
-- A lot's defects are the units reported on it less those QA rejected.
CREATE OR REPLACE FUNCTION "oem_lot_totals_on_defect"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE oem_lot_totals SET defects = defects - (OLD.units - OLD.rejected_units)
     WHERE product_id = OLD.product_id AND lot = OLD.lot;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO oem_lot_totals AS t (product_id, lot, defects) VALUES (NEW.product_id, NEW.lot, NEW.units - NEW.rejected_units)
    ON CONFLICT (product_id, lot) DO UPDATE SET defects = t.defects + excluded.defects;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER "oem_lot_totals_on_defect" ON "oem_defect_reports";
--> statement-breakpoint
CREATE TRIGGER "oem_lot_totals_on_defect"
AFTER INSERT OR DELETE OR UPDATE OF product_id, lot, units, rejected_units ON "oem_defect_reports"
FOR EACH ROW EXECUTE FUNCTION oem_lot_totals_on_defect();
