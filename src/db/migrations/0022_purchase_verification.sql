ALTER TABLE "purchases" ADD COLUMN "verification" text DEFAULT 'verified' NOT NULL;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "verified_by" text;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "rejection_code" text;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "rejection_reason" text;--> statement-breakpoint
ALTER TABLE "purchases" ADD COLUMN "proof_sha256" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "made_on" date;--> statement-breakpoint
-- Existing data. A customer's own registration (recorded_by names a customer's account, or its audit event
-- says it was registered) waits for a check; a dealer's or the maker's record is verified as of when it was
-- recorded. None can already be matched: a unit was in one purchase only.
UPDATE "purchases" p SET "verification" = 'pending'
WHERE EXISTS (SELECT 1 FROM "users" u WHERE 'user:' || u."id" = p."recorded_by" AND u."role" = 'customer')
   OR EXISTS (SELECT 1 FROM "audit_events" a
              WHERE a."action" = 'purchase.registered' AND a."entity_type" = 'purchase' AND a."entity_id" = p."id"::text);--> statement-breakpoint
UPDATE "purchases" SET "verified_by" = coalesce("recorded_by", 'system'), "verified_at" = "created_at"
WHERE "verification" = 'verified';--> statement-breakpoint
-- The bytes of each proof; when one receipt proved several purchases, the first keeps it and the others
-- stay without (they are registrations, pending: a person looks at them before any money moves).
UPDATE "purchases" p SET "proof_sha256" = f."sha256"
FROM (
  SELECT p2."id", u."sha256",
         row_number() OVER (PARTITION BY u."sha256" ORDER BY p2."created_at", p2."id") AS n
  FROM "purchases" p2 JOIN "uploads" u ON u."id" = p2."proof_upload_id"
) f
WHERE f."id" = p."id" AND f."n" = 1;--> statement-breakpoint
-- The day each unit of the maker's own lots left it: its record's day, or its first sale's if earlier.
-- A unit first seen in a dealer's sale (lot 'unknown') has no such day.
UPDATE "units" un SET "made_on" = least(
  un."created_at"::date,
  (SELECT min(p."purchase_date") FROM "purchases" p WHERE p."unit_id" = un."id"))
WHERE un."lot" <> 'unknown';--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_live_unit_idx" ON "purchases" USING btree ("unit_id") WHERE "purchases"."unit_id" is not null and "purchases"."verification" <> 'rejected';--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_live_proof_sha256_idx" ON "purchases" USING btree ("proof_sha256") WHERE "purchases"."proof_sha256" is not null and "purchases"."verification" <> 'rejected';--> statement-breakpoint
CREATE INDEX "purchases_pending_idx" ON "purchases" USING btree ("created_at","id") WHERE "purchases"."verification" = 'pending';--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_verification_check" CHECK ("purchases"."verification" in ('pending', 'verified', 'rejected'));--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_rejection_check" CHECK (("purchases"."verification" = 'rejected') = ("purchases"."rejection_code" is not null));