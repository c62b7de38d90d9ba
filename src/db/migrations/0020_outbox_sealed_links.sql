ALTER TABLE "outbox" ADD COLUMN "sealed_link" text;--> statement-breakpoint
-- Messages already sent keep no live link: the secret of every link that acts for its recipient is
-- cut out, as the staff view shows it (domain/outbox/message-status.ts, withoutSecrets). Unsent ones
-- keep theirs until the server starts and seals them (app/outbox/seal-queued-links.ts).
UPDATE "outbox"
SET "body" = regexp_replace(
  regexp_replace("body", '([?&](token|code)=)[^&#[:space:]]+', '\1…', 'gi'),
  '(/reset-password/)[^/?#[:space:]]+', '\1…', 'gi')
WHERE "sent_at" IS NOT NULL;
--> statement-breakpoint
-- The session-signing secret no longer lives in the database (http/instance-secrets.ts).
DELETE FROM "instance_settings" WHERE "key" = 'auth_secret';
--> statement-breakpoint
-- better-auth now stores password-reset tokens as their SHA-256 (verification.storeIdentifier
-- 'hashed', base64url without padding); pending ones are converted so that their links keep working.
UPDATE "verifications"
SET "identifier" = rtrim(translate(encode(sha256(convert_to("identifier", 'UTF8')), 'base64'), '+/', '-_'), '=')
WHERE "identifier" LIKE 'reset-password:%';
