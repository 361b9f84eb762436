-- AlterTable
ALTER TABLE "Call" DROP COLUMN "callerMasked";

-- AlterTable
ALTER TABLE "CallbackRequest" DROP COLUMN "callerMasked";

-- AlterTable
ALTER TABLE "Conversation" DROP COLUMN "peerMasked";
