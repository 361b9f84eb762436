-- AlterTable
ALTER TABLE "Dispatch" ADD COLUMN     "anonymisedAt" TIMESTAMPTZ(3);
