-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "handoverAt" TIMESTAMPTZ(3);
