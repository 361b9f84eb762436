-- CreateEnum
CREATE TYPE "ConsentPurpose" AS ENUM ('identified_contact', 'follow_up_callback', 'case_work', 'provider_sharing');

-- CreateEnum
CREATE TYPE "ConsentMethod" AS ENUM ('spoken', 'written', 'sms');

-- CreateEnum
CREATE TYPE "BreachNoticeKind" AS ENUM ('initial', 'results');

-- CreateTable
CREATE TABLE "Consent" (
    "id" UUID NOT NULL,
    "contactId" UUID,
    "caseId" UUID,
    "purpose" "ConsentPurpose" NOT NULL,
    "method" "ConsentMethod" NOT NULL,
    "reference" TEXT,
    "recordedById" UUID,
    "recordedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMPTZ(3),
    "withdrawnById" UUID,
    "withdrawalMethod" "ConsentMethod",
    "withdrawalReference" TEXT,

    CONSTRAINT "Consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataBreach" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "summary" TEXT NOT NULL,
    "discoveredAt" TIMESTAMPTZ(3) NOT NULL,
    "occurredAt" TIMESTAMPTZ(3),
    "peopleAffected" INTEGER,
    "dataKinds" TEXT[],
    "measures" TEXT NOT NULL DEFAULT '',
    "closedAt" TIMESTAMPTZ(3),
    "recordedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DataBreach_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BreachNotice" (
    "id" UUID NOT NULL,
    "breachId" UUID NOT NULL,
    "kind" "BreachNoticeKind" NOT NULL,
    "sentAt" TIMESTAMPTZ(3) NOT NULL,
    "recipient" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "recordedById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BreachNotice_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Consent_contactId_recordedAt_idx" ON "Consent"("contactId", "recordedAt");

-- CreateIndex
CREATE INDEX "Consent_caseId_recordedAt_idx" ON "Consent"("caseId", "recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "DataBreach_number_key" ON "DataBreach"("number");

-- CreateIndex
CREATE INDEX "DataBreach_discoveredAt_idx" ON "DataBreach"("discoveredAt");

-- CreateIndex
CREATE INDEX "BreachNotice_breachId_sentAt_idx" ON "BreachNotice"("breachId", "sentAt");

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BreachNotice" ADD CONSTRAINT "BreachNotice_breachId_fkey" FOREIGN KEY ("breachId") REFERENCES "DataBreach"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Consent was a timestamp on the identity and on the case: each becomes a record, so that the
-- history starts with what was already held. The method was not recorded then; these contacts
-- and cases were taken on calls and visits, so "spoken" is the honest default.
INSERT INTO "Consent" ("id", "contactId", "purpose", "method", "recordedAt")
SELECT gen_random_uuid(), "contactId", 'identified_contact', 'spoken', "consentAt" FROM "ContactIdentity";

INSERT INTO "Consent" ("id", "caseId", "purpose", "method", "reference", "recordedById", "recordedAt")
SELECT gen_random_uuid(), "id", 'case_work', 'spoken', NULL, "createdById", "consentAt" FROM "Case";

-- A consent is about someone: a contact, a case, or both.
ALTER TABLE "Consent" ADD CONSTRAINT "Consent_subject_check" CHECK ("contactId" IS NOT NULL OR "caseId" IS NOT NULL);
