CREATE TABLE "sign_in_devices" (
	"user_id" text NOT NULL,
	"device_hash" text NOT NULL,
	"first_signed_in_at" timestamp with time zone NOT NULL,
	"last_signed_in_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sign_in_devices_user_id_device_hash_pk" PRIMARY KEY("user_id","device_hash")
);
--> statement-breakpoint
ALTER TABLE "sign_in_devices" ADD CONSTRAINT "sign_in_devices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Lock-out state lives fifteen minutes: the per-address rows are dropped, not converted, and counting
-- starts again per (address, client).
DROP TABLE "sign_in_failures";--> statement-breakpoint
CREATE TABLE "sign_in_failures" (
	"email_key" text NOT NULL,
	"client_key" text NOT NULL,
	"failures" jsonb NOT NULL,
	"owner_notified_at" timestamp with time zone,
	CONSTRAINT "sign_in_failures_email_key_client_key_pk" PRIMARY KEY("email_key","client_key")
);
