ALTER TABLE "purchases" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "purchases_proof_upload_id_idx" ON "purchases" USING btree ("proof_upload_id");--> statement-breakpoint
ALTER TABLE "purchases" ADD CONSTRAINT "purchases_idempotency_key_unique" UNIQUE("idempotency_key");