ALTER TABLE "quotes" ADD COLUMN "invoice_tax_rate_bps" integer;--> statement-breakpoint
ALTER TABLE "quotes" ADD COLUMN "invoice_prices_include_tax" boolean;--> statement-breakpoint
-- Invoices issued before tax was a setting were issued under its default (13 %, included in the prices).
UPDATE "quotes" SET "invoice_tax_rate_bps" = 1300, "invoice_prices_include_tax" = true WHERE "invoice_number" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_invoice_tax_check" CHECK (("quotes"."invoice_number" is null) = ("quotes"."invoice_tax_rate_bps" is null) and ("quotes"."invoice_number" is null) = ("quotes"."invoice_prices_include_tax" is null) and coalesce("quotes"."invoice_tax_rate_bps" between 0 and 10000, true));