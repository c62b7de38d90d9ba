ALTER TABLE "dealers" ADD COLUMN "name_zh" text;--> statement-breakpoint
-- The demo's dealers, in a database seeded before this column: their Chinese names, as the seed now has them.
UPDATE "dealers" SET "name_zh" = '深圳华强电力设备有限公司' WHERE "name" = 'Shenzhen Huaqiang Power Equipment Co., Ltd.' AND "name_zh" IS NULL;--> statement-breakpoint
UPDATE "dealers" SET "name_zh" = '杭州星河电气供应有限公司' WHERE "name" = 'Hangzhou Xinghe Electric Supply Co., Ltd.' AND "name_zh" IS NULL;--> statement-breakpoint
UPDATE "dealers" SET "name_zh" = '武汉长江电子贸易有限公司' WHERE "name" = 'Wuhan Changjiang Electronics Trading Co., Ltd.' AND "name_zh" IS NULL;
