-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "priority" INTEGER;
