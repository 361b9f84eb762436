-- AlterTable
ALTER TABLE "Call" DROP COLUMN "callerMasked",
ADD COLUMN     "priorContactAt" TIMESTAMPTZ(3),
ADD COLUMN     "priorContacts" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "CallbackRequest" DROP COLUMN "callerMasked",
ADD COLUMN     "priorContactAt" TIMESTAMPTZ(3),
ADD COLUMN     "priorContacts" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Conversation" DROP COLUMN "peerMasked",
ADD COLUMN     "priorContactAt" TIMESTAMPTZ(3),
ADD COLUMN     "priorContacts" INTEGER NOT NULL DEFAULT 0;

-- Backfill: each existing call and SMS thread counts the contacts from the same number (keyed
-- hash) before it began; a call-back takes its call's figures. Offline contacts count only when
-- they came neither from a call nor from a thread, which are counted already.
WITH prior AS (
  SELECT c.id,
    (SELECT count(*) FROM "Call" p WHERE p."callerHash" = c."callerHash" AND p."receivedAt" < c."receivedAt")
    + (SELECT count(*) FROM "Conversation" v WHERE v."peerHash" = c."callerHash" AND v."openedAt" < c."receivedAt")
    + (SELECT count(*) FROM "Contact" k WHERE k."phoneHash" = c."callerHash" AND k."callId" IS NULL AND k."conversationId" IS NULL AND k."createdAt" < c."receivedAt") AS n,
    GREATEST(
      (SELECT max(p."receivedAt") FROM "Call" p WHERE p."callerHash" = c."callerHash" AND p."receivedAt" < c."receivedAt"),
      (SELECT max(v."openedAt") FROM "Conversation" v WHERE v."peerHash" = c."callerHash" AND v."openedAt" < c."receivedAt"),
      (SELECT max(k."createdAt") FROM "Contact" k WHERE k."phoneHash" = c."callerHash" AND k."callId" IS NULL AND k."conversationId" IS NULL AND k."createdAt" < c."receivedAt")
    ) AS last
  FROM "Call" c
)
UPDATE "Call" SET "priorContacts" = prior.n, "priorContactAt" = prior.last FROM prior WHERE "Call".id = prior.id;

WITH prior AS (
  SELECT c.id,
    (SELECT count(*) FROM "Call" p WHERE p."callerHash" = c."peerHash" AND p."receivedAt" < c."openedAt")
    + (SELECT count(*) FROM "Conversation" v WHERE v."peerHash" = c."peerHash" AND v."openedAt" < c."openedAt")
    + (SELECT count(*) FROM "Contact" k WHERE k."phoneHash" = c."peerHash" AND k."callId" IS NULL AND k."conversationId" IS NULL AND k."createdAt" < c."openedAt") AS n,
    GREATEST(
      (SELECT max(p."receivedAt") FROM "Call" p WHERE p."callerHash" = c."peerHash" AND p."receivedAt" < c."openedAt"),
      (SELECT max(v."openedAt") FROM "Conversation" v WHERE v."peerHash" = c."peerHash" AND v."openedAt" < c."openedAt"),
      (SELECT max(k."createdAt") FROM "Contact" k WHERE k."phoneHash" = c."peerHash" AND k."callId" IS NULL AND k."conversationId" IS NULL AND k."createdAt" < c."openedAt")
    ) AS last
  FROM "Conversation" c
)
UPDATE "Conversation" SET "priorContacts" = prior.n, "priorContactAt" = prior.last FROM prior WHERE "Conversation".id = prior.id;

UPDATE "CallbackRequest" SET "priorContacts" = c."priorContacts", "priorContactAt" = c."priorContactAt" FROM "Call" c WHERE "CallbackRequest"."callId" = c.id;
