-- CreateEnum
CREATE TYPE "CaseStage" AS ENUM ('signal', 'check', 'risk_assessment', 'opened', 'plan', 'monitoring', 'closed');

-- CreateEnum
CREATE TYPE "CaseSubjectKind" AS ENUM ('person', 'family');

-- CreateEnum
CREATE TYPE "CaseRiskLevel" AS ENUM ('low', 'medium', 'high');

-- CreateEnum
CREATE TYPE "CaseCloseReason" AS ENUM ('situation_improved', 'moved_away', 'services_refused', 'transferred', 'placed_in_family', 'other');

-- CreateEnum
CREATE TYPE "CasePlanPart" AS ENUM ('safety', 'rehabilitation', 'placement');

-- CreateEnum
CREATE TYPE "CaseDeadlineKind" AS ENUM ('need_decision', 'individual_programme');

-- CreateEnum
CREATE TYPE "CalendarDayKind" AS ENUM ('holiday', 'day_off', 'working_day');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'curator';

-- CreateTable
CREATE TABLE "Case" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "stage" "CaseStage" NOT NULL DEFAULT 'signal',
    "stageChangedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "origin" TEXT NOT NULL,
    "signalFrom" TEXT,
    "signalSummary" TEXT,
    "signalAt" TIMESTAMPTZ(3),
    "subjectKind" "CaseSubjectKind" NOT NULL,
    "subjectName" TEXT NOT NULL,
    "phoneHash" TEXT,
    "phoneSealed" TEXT,
    "address" TEXT,
    "district" TEXT,
    "consentAt" TIMESTAMPTZ(3) NOT NULL,
    "consentNote" TEXT,
    "curatorId" UUID,
    "createdById" UUID,
    "checkConfirmed" BOOLEAN,
    "checkSummary" TEXT,
    "riskLevel" "CaseRiskLevel",
    "safetyFactors" TEXT[],
    "riskFactors" TEXT[],
    "assessmentNote" TEXT,
    "applicationDate" DATE,
    "openedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "closeReason" "CaseCloseReason",
    "closeReasonText" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseMember" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "relation" TEXT NOT NULL,
    "isChild" BOOLEAN NOT NULL DEFAULT false,
    "age" INTEGER,
    "birthYear" INTEGER,

    CONSTRAINT "CaseMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseContact" (
    "caseId" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "linkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "linkedById" UUID,

    CONSTRAINT "CaseContact_pkey" PRIMARY KEY ("caseId","contactId")
);

-- CreateTable
CREATE TABLE "CaseTransition" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "from" "CaseStage",
    "to" "CaseStage" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "byId" UUID,
    "reason" TEXT,

    CONSTRAINT "CaseTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseGoal" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "part" "CasePlanPart" NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseGoal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseTask" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "goalId" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "ownerId" UUID,
    "ownerName" TEXT,
    "dueDate" DATE,
    "doneAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseNote" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "authorId" UUID,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseDeadline" (
    "id" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "kind" "CaseDeadlineKind" NOT NULL,
    "startDate" DATE NOT NULL,
    "workingDays" INTEGER NOT NULL,
    "dueDate" DATE NOT NULL,
    "metOn" DATE,
    "remindedAt" TIMESTAMPTZ(3),
    "overdueAlertedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CaseDeadline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CalendarDay" (
    "date" DATE NOT NULL,
    "working" BOOLEAN NOT NULL,
    "kind" "CalendarDayKind" NOT NULL,
    "name" TEXT NOT NULL,
    "confirmed" BOOLEAN NOT NULL DEFAULT true,
    "source" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedBy" UUID,

    CONSTRAINT "CalendarDay_pkey" PRIMARY KEY ("date")
);

-- CreateIndex
CREATE UNIQUE INDEX "Case_number_key" ON "Case"("number");

-- CreateIndex
CREATE INDEX "Case_stage_idx" ON "Case"("stage");

-- CreateIndex
CREATE INDEX "Case_curatorId_stage_idx" ON "Case"("curatorId", "stage");

-- CreateIndex
CREATE INDEX "Case_phoneHash_idx" ON "Case"("phoneHash");

-- CreateIndex
CREATE INDEX "Case_openedAt_idx" ON "Case"("openedAt");

-- CreateIndex
CREATE INDEX "Case_closedAt_idx" ON "Case"("closedAt");

-- CreateIndex
CREATE INDEX "CaseMember_caseId_idx" ON "CaseMember"("caseId");

-- CreateIndex
CREATE INDEX "CaseContact_contactId_idx" ON "CaseContact"("contactId");

-- CreateIndex
CREATE INDEX "CaseTransition_caseId_at_idx" ON "CaseTransition"("caseId", "at");

-- CreateIndex
CREATE INDEX "CaseTransition_at_idx" ON "CaseTransition"("at");

-- CreateIndex
CREATE INDEX "CaseGoal_caseId_idx" ON "CaseGoal"("caseId");

-- CreateIndex
CREATE INDEX "CaseTask_caseId_idx" ON "CaseTask"("caseId");

-- CreateIndex
CREATE INDEX "CaseTask_ownerId_doneAt_idx" ON "CaseTask"("ownerId", "doneAt");

-- CreateIndex
CREATE INDEX "CaseNote_caseId_createdAt_idx" ON "CaseNote"("caseId", "createdAt");

-- CreateIndex
CREATE INDEX "CaseDeadline_dueDate_metOn_idx" ON "CaseDeadline"("dueDate", "metOn");

-- CreateIndex
CREATE UNIQUE INDEX "CaseDeadline_caseId_kind_key" ON "CaseDeadline"("caseId", "kind");

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_curatorId_fkey" FOREIGN KEY ("curatorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseMember" ADD CONSTRAINT "CaseMember_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseContact" ADD CONSTRAINT "CaseContact_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseContact" ADD CONSTRAINT "CaseContact_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseTransition" ADD CONSTRAINT "CaseTransition_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseGoal" ADD CONSTRAINT "CaseGoal_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseTask" ADD CONSTRAINT "CaseTask_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseTask" ADD CONSTRAINT "CaseTask_goalId_fkey" FOREIGN KEY ("goalId") REFERENCES "CaseGoal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseNote" ADD CONSTRAINT "CaseNote_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseDeadline" ADD CONSTRAINT "CaseDeadline_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
