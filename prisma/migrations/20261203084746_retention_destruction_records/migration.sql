-- CreateTable
CREATE TABLE "DestructionRecord" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "runId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "rows" INTEGER NOT NULL,
    "tables" JSONB NOT NULL,
    "categories" TEXT[],
    "basis" TEXT NOT NULL,
    "periodDays" INTEGER,
    "reference" TEXT,
    "actorId" UUID,
    "actorLabel" TEXT NOT NULL,

    CONSTRAINT "DestructionRecord_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DestructionRecord_number_key" ON "DestructionRecord"("number");

-- CreateIndex
CREATE INDEX "DestructionRecord_at_idx" ON "DestructionRecord"("at");

-- CreateIndex
CREATE INDEX "DestructionRecord_runId_idx" ON "DestructionRecord"("runId");
