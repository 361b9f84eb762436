-- CreateEnum
CREATE TYPE "CallStatus" AS ENUM ('received', 'queued', 'answered', 'ended');

-- CreateEnum
CREATE TYPE "CallPriority" AS ENUM ('normal', 'urgent');

-- CreateEnum
CREATE TYPE "OfferOutcome" AS ENUM ('pending', 'accepted', 'declined', 'expired', 'withdrawn');

-- CreateEnum
CREATE TYPE "OperatorStateKind" AS ENUM ('available', 'on_call', 'wrap_up', 'away', 'offline');

-- CreateEnum
CREATE TYPE "ConversationStatus" AS ENUM ('open', 'closed');

-- CreateEnum
CREATE TYPE "MessageDirection" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "CallbackKind" AS ENUM ('abandoned', 'voicemail', 'requested');

-- CreateEnum
CREATE TYPE "CallbackStatus" AS ENUM ('open', 'dialing', 'done', 'cancelled');

-- CreateTable
CREATE TABLE "Line" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "greeting" TEXT,
    "language" TEXT NOT NULL DEFAULT 'ru-RU',
    "fallbackNumber" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Call" (
    "id" UUID NOT NULL,
    "callSid" TEXT NOT NULL,
    "lineId" UUID,
    "direction" TEXT NOT NULL DEFAULT 'inbound',
    "callerHash" TEXT NOT NULL,
    "callerSealed" TEXT NOT NULL,
    "callerMasked" TEXT NOT NULL,
    "callerCountry" TEXT,
    "priority" "CallPriority" NOT NULL DEFAULT 'normal',
    "status" "CallStatus" NOT NULL DEFAULT 'received',
    "twilioStatus" TEXT,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "queuedAt" TIMESTAMPTZ(3),
    "offeredAt" TIMESTAMPTZ(3),
    "answeredAt" TIMESTAMPTZ(3),
    "endedAt" TIMESTAMPTZ(3),
    "endReason" TEXT,
    "operatorId" UUID,
    "consultId" UUID,
    "consultMode" TEXT,
    "onHold" BOOLEAN NOT NULL DEFAULT false,
    "waitMs" INTEGER,
    "abandoned" BOOLEAN NOT NULL DEFAULT false,
    "noAnswerAt" TIMESTAMPTZ(3),
    "viaFallback" BOOLEAN NOT NULL DEFAULT false,
    "conferenceSid" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Call_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CallOffer" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "operatorId" UUID NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'route',
    "outcome" "OfferOutcome" NOT NULL DEFAULT 'pending',
    "offeredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CallOffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OperatorState" (
    "userId" UUID NOT NULL,
    "state" "OperatorStateKind" NOT NULL DEFAULT 'offline',
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "OperatorState_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "OperatorStateHistory" (
    "id" BIGSERIAL NOT NULL,
    "userId" UUID NOT NULL,
    "state" "OperatorStateKind" NOT NULL,
    "reason" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "OperatorStateHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Conversation" (
    "id" UUID NOT NULL,
    "lineId" UUID,
    "peerHash" TEXT NOT NULL,
    "peerSealed" TEXT NOT NULL,
    "peerMasked" TEXT NOT NULL,
    "status" "ConversationStatus" NOT NULL DEFAULT 'open',
    "operatorId" UUID,
    "openedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastMessageAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMPTZ(3),
    "closeReason" TEXT,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" UUID NOT NULL,
    "messageSid" TEXT,
    "conversationId" UUID,
    "lineId" UUID,
    "direction" "MessageDirection" NOT NULL,
    "peerHash" TEXT NOT NULL,
    "peerSealed" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "numMedia" INTEGER NOT NULL DEFAULT 0,
    "mediaUrls" TEXT[],
    "mediaTypes" TEXT[],
    "segments" INTEGER NOT NULL DEFAULT 1,
    "encoding" TEXT NOT NULL DEFAULT 'GSM-7',
    "status" TEXT NOT NULL,
    "errorCode" INTEGER,
    "senderId" UUID,
    "purpose" TEXT,
    "refId" TEXT,
    "claimedBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OptOut" (
    "peerHash" TEXT NOT NULL,
    "keyword" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OptOut_pkey" PRIMARY KEY ("peerHash")
);

-- CreateTable
CREATE TABLE "CallbackRequest" (
    "id" UUID NOT NULL,
    "kind" "CallbackKind" NOT NULL,
    "status" "CallbackStatus" NOT NULL DEFAULT 'open',
    "callId" UUID,
    "lineId" UUID,
    "callerHash" TEXT NOT NULL,
    "callerSealed" TEXT NOT NULL,
    "callerMasked" TEXT NOT NULL,
    "recordingUrl" TEXT,
    "waitMs" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dialedAt" TIMESTAMPTZ(3),
    "dialedBy" UUID,
    "dialCallSid" TEXT,
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CallbackRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Line_number_key" ON "Line"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Call_callSid_key" ON "Call"("callSid");

-- CreateIndex
CREATE INDEX "Call_status_priority_queuedAt_idx" ON "Call"("status", "priority", "queuedAt");

-- CreateIndex
CREATE INDEX "Call_callerHash_idx" ON "Call"("callerHash");

-- CreateIndex
CREATE INDEX "CallOffer_callId_idx" ON "CallOffer"("callId");

-- CreateIndex
CREATE INDEX "CallOffer_operatorId_outcome_idx" ON "CallOffer"("operatorId", "outcome");

-- CreateIndex
CREATE INDEX "OperatorStateHistory_userId_startedAt_idx" ON "OperatorStateHistory"("userId", "startedAt");

-- CreateIndex
CREATE INDEX "Conversation_peerHash_status_idx" ON "Conversation"("peerHash", "status");

-- CreateIndex
CREATE INDEX "Conversation_status_lastMessageAt_idx" ON "Conversation"("status", "lastMessageAt");

-- CreateIndex
CREATE UNIQUE INDEX "Message_messageSid_key" ON "Message"("messageSid");

-- CreateIndex
CREATE INDEX "Message_conversationId_createdAt_idx" ON "Message"("conversationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CallbackRequest_callId_key" ON "CallbackRequest"("callId");

-- CreateIndex
CREATE INDEX "CallbackRequest_status_createdAt_idx" ON "CallbackRequest"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "CallOffer" ADD CONSTRAINT "CallOffer_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
