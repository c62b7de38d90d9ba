CREATE SEQUENCE "public"."maintenance_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "dealer_remedies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"dealer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"returned_serial" text,
	"replacement_serial" text,
	"refund_minor" integer,
	"currency" text,
	"performed_on" date NOT NULL,
	"performed_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dealer_remedies_claim_id_unique" UNIQUE("claim_id"),
	CONSTRAINT "dealer_remedies_kind_check" CHECK ("dealer_remedies"."kind" in ('refund', 'replacement')),
	CONSTRAINT "dealer_remedies_shape_check" CHECK (("dealer_remedies"."kind" = 'replacement' and "dealer_remedies"."replacement_serial" is not null and "dealer_remedies"."refund_minor" is null)
        or ("dealer_remedies"."kind" = 'refund' and "dealer_remedies"."replacement_serial" is null and "dealer_remedies"."refund_minor" is not null and "dealer_remedies"."refund_minor" >= 0 and "dealer_remedies"."currency" is not null))
);
--> statement-breakpoint
CREATE TABLE "maintenance_order_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "maintenance_order_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"order_id" uuid NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"on" date NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"note" text,
	CONSTRAINT "maintenance_order_events_to_state_check" CHECK ("maintenance_order_events"."to_state" in ('issued', 'awaitingParts', 'received', 'diagnosing', 'repairing', 'repaired', 'returned', 'closed', 'cancelled', 'paidService'))
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"maintenance_order_id" uuid,
	"state" text DEFAULT 'draft' NOT NULL,
	"lines" jsonb NOT NULL,
	"total_minor" integer NOT NULL,
	"currency" text NOT NULL,
	"quoted_by" text NOT NULL,
	"sent_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"repaired_at" timestamp with time zone,
	"invoice_number" text,
	"invoiced_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quotes_invoice_number_unique" UNIQUE("invoice_number"),
	CONSTRAINT "quotes_state_check" CHECK ("quotes"."state" in ('draft', 'sent', 'accepted', 'declined', 'repaired', 'invoiced', 'withdrawn')),
	CONSTRAINT "quotes_total_check" CHECK ("quotes"."total_minor" >= 0),
	CONSTRAINT "quotes_invoice_check" CHECK (("quotes"."invoice_number" is null) = ("quotes"."invoiced_at" is null))
);
--> statement-breakpoint
CREATE TABLE "reimbursement_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dealer_remedy_id" uuid NOT NULL,
	"dealer_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"amount_minor" integer,
	"currency" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reimbursement_claims_dealer_remedy_id_unique" UNIQUE("dealer_remedy_id"),
	CONSTRAINT "reimbursement_claims_status_check" CHECK ("reimbursement_claims"."status" in ('pending', 'approved', 'rejected')),
	CONSTRAINT "reimbursement_claims_decided_check" CHECK (("reimbursement_claims"."status" = 'pending') = ("reimbursement_claims"."decided_at" is null))
);
--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "customer_city" text;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "customer_latitude" double precision;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "customer_longitude" double precision;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "diagnosis" text;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "human_damage_found" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "contacted_on" date;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "returned_on" date;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "due_reminder_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "maintenance_orders" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "proof_upload_id" uuid;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "recorded_by" text;--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD CONSTRAINT "dealer_remedies_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dealer_remedies" ADD CONSTRAINT "dealer_remedies_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "public"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_order_events" ADD CONSTRAINT "maintenance_order_events_order_id_maintenance_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."maintenance_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quotes" ADD CONSTRAINT "quotes_maintenance_order_id_maintenance_orders_id_fk" FOREIGN KEY ("maintenance_order_id") REFERENCES "public"."maintenance_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reimbursement_claims" ADD CONSTRAINT "reimbursement_claims_dealer_remedy_id_dealer_remedies_id_fk" FOREIGN KEY ("dealer_remedy_id") REFERENCES "public"."dealer_remedies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reimbursement_claims" ADD CONSTRAINT "reimbursement_claims_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "public"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dealer_remedies_dealer_id_idx" ON "dealer_remedies" USING btree ("dealer_id");--> statement-breakpoint
CREATE INDEX "maintenance_order_events_order_id_idx" ON "maintenance_order_events" USING btree ("order_id","id");--> statement-breakpoint
CREATE INDEX "quotes_claim_id_idx" ON "quotes" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "quotes_state_idx" ON "quotes" USING btree ("state","created_at");--> statement-breakpoint
CREATE INDEX "reimbursement_claims_dealer_status_idx" ON "reimbursement_claims" USING btree ("dealer_id","status");--> statement-breakpoint
CREATE INDEX "reimbursement_claims_status_created_idx" ON "reimbursement_claims" USING btree ("status","created_at");--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_proof_upload_id_uploads_id_fk" FOREIGN KEY ("proof_upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;