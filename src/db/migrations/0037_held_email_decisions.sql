ALTER TABLE "conversation_messages" DROP CONSTRAINT "conversation_messages_status_check";--> statement-breakpoint
ALTER TABLE "conversation_messages" DROP CONSTRAINT "conversation_messages_customer_public_check";--> statement-breakpoint
ALTER TABLE "conversation_messages" DROP CONSTRAINT "conversation_messages_hold_check";--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD COLUMN "held_decided_by" text;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD COLUMN "held_decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_held_decision_check" CHECK (("conversation_messages"."held_decided_at" is not null) = ("conversation_messages"."held_decided_by" is not null) and case
        when "conversation_messages"."hold_reason" is null then "conversation_messages"."held_decided_at" is null
        else ("conversation_messages"."status" = 'held') = ("conversation_messages"."held_decided_at" is null) end);--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_status_check" CHECK ("conversation_messages"."status" in ('posted', 'held', 'discarded'));--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_customer_public_check" CHECK ("conversation_messages"."author_kind" = 'staff' or "conversation_messages"."visibility" = 'public' or "conversation_messages"."status" in ('held', 'discarded'));--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_hold_check" CHECK ("conversation_messages"."status" = 'posted' or "conversation_messages"."hold_reason" is not null);