CREATE TABLE "satisfaction_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"subject" text NOT NULL,
	"claim_id" uuid NOT NULL,
	"maintenance_order_id" uuid,
	"dealer_remedy_id" uuid,
	"service_center_id" uuid,
	"technician_id" text,
	"dealer_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"score" integer,
	"comment" text,
	"rated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "satisfaction_ratings_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "satisfaction_ratings_subject_check" CHECK ("satisfaction_ratings"."subject" in ('maintenance_order', 'dealer_remedy')),
	CONSTRAINT "satisfaction_ratings_subject_shape_check" CHECK (("satisfaction_ratings"."subject" = 'maintenance_order' and "satisfaction_ratings"."maintenance_order_id" is not null and "satisfaction_ratings"."service_center_id" is not null)
        or ("satisfaction_ratings"."subject" = 'dealer_remedy' and "satisfaction_ratings"."dealer_remedy_id" is not null and "satisfaction_ratings"."dealer_id" is not null)),
	CONSTRAINT "satisfaction_ratings_score_check" CHECK ("satisfaction_ratings"."score" is null or "satisfaction_ratings"."score" between 1 and 5),
	CONSTRAINT "satisfaction_ratings_answer_check" CHECK (("satisfaction_ratings"."rated_at" is null) = ("satisfaction_ratings"."score" is null) and ("satisfaction_ratings"."comment" is null or "satisfaction_ratings"."rated_at" is not null)),
	CONSTRAINT "satisfaction_ratings_comment_check" CHECK ("satisfaction_ratings"."comment" is null or char_length("satisfaction_ratings"."comment") <= 1000)
);
--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_maintenance_order_id_maintenance_orders_id_fk" FOREIGN KEY ("maintenance_order_id") REFERENCES "public"."maintenance_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_dealer_remedy_id_dealer_remedies_id_fk" FOREIGN KEY ("dealer_remedy_id") REFERENCES "public"."dealer_remedies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_technician_id_users_id_fk" FOREIGN KEY ("technician_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "satisfaction_ratings" ADD CONSTRAINT "satisfaction_ratings_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "public"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "satisfaction_ratings_order_idx" ON "satisfaction_ratings" USING btree ("maintenance_order_id") WHERE "satisfaction_ratings"."maintenance_order_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "satisfaction_ratings_remedy_idx" ON "satisfaction_ratings" USING btree ("dealer_remedy_id") WHERE "satisfaction_ratings"."dealer_remedy_id" is not null;--> statement-breakpoint
CREATE INDEX "satisfaction_ratings_claim_id_idx" ON "satisfaction_ratings" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "satisfaction_ratings_rated_at_idx" ON "satisfaction_ratings" USING btree ("rated_at") WHERE "satisfaction_ratings"."rated_at" is not null;--> statement-breakpoint
CREATE INDEX "dealer_remedies_performed_on_idx" ON "dealer_remedies" USING btree ("performed_on");--> statement-breakpoint
CREATE INDEX "maintenance_orders_received_on_idx" ON "maintenance_orders" USING btree ("received_on");--> statement-breakpoint
CREATE INDEX "maintenance_orders_returned_on_idx" ON "maintenance_orders" USING btree ("returned_on");