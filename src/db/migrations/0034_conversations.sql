CREATE TABLE "conversation_attachments" (
	"message_id" uuid NOT NULL,
	"upload_id" uuid NOT NULL,
	CONSTRAINT "conversation_attachments_message_id_upload_id_pk" PRIMARY KEY("message_id","upload_id")
);
--> statement-breakpoint
CREATE TABLE "conversation_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "conversation_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"conversation_id" uuid NOT NULL,
	"author_kind" text NOT NULL,
	"author_role" text,
	"author" text NOT NULL,
	"visibility" text NOT NULL,
	"status" text DEFAULT 'posted' NOT NULL,
	"hold_reason" text,
	"channel" text NOT NULL,
	"body" text NOT NULL,
	"email_message_id" text,
	"email_from" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_messages_author_kind_check" CHECK ("conversation_messages"."author_kind" in ('customer', 'staff')),
	CONSTRAINT "conversation_messages_visibility_check" CHECK ("conversation_messages"."visibility" in ('public', 'internal')),
	CONSTRAINT "conversation_messages_status_check" CHECK ("conversation_messages"."status" in ('posted', 'held')),
	CONSTRAINT "conversation_messages_channel_check" CHECK ("conversation_messages"."channel" in ('portal', 'tracking_link', 'email')),
	CONSTRAINT "conversation_messages_author_role_check" CHECK (("conversation_messages"."author_kind" = 'staff') = ("conversation_messages"."author_role" is not null)),
	CONSTRAINT "conversation_messages_customer_public_check" CHECK ("conversation_messages"."author_kind" = 'staff' or "conversation_messages"."visibility" = 'public' or "conversation_messages"."status" = 'held'),
	CONSTRAINT "conversation_messages_hold_check" CHECK (("conversation_messages"."status" = 'held') = ("conversation_messages"."hold_reason" is not null)),
	CONSTRAINT "conversation_messages_email_check" CHECK (("conversation_messages"."channel" = 'email') = ("conversation_messages"."email_message_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"waiting_since" timestamp with time zone,
	"last_message_at" timestamp with time zone,
	"reply_token_hash" text NOT NULL,
	"reply_token_expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_claim_id_unique" UNIQUE("claim_id"),
	CONSTRAINT "conversations_reply_token_hash_unique" UNIQUE("reply_token_hash"),
	CONSTRAINT "conversations_state_check" CHECK ("conversations"."state" in ('open', 'waiting_for_staff', 'waiting_for_customer')),
	CONSTRAINT "conversations_waiting_check" CHECK (("conversations"."state" = 'waiting_for_staff') = ("conversations"."waiting_since" is not null))
);
--> statement-breakpoint
ALTER TABLE "upload_tickets" DROP CONSTRAINT "upload_tickets_purpose_check";--> statement-breakpoint
ALTER TABLE "conversation_attachments" ADD CONSTRAINT "conversation_attachments_message_id_conversation_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."conversation_messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_attachments" ADD CONSTRAINT "conversation_attachments_upload_id_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."uploads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_attachments_upload_idx" ON "conversation_attachments" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "conversation_messages_conversation_idx" ON "conversation_messages" USING btree ("conversation_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_messages_email_message_id_idx" ON "conversation_messages" USING btree ("conversation_id","email_message_id") WHERE "conversation_messages"."email_message_id" is not null;--> statement-breakpoint
CREATE INDEX "conversations_waiting_idx" ON "conversations" USING btree ("waiting_since","id") WHERE "conversations"."state" = 'waiting_for_staff';--> statement-breakpoint
ALTER TABLE "upload_tickets" ADD CONSTRAINT "upload_tickets_purpose_check" CHECK ("upload_tickets"."purpose" in ('purchase.register', 'conversation.reply'));