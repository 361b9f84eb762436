-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'wallboard';
