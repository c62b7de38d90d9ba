CREATE TABLE "events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tx_id" "xid8" DEFAULT pg_current_xact_id() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"dealer_id" uuid,
	"service_center_id" uuid,
	"oem_client_id" uuid,
	"end_user_id" uuid,
	"data" jsonb NOT NULL,
	"change" jsonb,
	CONSTRAINT "events_type_check" CHECK ("events"."type" ~ '^[a-z_]+[.][a-z_]+$')
);
--> statement-breakpoint
CREATE UNIQUE INDEX "events_position_idx" ON "events" USING btree ("tx_id","seq");--> statement-breakpoint
CREATE INDEX "events_type_position_idx" ON "events" USING btree ("type","tx_id","seq");--> statement-breakpoint
CREATE INDEX "events_dealer_position_idx" ON "events" USING btree ("dealer_id","tx_id","seq") WHERE "events"."dealer_id" is not null;--> statement-breakpoint
CREATE INDEX "events_service_center_position_idx" ON "events" USING btree ("service_center_id","tx_id","seq") WHERE "events"."service_center_id" is not null;--> statement-breakpoint
CREATE INDEX "events_oem_client_position_idx" ON "events" USING btree ("oem_client_id","tx_id","seq") WHERE "events"."oem_client_id" is not null;--> statement-breakpoint
CREATE INDEX "events_end_user_position_idx" ON "events" USING btree ("end_user_id","tx_id","seq") WHERE "events"."end_user_id" is not null;--> statement-breakpoint
CREATE INDEX "events_subject_idx" ON "events" USING btree ("subject_type","subject_id");