-- AlterTable
ALTER TABLE "MfaSecret" ADD COLUMN     "sealedKey" TEXT,
ALTER COLUMN "key" DROP NOT NULL;


-- Existing rows keep their plain key until `npm run secrets:reseal` or their first use seals it;
-- a row never holds neither.
ALTER TABLE "MfaSecret" ADD CONSTRAINT "MfaSecret_key_present" CHECK ("sealedKey" IS NOT NULL OR "key" IS NOT NULL);
