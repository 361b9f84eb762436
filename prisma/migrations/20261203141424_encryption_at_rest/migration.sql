-- Encryption at rest (docs/privacy.md). The notes' tsvector held their words in clear (a dump
-- showed every lexeme), so it goes, with the trigger that kept it. Notes are searched through
-- keyed hashes of their stemmed words (the *Tokens columns), written by the application.
-- Existing plaintext rows are sealed, and their indexes and tokens written, by
-- `npm run keys:rotate` (also run after migrations at start: server/src/db/rotate.ts).
DROP TRIGGER IF EXISTS "Contact_search_vector" ON "Contact";
DROP FUNCTION IF EXISTS contact_search_vector();

-- DropIndex
DROP INDEX "Contact_searchVector_idx";

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "subjectNameIndex" TEXT;

-- AlterTable
ALTER TABLE "CaseMember" ADD COLUMN     "nameIndex" TEXT;

-- AlterTable
ALTER TABLE "Contact" DROP COLUMN "searchVector",
ADD COLUMN     "actionsTokens" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "planTokens" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "summaryTokens" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "ContactIdentity" ADD COLUMN     "nameIndex" TEXT;

-- AlterTable
ALTER TABLE "ContactPerson" ADD COLUMN     "nameIndex" TEXT;

-- AlterTable
ALTER TABLE "Dispatch" ADD COLUMN     "recipientNameIndex" TEXT;

-- CreateIndex
CREATE INDEX "Case_subjectNameIndex_idx" ON "Case"("subjectNameIndex");

-- CreateIndex
CREATE INDEX "CaseMember_nameIndex_idx" ON "CaseMember"("nameIndex");

-- CreateIndex
CREATE INDEX "Contact_summaryTokens_idx" ON "Contact" USING GIN ("summaryTokens");

-- CreateIndex
CREATE INDEX "Contact_actionsTokens_idx" ON "Contact" USING GIN ("actionsTokens");

-- CreateIndex
CREATE INDEX "Contact_planTokens_idx" ON "Contact" USING GIN ("planTokens");

-- CreateIndex
CREATE INDEX "ContactIdentity_nameIndex_idx" ON "ContactIdentity"("nameIndex");

-- CreateIndex
CREATE INDEX "ContactPerson_nameIndex_idx" ON "ContactPerson"("nameIndex");

-- CreateIndex
CREATE INDEX "Dispatch_recipientNameIndex_idx" ON "Dispatch"("recipientNameIndex");
