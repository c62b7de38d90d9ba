ALTER TABLE "service_centers" ADD COLUMN "closed_on" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_centers" ADD COLUMN "open_on" date[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_centers" ADD CONSTRAINT "service_centers_calendar_exceptions_check" CHECK (not ("service_centers"."closed_on" && "service_centers"."open_on"));