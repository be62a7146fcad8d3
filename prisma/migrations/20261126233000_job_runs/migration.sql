-- CreateTable
CREATE TABLE "JobRun" (
    "name" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "JobRun_pkey" PRIMARY KEY ("name","day")
);

