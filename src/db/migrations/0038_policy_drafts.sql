CREATE TABLE "policy_drafts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document" jsonb NOT NULL,
	"based_on" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"created_by" text NOT NULL,
	"closed_by" text,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_drafts_status_check" CHECK ("policy_drafts"."status" in ('draft', 'published', 'discarded')),
	CONSTRAINT "policy_drafts_closed_check" CHECK (("policy_drafts"."status" = 'draft') = ("policy_drafts"."closed_at" is null)),
	CONSTRAINT "policy_drafts_version_check" CHECK ("policy_drafts"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "policy_drafts" ADD CONSTRAINT "policy_drafts_based_on_policy_versions_id_fk" FOREIGN KEY ("based_on") REFERENCES "public"."policy_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "policy_drafts_status_idx" ON "policy_drafts" USING btree ("status","created_at");