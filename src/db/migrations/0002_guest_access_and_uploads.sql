CREATE TABLE "guest_access_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"purpose" text NOT NULL,
	"claim_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guest_access_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "guest_access_tokens_purpose_check" CHECK ("guest_access_tokens"."purpose" in ('claim.track', 'quote.accept'))
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"original_name" text,
	"content" "bytea" NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uploads_kind_check" CHECK ("uploads"."kind" in ('proof_of_purchase', 'photo')),
	CONSTRAINT "uploads_size_check" CHECK ("uploads"."size_bytes" > 0 and "uploads"."size_bytes" = octet_length("uploads"."content"))
);
--> statement-breakpoint
ALTER TABLE "guest_access_tokens" ADD CONSTRAINT "guest_access_tokens_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "guest_access_tokens_claim_id_idx" ON "guest_access_tokens" USING btree ("claim_id");