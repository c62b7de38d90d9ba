ALTER TABLE "oem_orders" DROP CONSTRAINT "oem_orders_order_number_unique";--> statement-breakpoint
ALTER TABLE "dealer_remedies" ALTER COLUMN "refund_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "quotes" ALTER COLUMN "total_minor" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "reimbursement_claims" ALTER COLUMN "amount_minor" SET DATA TYPE bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "oem_orders_client_order_number_idx" ON "oem_orders" USING btree ("client_id","order_number");--> statement-breakpoint
CREATE INDEX "oem_orders_order_number_idx" ON "oem_orders" USING btree ("order_number");--> statement-breakpoint
-- The ranges (and the outbox's header-safe subject and recipient) hold every row written from now
-- on. NOT VALID: a row an older version let in (an order worth more than any amount, which then
-- answered 500) does not stop the upgrade; the app reads such a row without failing, and VALIDATE
-- CONSTRAINT can be run once it is corrected.
ALTER TABLE "batch_defect_investigations" ADD CONSTRAINT "batch_defect_investigations_unit_cost_range_check" CHECK ("batch_defect_investigations"."remake_unit_cost_minor" is null or "batch_defect_investigations"."remake_unit_cost_minor" between 0 and 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "batch_defect_investigations" ADD CONSTRAINT "batch_defect_investigations_air_freight_range_check" CHECK ("batch_defect_investigations"."air_freight_minor" is null or "batch_defect_investigations"."air_freight_minor" between 0 and 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD CONSTRAINT "dealer_remedies_refund_range_check" CHECK ("dealer_remedies"."refund_minor" is null or "dealer_remedies"."refund_minor" between 0 and 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "excess_resolutions" ADD CONSTRAINT "excess_resolutions_units_range_check" CHECK ("excess_resolutions"."units" is null or "excess_resolutions"."units" between 1 and 100000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "excess_resolutions" ADD CONSTRAINT "excess_resolutions_credit_range_check" CHECK ("excess_resolutions"."credit_amount_minor" is null or "excess_resolutions"."credit_amount_minor" between 0 and 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "maker_cost_entries" ADD CONSTRAINT "maker_cost_entries_units_range_check" CHECK ("maker_cost_entries"."units" is null or "maker_cost_entries"."units" between 1 and 100000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "maker_cost_entries" ADD CONSTRAINT "maker_cost_entries_amount_range_check" CHECK ("maker_cost_entries"."amount_minor" is null or "maker_cost_entries"."amount_minor" between 0 and 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "oem_defect_reports" ADD CONSTRAINT "oem_defect_reports_units_range_check" CHECK ("oem_defect_reports"."units" is null or "oem_defect_reports"."units" between 1 and 100000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_quantity_range_check" CHECK ("oem_orders"."quantity" is null or "oem_orders"."quantity" between 1 and 100000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_unit_price_range_check" CHECK ("oem_orders"."unit_price_minor" is null or "oem_orders"."unit_price_minor" between 0 and 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "oem_orders" ADD CONSTRAINT "oem_orders_value_check" CHECK ("oem_orders"."unit_price_minor" is null or "oem_orders"."quantity"::numeric * "oem_orders"."unit_price_minor" <= 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_subject_check" CHECK ("outbox"."subject" !~ '[\u0001-\u001f\u007f-\u009f]') NOT VALID;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_recipient_check" CHECK ("outbox"."recipient" !~ '[\u0001-\u001f\u007f-\u009f]') NOT VALID;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_total_range_check" CHECK ("quotes"."total_minor" is null or "quotes"."total_minor" between 0 and 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "reimbursement_claims" ADD CONSTRAINT "reimbursement_claims_amount_range_check" CHECK ("reimbursement_claims"."amount_minor" is null or "reimbursement_claims"."amount_minor" between 0 and 1000000000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "remake_orders" ADD CONSTRAINT "remake_orders_units_range_check" CHECK ("remake_orders"."units" is null or "remake_orders"."units" between 1 and 100000000) NOT VALID;--> statement-breakpoint
ALTER TABLE "replacement_shipments" ADD CONSTRAINT "replacement_shipments_units_range_check" CHECK ("replacement_shipments"."units" is null or "replacement_shipments"."units" between 1 and 100000000) NOT VALID;