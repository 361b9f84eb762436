-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "anonymisedAt" TIMESTAMPTZ(3);
