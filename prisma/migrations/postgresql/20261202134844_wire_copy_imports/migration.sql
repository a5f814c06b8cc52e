-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "originUrl" TEXT;

-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "externalId" TEXT,
ADD COLUMN     "externalVersion" TEXT,
ADD COLUMN     "importedVersion" INTEGER,
ADD COLUMN     "origin" TEXT,
ADD COLUMN     "source" TEXT;

-- CreateTable
CREATE TABLE "PathRedirect" (
    "path" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PathRedirect_pkey" PRIMARY KEY ("path")
);

-- CreateTable
CREATE TABLE "WireSource" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "pollSeconds" INTEGER NOT NULL,
    "rubricId" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "credentials" JSONB,
    "etag" TEXT,
    "lastModified" TEXT,
    "lastPolledAt" TIMESTAMP(3),
    "lastStatus" TEXT,
    "lastError" TEXT,
    "itemsImported" INTEGER NOT NULL DEFAULT 0,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "nextPollAt" TIMESTAMP(3) NOT NULL,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WireSource_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PathRedirect_articleId_idx" ON "PathRedirect"("articleId");

-- CreateIndex
CREATE INDEX "WireSource_isActive_nextPollAt_idx" ON "WireSource"("isActive", "nextPollAt");

-- CreateIndex
CREATE INDEX "Media_originUrl_idx" ON "Media"("originUrl");

-- CreateIndex
CREATE INDEX "Article_origin_status_createdAt_idx" ON "Article"("origin", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Article_source_externalId_key" ON "Article"("source", "externalId");

-- AddForeignKey
ALTER TABLE "PathRedirect" ADD CONSTRAINT "PathRedirect_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WireSource" ADD CONSTRAINT "WireSource_rubricId_fkey" FOREIGN KEY ("rubricId") REFERENCES "Rubric"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
