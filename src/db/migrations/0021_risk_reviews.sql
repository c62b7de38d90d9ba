CREATE TABLE "risk_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"dealer_id" uuid,
	"end_user_id" uuid,
	"oem_client_id" uuid,
	"signals" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"raised_by" text NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "risk_reviews_subject_kind_check" CHECK ("risk_reviews"."subject_kind" in ('claim', 'reimbursement', 'excess_resolution')),
	CONSTRAINT "risk_reviews_status_check" CHECK ("risk_reviews"."status" in ('pending', 'approved', 'rejected')),
	CONSTRAINT "risk_reviews_signals_check" CHECK (jsonb_typeof("risk_reviews"."signals") = 'array' and jsonb_array_length("risk_reviews"."signals") > 0),
	CONSTRAINT "risk_reviews_decided_check" CHECK (("risk_reviews"."status" = 'pending') = ("risk_reviews"."decided_at" is null)),
	CONSTRAINT "risk_reviews_reason_check" CHECK ("risk_reviews"."status" <> 'rejected' or "risk_reviews"."reason" is not null),
	CONSTRAINT "risk_reviews_version_check" CHECK ("risk_reviews"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "risk_reviews" ADD CONSTRAINT "risk_reviews_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "public"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_reviews" ADD CONSTRAINT "risk_reviews_end_user_id_end_users_id_fk" FOREIGN KEY ("end_user_id") REFERENCES "public"."end_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_reviews" ADD CONSTRAINT "risk_reviews_oem_client_id_oem_clients_id_fk" FOREIGN KEY ("oem_client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "risk_reviews_subject_idx" ON "risk_reviews" USING btree ("subject_kind","subject_id");--> statement-breakpoint
CREATE INDEX "risk_reviews_status_created_idx" ON "risk_reviews" USING btree ("status","created_at","id");--> statement-breakpoint
CREATE INDEX "uploads_sha256_idx" ON "uploads" USING btree ("sha256");