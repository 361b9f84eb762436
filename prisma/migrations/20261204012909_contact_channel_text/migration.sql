-- The contact's channel becomes text, checked by CHANNELS in shared/src/contacts.ts, so a new
-- channel needs no migration. Converted in place (not dropped and re-added, as the generated diff
-- would): the enum stored its @map names, so the values stay 'voice', 'sms', 'walk-in' and
-- 'referral' exactly. The two indexes on the column are rebuilt by the type change.
-- AlterTable
ALTER TABLE "Contact" ALTER COLUMN "channel" SET DATA TYPE TEXT USING "channel"::text;

-- DropEnum
DROP TYPE "ContactChannel";
