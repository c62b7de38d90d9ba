CREATE TABLE "oem_lot_totals" (
	"product_id" uuid NOT NULL,
	"lot" text NOT NULL,
	"units_shipped" bigint DEFAULT 0 NOT NULL,
	"shipments" integer DEFAULT 0 NOT NULL,
	"spare_rate_bps" integer,
	"defects" bigint DEFAULT 0 NOT NULL,
	"lower" double precision GENERATED ALWAYS AS (case when ("units_shipped")::float8 <= 0 then 0::float8 else greatest(0::float8, ((least(1::float8, ("defects")::float8 / ("units_shipped")::float8) + (1.959963984540054::float8 * 1.959963984540054::float8) / (2 * ("units_shipped")::float8)) - 1.959963984540054::float8 * sqrt((least(1::float8, ("defects")::float8 / ("units_shipped")::float8) * (1 - least(1::float8, ("defects")::float8 / ("units_shipped")::float8))) / ("units_shipped")::float8 + (1.959963984540054::float8 * 1.959963984540054::float8) / (4 * ("units_shipped")::float8 * ("units_shipped")::float8))) / (1 + (1.959963984540054::float8 * 1.959963984540054::float8) / ("units_shipped")::float8)) end) STORED NOT NULL,
	"flagged" boolean GENERATED ALWAYS AS ("units_shipped" > 0 and case when ("units_shipped")::float8 <= 0 then 0::float8 else greatest(0::float8, ((least(1::float8, ("defects")::float8 / ("units_shipped")::float8) + (1.959963984540054::float8 * 1.959963984540054::float8) / (2 * ("units_shipped")::float8)) - 1.959963984540054::float8 * sqrt((least(1::float8, ("defects")::float8 / ("units_shipped")::float8) * (1 - least(1::float8, ("defects")::float8 / ("units_shipped")::float8))) / ("units_shipped")::float8 + (1.959963984540054::float8 * 1.959963984540054::float8) / (4 * ("units_shipped")::float8 * ("units_shipped")::float8))) / (1 + (1.959963984540054::float8 * 1.959963984540054::float8) / ("units_shipped")::float8)) end > coalesce("spare_rate_bps", 0)::float8 / 10000) STORED NOT NULL,
	CONSTRAINT "oem_lot_totals_product_id_lot_pk" PRIMARY KEY("product_id","lot")
);
--> statement-breakpoint
ALTER TABLE "oem_lot_totals" ADD CONSTRAINT "oem_lot_totals_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oem_orders_lots_idx" ON "oem_orders" USING gin ("lots");--> statement-breakpoint
-- An order's lots with their units, as lotsOf() in src/app/oem/oem-records.ts reads them: its lot details,
-- or for orders booked before those were kept, its lot codes sharing its quantity (the first takes the remainder).
-- The greatest() is for the planner, which folds the division for an order without lots before finding no rows.
CREATE FUNCTION "oem_order_lots"(details jsonb, codes text[], quantity integer)
RETURNS TABLE (lot text, units bigint) LANGUAGE sql IMMUTABLE AS $$
  SELECT e.value->>'lot', (e.value->>'units')::bigint FROM jsonb_array_elements(details) AS e
  UNION ALL
  SELECT c.code, CASE WHEN c.i = 1 THEN quantity - (quantity / greatest(cardinality(codes), 1)) * (cardinality(codes) - 1)
                      ELSE quantity / greatest(cardinality(codes), 1) END
  FROM unnest(codes) WITH ORDINALITY AS c(code, i)
  WHERE jsonb_array_length(details) = 0
$$;
--> statement-breakpoint
CREATE FUNCTION "oem_lot_totals_on_order"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE oem_lot_totals AS t
       SET units_shipped = t.units_shipped - s.units, shipments = t.shipments - s.n
      FROM (SELECT l.lot, sum(l.units) AS units, count(*) AS n
              FROM oem_order_lots(OLD.lot_details, OLD.lots, OLD.quantity) AS l GROUP BY l.lot) AS s
     WHERE t.product_id = OLD.product_id AND t.lot = s.lot;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO oem_lot_totals AS t (product_id, lot, units_shipped, shipments, spare_rate_bps)
    SELECT NEW.product_id, l.lot, sum(l.units), count(*), NEW.spare_rate_bps
      FROM oem_order_lots(NEW.lot_details, NEW.lots, NEW.quantity) AS l GROUP BY l.lot
    ON CONFLICT (product_id, lot) DO UPDATE
       SET units_shipped = t.units_shipped + excluded.units_shipped,
           shipments = t.shipments + excluded.shipments,
           spare_rate_bps = least(t.spare_rate_bps, excluded.spare_rate_bps);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    -- A lowest rate cannot be taken back by subtraction: the old order's lots are counted again.
    UPDATE oem_lot_totals AS t
       SET spare_rate_bps = (
             SELECT min(o.spare_rate_bps) FROM oem_orders AS o
              WHERE o.product_id = t.product_id
                AND EXISTS (SELECT 1 FROM oem_order_lots(o.lot_details, o.lots, o.quantity) AS l WHERE l.lot = t.lot))
     WHERE t.product_id = OLD.product_id
       AND t.lot IN (SELECT l.lot FROM oem_order_lots(OLD.lot_details, OLD.lots, OLD.quantity) AS l);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "oem_lot_totals_on_defect"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE oem_lot_totals SET defects = defects - OLD.units WHERE product_id = OLD.product_id AND lot = OLD.lot;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO oem_lot_totals AS t (product_id, lot, defects) VALUES (NEW.product_id, NEW.lot, NEW.units)
    ON CONFLICT (product_id, lot) DO UPDATE SET defects = t.defects + excluded.defects;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
INSERT INTO "oem_lot_totals" (product_id, lot, units_shipped, shipments, spare_rate_bps)
SELECT o.product_id, l.lot, sum(l.units), count(*), min(o.spare_rate_bps)
  FROM "oem_orders" AS o CROSS JOIN LATERAL oem_order_lots(o.lot_details, o.lots, o.quantity) AS l
 GROUP BY o.product_id, l.lot;
--> statement-breakpoint
INSERT INTO "oem_lot_totals" AS t (product_id, lot, defects)
SELECT product_id, lot, sum(units) FROM "oem_defect_reports" GROUP BY product_id, lot
ON CONFLICT (product_id, lot) DO UPDATE SET defects = excluded.defects;
--> statement-breakpoint
-- Only the columns the totals are made of: bumping an order's version or linking a remake fires nothing.
CREATE TRIGGER "oem_lot_totals_on_order"
AFTER INSERT OR DELETE OR UPDATE OF product_id, quantity, spare_rate_bps, lots, lot_details ON "oem_orders"
FOR EACH ROW EXECUTE FUNCTION oem_lot_totals_on_order();
--> statement-breakpoint
CREATE TRIGGER "oem_lot_totals_on_defect"
AFTER INSERT OR DELETE OR UPDATE OF product_id, lot, units ON "oem_defect_reports"
FOR EACH ROW EXECUTE FUNCTION oem_lot_totals_on_defect();
