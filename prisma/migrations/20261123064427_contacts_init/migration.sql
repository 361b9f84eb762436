-- CreateEnum
CREATE TYPE "ContactChannel" AS ENUM ('voice', 'sms', 'walk-in', 'referral');

-- CreateEnum
CREATE TYPE "ContactStatus" AS ENUM ('draft', 'finalised', 'reopened');

-- CreateEnum
CREATE TYPE "RiskLevel" AS ENUM ('R0', 'R1', 'R2', 'R3', 'R4');

-- CreateTable
CREATE TABLE "Contact" (
    "id" UUID NOT NULL,
    "channel" "ContactChannel" NOT NULL,
    "sourceOrgType" TEXT,
    "sourceOrgName" TEXT,
    "callId" UUID,
    "conversationId" UUID,
    "phoneHash" TEXT,
    "operatorId" UUID,
    "status" "ContactStatus" NOT NULL DEFAULT 'draft',
    "version" INTEGER NOT NULL DEFAULT 1,
    "ageGroup" TEXT,
    "gender" TEXT,
    "callerRole" TEXT,
    "areaId" UUID,
    "summary" TEXT NOT NULL DEFAULT '',
    "actionsTaken" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT,
    "followUpAt" TIMESTAMPTZ(3),
    "followUpAssigneeId" UUID,
    "followUpDoneAt" TIMESTAMPTZ(3),
    "screener" JSONB NOT NULL DEFAULT '{}',
    "computedRisk" "RiskLevel" NOT NULL DEFAULT 'R0',
    "riskLevel" "RiskLevel" NOT NULL DEFAULT 'R0',
    "riskOverrideReason" TEXT,
    "riskOverrideById" UUID,
    "safetyChecklist" JSONB NOT NULL DEFAULT '{}',
    "r4SignOffById" UUID,
    "r4SignOffReason" TEXT,
    "safetyPlan" TEXT NOT NULL DEFAULT '',
    "alertRaisedAt" TIMESTAMPTZ(3),
    "alertAckedAt" TIMESTAMPTZ(3),
    "alertAckedById" UUID,
    "hasMinor" BOOLEAN NOT NULL DEFAULT false,
    "identified" BOOLEAN NOT NULL DEFAULT false,
    "anonymisedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finalisedAt" TIMESTAMPTZ(3),
    "searchVector" tsvector,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactIdentity" (
    "contactId" UUID NOT NULL,
    "consentAt" TIMESTAMPTZ(3) NOT NULL,
    "name" TEXT,
    "age" INTEGER,
    "address" TEXT,
    "phoneHash" TEXT,
    "phoneSealed" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ContactIdentity_pkey" PRIMARY KEY ("contactId")
);

-- CreateTable
CREATE TABLE "ContactPerson" (
    "id" UUID NOT NULL,
    "contactId" UUID NOT NULL,
    "relation" TEXT NOT NULL,
    "name" TEXT,
    "age" INTEGER,

    CONSTRAINT "ContactPerson_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Category" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "parentId" UUID,
    "labelRu" TEXT NOT NULL,
    "labelEn" TEXT NOT NULL,
    "sort" INTEGER NOT NULL DEFAULT 0,
    "retired" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactCategory" (
    "contactId" UUID NOT NULL,
    "categoryId" UUID NOT NULL,

    CONSTRAINT "ContactCategory_pkey" PRIMARY KEY ("contactId","categoryId")
);

-- CreateTable
CREATE TABLE "Area" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "nameRu" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "example" BOOLEAN NOT NULL DEFAULT false,
    "retired" BOOLEAN NOT NULL DEFAULT false,
    "sort" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Area_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactEvent" (
    "id" BIGSERIAL NOT NULL,
    "contactId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "actorId" UUID,
    "detail" JSONB,

    CONSTRAINT "ContactEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallerFlag" (
    "id" UUID NOT NULL,
    "phoneHash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "setById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CallerFlag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Contact_callId_key" ON "Contact"("callId");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_conversationId_key" ON "Contact"("conversationId");

-- CreateIndex
CREATE INDEX "Contact_createdAt_idx" ON "Contact"("createdAt");

-- CreateIndex
CREATE INDEX "Contact_operatorId_createdAt_idx" ON "Contact"("operatorId", "createdAt");

-- CreateIndex
CREATE INDEX "Contact_phoneHash_createdAt_idx" ON "Contact"("phoneHash", "createdAt");

-- CreateIndex
CREATE INDEX "Contact_riskLevel_status_idx" ON "Contact"("riskLevel", "status");

-- CreateIndex
CREATE INDEX "Contact_areaId_createdAt_idx" ON "Contact"("areaId", "createdAt");

-- CreateIndex
CREATE INDEX "Contact_followUpAt_idx" ON "Contact"("followUpAt");

-- CreateIndex
CREATE INDEX "Contact_channel_createdAt_idx" ON "Contact"("channel", "createdAt");

-- CreateIndex
CREATE INDEX "Contact_searchVector_idx" ON "Contact" USING GIN ("searchVector");

-- CreateIndex
CREATE INDEX "ContactPerson_contactId_idx" ON "ContactPerson"("contactId");

-- CreateIndex
CREATE UNIQUE INDEX "Category_code_key" ON "Category"("code");

-- CreateIndex
CREATE INDEX "ContactCategory_categoryId_contactId_idx" ON "ContactCategory"("categoryId", "contactId");

-- CreateIndex
CREATE UNIQUE INDEX "Area_code_key" ON "Area"("code");

-- CreateIndex
CREATE INDEX "ContactEvent_contactId_at_idx" ON "ContactEvent"("contactId", "at");

-- CreateIndex
CREATE INDEX "CallerFlag_phoneHash_expiresAt_idx" ON "CallerFlag"("phoneHash", "expiresAt");

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_areaId_fkey" FOREIGN KEY ("areaId") REFERENCES "Area"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactIdentity" ADD CONSTRAINT "ContactIdentity_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactPerson" ADD CONSTRAINT "ContactPerson_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Category" ADD CONSTRAINT "Category_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Category"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactCategory" ADD CONSTRAINT "ContactCategory_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactCategory" ADD CONSTRAINT "ContactCategory_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ContactEvent" ADD CONSTRAINT "ContactEvent_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Full-text search over the contact's notes in Russian and English. Prisma does not model
-- triggers or generated columns, so the tsvector is kept by this hand-written trigger (a
-- GENERATED column would show up as drift in every later schema diff). Same SQL on PGlite.
CREATE FUNCTION contact_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchVector" :=
    to_tsvector('russian'::regconfig, coalesce(NEW."summary", '') || ' ' || coalesce(NEW."actionsTaken", '') || ' ' || coalesce(NEW."safetyPlan", ''))
    || to_tsvector('english'::regconfig, coalesce(NEW."summary", '') || ' ' || coalesce(NEW."actionsTaken", '') || ' ' || coalesce(NEW."safetyPlan", ''));
  RETURN NEW;
END;
$$;
CREATE TRIGGER "Contact_search_vector" BEFORE INSERT OR UPDATE OF "summary", "actionsTaken", "safetyPlan" ON "Contact"
  FOR EACH ROW EXECUTE FUNCTION contact_search_vector();
