CREATE TABLE "approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"amount_minor" bigint,
	"currency" text,
	"reasons" jsonb NOT NULL,
	"dealer_id" uuid,
	"oem_client_id" uuid,
	"summary" text NOT NULL,
	"requested_by_user_id" text NOT NULL,
	"requested_by" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"decided_by_user_id" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approvals_kind_check" CHECK ("approvals"."kind" in ('dealer_refund', 'reimbursement', 'oem_credit')),
	CONSTRAINT "approvals_state_check" CHECK ("approvals"."state" in ('pending', 'approved', 'rejected')),
	CONSTRAINT "approvals_amount_range_check" CHECK ("approvals"."amount_minor" is null or "approvals"."amount_minor" between 0 and 1000000000000),
	CONSTRAINT "approvals_decided_check" CHECK (("approvals"."state" = 'pending') = ("approvals"."decided_at" is null)),
	CONSTRAINT "approvals_four_eyes_check" CHECK ("approvals"."decided_by_user_id" is null or "approvals"."decided_by_user_id" <> "approvals"."requested_by_user_id")
);
--> statement-breakpoint
ALTER TABLE "dealer_remedies" DROP CONSTRAINT "dealer_remedies_claim_id_unique";--> statement-breakpoint
ALTER TABLE "reimbursement_claims" DROP CONSTRAINT "reimbursement_claims_status_check";--> statement-breakpoint
ALTER TABLE "reimbursement_claims" DROP CONSTRAINT "reimbursement_claims_decided_check";--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD COLUMN "approval" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD COLUMN "returned_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD COLUMN "replacement_unit_id" uuid;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "price_minor" bigint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "price_minor" bigint;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "state" text DEFAULT 'in_stock' NOT NULL;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "public"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_oem_client_id_oem_clients_id_fk" FOREIGN KEY ("oem_client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_pending_subject_idx" ON "approvals" USING btree ("kind","subject_id") WHERE "approvals"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "approvals_state_created_idx" ON "approvals" USING btree ("state","created_at","id");--> statement-breakpoint
CREATE INDEX "approvals_dealer_idx" ON "approvals" USING btree ("dealer_id","state");--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD CONSTRAINT "dealer_remedies_returned_unit_id_units_id_fk" FOREIGN KEY ("returned_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD CONSTRAINT "dealer_remedies_replacement_unit_id_units_id_fk" FOREIGN KEY ("replacement_unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dealer_remedies_claim_id_idx" ON "dealer_remedies" USING btree ("claim_id") WHERE "dealer_remedies"."approval" <> 'rejected';--> statement-breakpoint
CREATE UNIQUE INDEX "dealer_remedies_replacement_unit_id_idx" ON "dealer_remedies" USING btree ("replacement_unit_id") WHERE "dealer_remedies"."replacement_unit_id" is not null and "dealer_remedies"."approval" <> 'rejected';--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD CONSTRAINT "dealer_remedies_approval_check" CHECK ("dealer_remedies"."approval" in ('none', 'awaiting', 'approved', 'rejected'));--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_price_range_check" CHECK ("products"."price_minor" is null or "products"."price_minor" between 0 and 1000000000000);--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_price_currency_check" CHECK (("products"."price_minor" is null) = ("products"."currency" is null));--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_price_range_check" CHECK ("purchases"."price_minor" is null or "purchases"."price_minor" between 0 and 1000000000000);--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_price_currency_check" CHECK (("purchases"."price_minor" is null) = ("purchases"."currency" is null));--> statement-breakpoint
ALTER TABLE "reimbursement_claims" ADD CONSTRAINT "reimbursement_claims_status_check" CHECK ("reimbursement_claims"."status" in ('pending', 'awaiting_approval', 'approved', 'rejected'));--> statement-breakpoint
ALTER TABLE "reimbursement_claims" ADD CONSTRAINT "reimbursement_claims_decided_check" CHECK (("reimbursement_claims"."status" in ('pending', 'awaiting_approval')) = ("reimbursement_claims"."decided_at" is null));--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_state_check" CHECK ("units"."state" in ('in_stock', 'sold', 'replacement', 'returned'));--> statement-breakpoint
-- Units already sold are `sold`; a serial a dealer already took back is `returned`, and a registry unit
-- already handed over as a replacement (not sold on its own) is `replacement`. Existing sales and
-- products have no price: a refund of such a sale waits for support.
UPDATE "units" SET "state" = 'sold' WHERE EXISTS (SELECT 1 FROM "purchases" p WHERE p."unit_id" = "units"."id");--> statement-breakpoint
UPDATE "units" SET "state" = 'replacement' WHERE "state" = 'in_stock' AND EXISTS (SELECT 1 FROM "dealer_remedies" r WHERE r."replacement_serial" = "units"."serial");--> statement-breakpoint
UPDATE "units" SET "state" = 'returned' WHERE EXISTS (SELECT 1 FROM "dealer_remedies" r WHERE r."returned_serial" = "units"."serial");
