CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"public_id" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"dealer_id" uuid,
	"service_center_id" uuid,
	"oem_client_id" uuid,
	"secret_sha256" text NOT NULL,
	"requests_per_minute" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" text,
	CONSTRAINT "api_keys_public_id_unique" UNIQUE("public_id"),
	CONSTRAINT "api_keys_role_check" CHECK ("api_keys"."role" in ('support', 'qa', 'sales', 'dealer', 'technician', 'oem')),
	CONSTRAINT "api_keys_scope_check" CHECK (("api_keys"."dealer_id" is not null) = ("api_keys"."role" = 'dealer') and ("api_keys"."service_center_id" is not null) = ("api_keys"."role" = 'technician') and ("api_keys"."oem_client_id" is not null) = ("api_keys"."role" = 'oem')),
	CONSTRAINT "api_keys_requests_per_minute_check" CHECK ("api_keys"."requests_per_minute" between 1 and 100000),
	CONSTRAINT "api_keys_revoked_check" CHECK (("api_keys"."revoked_at" is null) = ("api_keys"."revoked_by" is null))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_dealer_id_dealers_id_fk" FOREIGN KEY ("dealer_id") REFERENCES "public"."dealers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_oem_client_id_oem_clients_id_fk" FOREIGN KEY ("oem_client_id") REFERENCES "public"."oem_clients"("id") ON DELETE no action ON UPDATE no action;