-- CreateIndex
CREATE INDEX "Contact_followUpAssigneeId_idx" ON "Contact"("followUpAssigneeId");
