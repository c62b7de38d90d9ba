ALTER TABLE "maintenance_order_events" ADD COLUMN "kind" text DEFAULT 'move' NOT NULL;--> statement-breakpoint
ALTER TABLE "quotes" ADD COLUMN "response_channel" text;--> statement-breakpoint
ALTER TABLE "quotes" ADD COLUMN "response_taken_by" text;--> statement-breakpoint
ALTER TABLE "quotes" ADD COLUMN "response_note" text;--> statement-breakpoint
ALTER TABLE "maintenance_order_events" ADD CONSTRAINT "maintenance_order_events_kind_check" CHECK ("maintenance_order_events"."kind" in ('move', 'contact'));--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_response_channel_check" CHECK ("quotes"."response_channel" is null or "quotes"."response_channel" in ('account', 'link', 'phone'));--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_response_taken_by_check" CHECK (coalesce("quotes"."response_channel" = 'phone', false) = ("quotes"."response_taken_by" is not null));--> statement-breakpoint
-- Quote quantities are kept in tenths (1.5 hours of labour is 15): every stored line's whole quantity
-- becomes its tenths, in the order the lines were written.
UPDATE "quotes" SET "lines" = (
  SELECT coalesce(jsonb_agg(
    (l - 'quantity') || jsonb_build_object('quantityTenths', ((l->>'quantity')::numeric * 10)::bigint)
    ORDER BY ord), '[]'::jsonb)
  FROM jsonb_array_elements("quotes"."lines") WITH ORDINALITY AS e(l, ord)
) WHERE EXISTS (SELECT 1 FROM jsonb_array_elements("quotes"."lines") AS x(l) WHERE l ? 'quantity');--> statement-breakpoint
-- Contacts recorded before this version kept their note only in the audit log: they join the timeline,
-- in the state the order was in then (its latest move before the contact).
INSERT INTO "maintenance_order_events" ("order_id", "kind", "from_state", "to_state", "on", "at", "actor", "note")
SELECT o."id", 'contact',
  coalesce(prior."to_state", o."state"), coalesce(prior."to_state", o."state"),
  (a."data"->>'on')::date, a."occurred_at", a."actor", nullif(a."data"->>'note', '')
FROM "audit_events" a
JOIN "maintenance_orders" o ON o."id"::text = a."entity_id"
LEFT JOIN LATERAL (
  SELECT ev."to_state" FROM "maintenance_order_events" ev
  WHERE ev."order_id" = o."id" AND ev."at" <= a."occurred_at"
  ORDER BY ev."at" DESC, ev."id" DESC LIMIT 1
) prior ON true
WHERE a."action" = 'maintenance_order.customer_contacted' AND a."entity_type" = 'maintenance_order'
ORDER BY a."id";
