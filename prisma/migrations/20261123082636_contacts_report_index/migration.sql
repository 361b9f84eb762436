-- DropIndex
DROP INDEX "Contact_createdAt_idx";

-- CreateIndex
CREATE INDEX "Contact_createdAt_channel_riskLevel_outcome_areaId_phoneHas_idx" ON "Contact"("createdAt", "channel", "riskLevel", "outcome", "areaId", "phoneHash");
