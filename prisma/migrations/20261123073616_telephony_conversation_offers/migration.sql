-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "declinedBy" UUID[],
ADD COLUMN     "offerExpiresAt" TIMESTAMPTZ(3),
ADD COLUMN     "offeredTo" UUID;
