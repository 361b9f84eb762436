-- AlterTable
ALTER TABLE "Call" ALTER COLUMN "callerMasked" SET DEFAULT '';

-- AlterTable
ALTER TABLE "CallbackRequest" ALTER COLUMN "callerMasked" SET DEFAULT '';

-- AlterTable
ALTER TABLE "Conversation" ALTER COLUMN "peerMasked" SET DEFAULT '';

-- Consoles no longer see any digit of a caller's number: blank the masked form kept so far.
UPDATE "Call" SET "callerMasked" = '' WHERE "callerMasked" <> '';
UPDATE "CallbackRequest" SET "callerMasked" = '' WHERE "callerMasked" <> '';
UPDATE "Conversation" SET "peerMasked" = '' WHERE "peerMasked" <> '';
