-- AlterTable
ALTER TABLE "CaseTask" ADD COLUMN     "overdueAlertedAt" TIMESTAMPTZ(3),
ADD COLUMN     "remindedAt" TIMESTAMPTZ(3);
