-- AlterTable
ALTER TABLE "Conversation" ADD COLUMN     "channel" TEXT NOT NULL DEFAULT 'sms';

-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "channel" TEXT NOT NULL DEFAULT 'sms';
