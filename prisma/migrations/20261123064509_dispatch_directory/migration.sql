-- CreateEnum
CREATE TYPE "UrgentKind" AS ENUM ('food', 'clothing', 'accommodation', 'legal', 'psychological', 'other');

-- CreateEnum
CREATE TYPE "DispatchState" AS ENUM ('requested', 'offered', 'accepted', 'in_progress', 'delivered', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "DispatchUrgency" AS ENUM ('now', 'within_hours', 'today');

-- CreateEnum
CREATE TYPE "OfferState" AS ENUM ('pending', 'accepted', 'declined', 'expired', 'withdrawn');

-- CreateTable
CREATE TABLE "DirOrganization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "alternateName" TEXT,
    "description" TEXT,
    "email" TEXT,
    "website" TEXT,
    "taxStatus" TEXT,
    "taxId" TEXT,
    "yearIncorporated" INTEGER,
    "legalStatus" TEXT,
    "logo" TEXT,
    "uri" TEXT,
    "parentOrganizationId" UUID,
    "isExample" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DirOrganization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirService" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "programId" UUID,
    "name" TEXT NOT NULL,
    "alternateName" TEXT,
    "description" TEXT,
    "url" TEXT,
    "email" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "interpretationServices" TEXT,
    "applicationProcess" TEXT,
    "feesDescription" TEXT,
    "waitTime" TEXT,
    "fees" TEXT,
    "accreditations" TEXT,
    "eligibilityDescription" TEXT,
    "minimumAge" INTEGER,
    "maximumAge" INTEGER,
    "assuredDate" DATE,
    "assurerEmail" TEXT,
    "licenses" TEXT,
    "alert" TEXT,
    "lastModified" TIMESTAMPTZ(3),
    "urgentKinds" "UrgentKind"[],
    "isExample" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DirService_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirLocation" (
    "id" UUID NOT NULL,
    "locationType" TEXT NOT NULL DEFAULT 'physical',
    "url" TEXT,
    "organizationId" UUID,
    "name" TEXT,
    "alternateName" TEXT,
    "description" TEXT,
    "transportation" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "externalIdentifier" TEXT,
    "externalIdentifierType" TEXT,
    "district" TEXT,
    "isExample" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DirLocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirServiceAtLocation" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "locationId" UUID NOT NULL,
    "description" TEXT,

    CONSTRAINT "DirServiceAtLocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirAddress" (
    "id" UUID NOT NULL,
    "locationId" UUID NOT NULL,
    "attention" TEXT,
    "address1" TEXT NOT NULL,
    "address2" TEXT,
    "city" TEXT NOT NULL,
    "region" TEXT,
    "stateProvince" TEXT NOT NULL,
    "postalCode" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "addressType" TEXT NOT NULL DEFAULT 'physical',

    CONSTRAINT "DirAddress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirPhone" (
    "id" UUID NOT NULL,
    "locationId" UUID,
    "serviceId" UUID,
    "organizationId" UUID,
    "contactId" UUID,
    "serviceAtLocationId" UUID,
    "numberEnc" TEXT NOT NULL,
    "numberHash" TEXT NOT NULL,
    "numberMasked" TEXT NOT NULL,
    "extension" TEXT,
    "type" TEXT,
    "description" TEXT,

    CONSTRAINT "DirPhone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirSchedule" (
    "id" UUID NOT NULL,
    "serviceId" UUID,
    "locationId" UUID,
    "serviceAtLocationId" UUID,
    "validFrom" DATE,
    "validTo" DATE,
    "dtstart" DATE,
    "timezone" DOUBLE PRECISION,
    "until" DATE,
    "count" INTEGER,
    "wkst" TEXT,
    "freq" TEXT,
    "interval" INTEGER,
    "byday" TEXT,
    "byweekno" TEXT,
    "bymonthday" TEXT,
    "byyearday" TEXT,
    "description" TEXT,
    "opensAt" TEXT,
    "closesAt" TEXT,
    "scheduleLink" TEXT,
    "attendingType" TEXT,
    "notes" TEXT,

    CONSTRAINT "DirSchedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirServiceArea" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "extent" TEXT,
    "extentType" TEXT,
    "uri" TEXT,

    CONSTRAINT "DirServiceArea_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirLanguage" (
    "id" UUID NOT NULL,
    "serviceId" UUID,
    "locationId" UUID,
    "phoneId" UUID,
    "name" TEXT,
    "code" TEXT,
    "note" TEXT,

    CONSTRAINT "DirLanguage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirUnit" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scheme" TEXT,
    "identifier" TEXT,
    "uri" TEXT,

    CONSTRAINT "DirUnit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DirServiceCapacity" (
    "id" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "available" INTEGER NOT NULL,
    "maximum" INTEGER,
    "description" TEXT,
    "updated" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "DirServiceCapacity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Dispatch" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "contactId" UUID,
    "referral" TEXT,
    "kind" "UrgentKind" NOT NULL,
    "recipientName" TEXT,
    "recipientPhoneEnc" TEXT,
    "recipientPhoneHash" TEXT,
    "notifyRecipient" BOOLEAN NOT NULL DEFAULT false,
    "district" TEXT NOT NULL,
    "address" TEXT,
    "urgency" "DispatchUrgency" NOT NULL,
    "childrenInvolved" BOOLEAN NOT NULL DEFAULT false,
    "risk" TEXT NOT NULL DEFAULT 'none',
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "providerNote" TEXT,
    "state" "DispatchState" NOT NULL DEFAULT 'requested',
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "escalatedReason" TEXT,
    "offerCount" INTEGER NOT NULL DEFAULT 0,
    "serviceId" UUID,
    "currentOfferId" UUID,
    "ackDeadline" TIMESTAMPTZ(3),
    "deliveryDeadline" TIMESTAMPTZ(3),
    "closeReason" TEXT,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "acceptedAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Dispatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DispatchOffer" (
    "id" UUID NOT NULL,
    "dispatchId" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "phoneId" UUID,
    "code" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "reasons" JSONB NOT NULL,
    "state" "OfferState" NOT NULL DEFAULT 'pending',
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "smsStatus" TEXT NOT NULL DEFAULT 'queued',
    "smsAttempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answeredAt" TIMESTAMPTZ(3),
    "answeredVia" TEXT,
    "linkClosedAt" TIMESTAMPTZ(3),

    CONSTRAINT "DispatchOffer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DispatchEvent" (
    "id" UUID NOT NULL,
    "dispatchId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "actorLabel" TEXT,
    "serviceId" UUID,
    "note" TEXT,
    "detail" JSONB,

    CONSTRAINT "DispatchEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CapacityHold" (
    "id" UUID NOT NULL,
    "dispatchId" UUID NOT NULL,
    "capacityId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "heldAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" TIMESTAMPTZ(3),

    CONSTRAINT "CapacityHold_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" BIGSERIAL NOT NULL,
    "queue" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "runAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "relayedAt" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DirService_organizationId_idx" ON "DirService"("organizationId");

-- CreateIndex
CREATE INDEX "DirServiceAtLocation_serviceId_idx" ON "DirServiceAtLocation"("serviceId");

-- CreateIndex
CREATE INDEX "DirServiceAtLocation_locationId_idx" ON "DirServiceAtLocation"("locationId");

-- CreateIndex
CREATE INDEX "DirAddress_locationId_idx" ON "DirAddress"("locationId");

-- CreateIndex
CREATE INDEX "DirPhone_numberHash_idx" ON "DirPhone"("numberHash");

-- CreateIndex
CREATE INDEX "DirPhone_serviceId_idx" ON "DirPhone"("serviceId");

-- CreateIndex
CREATE INDEX "DirSchedule_serviceId_idx" ON "DirSchedule"("serviceId");

-- CreateIndex
CREATE INDEX "DirServiceArea_serviceId_idx" ON "DirServiceArea"("serviceId");

-- CreateIndex
CREATE INDEX "DirServiceCapacity_serviceId_idx" ON "DirServiceCapacity"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "Dispatch_number_key" ON "Dispatch"("number");

-- CreateIndex
CREATE INDEX "Dispatch_state_idx" ON "Dispatch"("state");

-- CreateIndex
CREATE INDEX "Dispatch_contactId_idx" ON "Dispatch"("contactId");

-- CreateIndex
CREATE INDEX "DispatchOffer_dispatchId_idx" ON "DispatchOffer"("dispatchId");

-- CreateIndex
CREATE INDEX "DispatchOffer_code_state_idx" ON "DispatchOffer"("code", "state");

-- CreateIndex
CREATE INDEX "DispatchOffer_serviceId_state_idx" ON "DispatchOffer"("serviceId", "state");

-- CreateIndex
CREATE INDEX "DispatchEvent_dispatchId_at_idx" ON "DispatchEvent"("dispatchId", "at");

-- CreateIndex
CREATE INDEX "CapacityHold_dispatchId_idx" ON "CapacityHold"("dispatchId");

-- CreateIndex
CREATE INDEX "Outbox_relayedAt_id_idx" ON "Outbox"("relayedAt", "id");

-- AddForeignKey
ALTER TABLE "DirService" ADD CONSTRAINT "DirService_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "DirOrganization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirLocation" ADD CONSTRAINT "DirLocation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "DirOrganization"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirServiceAtLocation" ADD CONSTRAINT "DirServiceAtLocation_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "DirService"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirServiceAtLocation" ADD CONSTRAINT "DirServiceAtLocation_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "DirLocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirAddress" ADD CONSTRAINT "DirAddress_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "DirLocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirPhone" ADD CONSTRAINT "DirPhone_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "DirLocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirPhone" ADD CONSTRAINT "DirPhone_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "DirService"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirPhone" ADD CONSTRAINT "DirPhone_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "DirOrganization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirSchedule" ADD CONSTRAINT "DirSchedule_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "DirService"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirSchedule" ADD CONSTRAINT "DirSchedule_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "DirLocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirServiceArea" ADD CONSTRAINT "DirServiceArea_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "DirService"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirLanguage" ADD CONSTRAINT "DirLanguage_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "DirService"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirLanguage" ADD CONSTRAINT "DirLanguage_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "DirLocation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirServiceCapacity" ADD CONSTRAINT "DirServiceCapacity_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "DirService"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DirServiceCapacity" ADD CONSTRAINT "DirServiceCapacity_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "DirUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DispatchOffer" ADD CONSTRAINT "DispatchOffer_dispatchId_fkey" FOREIGN KEY ("dispatchId") REFERENCES "Dispatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DispatchEvent" ADD CONSTRAINT "DispatchEvent_dispatchId_fkey" FOREIGN KEY ("dispatchId") REFERENCES "Dispatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CapacityHold" ADD CONSTRAINT "CapacityHold_dispatchId_fkey" FOREIGN KEY ("dispatchId") REFERENCES "Dispatch"("id") ON DELETE CASCADE ON UPDATE CASCADE;
