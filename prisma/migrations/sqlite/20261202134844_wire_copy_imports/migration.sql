-- AlterTable
ALTER TABLE "Article" ADD COLUMN "externalId" TEXT;
ALTER TABLE "Article" ADD COLUMN "externalVersion" TEXT;
ALTER TABLE "Article" ADD COLUMN "importedVersion" INTEGER;
ALTER TABLE "Article" ADD COLUMN "origin" TEXT;
ALTER TABLE "Article" ADD COLUMN "source" TEXT;

-- AlterTable
ALTER TABLE "Media" ADD COLUMN "originUrl" TEXT;

-- CreateTable
CREATE TABLE "PathRedirect" (
    "path" TEXT NOT NULL PRIMARY KEY,
    "articleId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "PathRedirect_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WireSource" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "pollSeconds" INTEGER NOT NULL,
    "rubricId" TEXT,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "credentials" JSONB,
    "etag" TEXT,
    "lastModified" TEXT,
    "lastPolledAt" DATETIME,
    "lastStatus" TEXT,
    "lastError" TEXT,
    "itemsImported" INTEGER NOT NULL DEFAULT 0,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "nextPollAt" DATETIME NOT NULL,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "WireSource_rubricId_fkey" FOREIGN KEY ("rubricId") REFERENCES "Rubric" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PathRedirect_articleId_idx" ON "PathRedirect"("articleId");

-- CreateIndex
CREATE INDEX "WireSource_isActive_nextPollAt_idx" ON "WireSource"("isActive", "nextPollAt");

-- CreateIndex
CREATE INDEX "Article_origin_status_createdAt_idx" ON "Article"("origin", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Article_source_externalId_key" ON "Article"("source", "externalId");

-- CreateIndex
CREATE INDEX "Media_originUrl_idx" ON "Media"("originUrl");
