CREATE TABLE "upload_chunks" (
	"upload_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"content" "bytea" NOT NULL,
	CONSTRAINT "upload_chunks_upload_id_seq_pk" PRIMARY KEY("upload_id","seq"),
	CONSTRAINT "upload_chunks_seq_check" CHECK ("upload_chunks"."seq" >= 0),
	CONSTRAINT "upload_chunks_size_check" CHECK (octet_length("upload_chunks"."content") between 1 and 262144)
);
--> statement-breakpoint
CREATE TABLE "upload_tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"purpose" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "upload_tickets_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "upload_tickets_purpose_check" CHECK ("upload_tickets"."purpose" in ('purchase.register'))
);
--> statement-breakpoint
ALTER TABLE "uploads" DROP CONSTRAINT "uploads_size_check";--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "ticket_id" uuid;--> statement-breakpoint
ALTER TABLE "upload_chunks" ADD CONSTRAINT "upload_chunks_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "upload_tickets_expires_at_idx" ON "upload_tickets" USING btree ("expires_at");--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_ticket_id_upload_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."upload_tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "uploads_created_at_idx" ON "uploads" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "uploads_ticket_id_idx" ON "uploads" USING btree ("ticket_id");--> statement-breakpoint
ALTER TABLE "uploads" ADD CONSTRAINT "uploads_size_check" CHECK ("uploads"."size_bytes" > 0);--> statement-breakpoint
-- Photos and PDFs are compressed already: storing the slices as they are spares the server trying.
ALTER TABLE "upload_chunks" ALTER COLUMN "content" SET STORAGE EXTERNAL;--> statement-breakpoint
-- Every file kept so far moves into slices of 256 KiB (UPLOAD_CHUNK_BYTES), numbered from 0, before
-- its column goes.
INSERT INTO "upload_chunks" ("upload_id", "seq", "content")
SELECT u."id", s.seq, substring(u."content" from s.seq * 262144 + 1 for 262144)
  FROM "uploads" u, generate_series(0, (octet_length(u."content") - 1) / 262144) AS s(seq)
 WHERE octet_length(u."content") > 0;--> statement-breakpoint
ALTER TABLE "uploads" DROP COLUMN "content";
