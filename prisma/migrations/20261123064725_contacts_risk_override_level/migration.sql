-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "riskOverrideLevel" "RiskLevel";
