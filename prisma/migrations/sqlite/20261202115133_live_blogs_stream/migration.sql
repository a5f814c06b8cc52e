-- CreateTable
CREATE TABLE "LiveEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "articleId" TEXT NOT NULL,
    "title" TEXT,
    "body" JSONB NOT NULL,
    "isKeyEvent" BOOLEAN NOT NULL DEFAULT false,
    "isPinned" BOOLEAN NOT NULL DEFAULT false,
    "authorIds" JSONB NOT NULL,
    "createdById" TEXT,
    "publishedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "deletedAt" DATETIME,
    "sequence" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT "LiveEntry_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LiveEntryRevision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "entryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "LiveEntryRevision_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LiveEntry" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StreamEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "topic" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "dedupeKey" TEXT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Article" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "lead" TEXT,
    "body" JSONB NOT NULL,
    "keyPoints" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "rubricId" TEXT,
    "coverMediaId" TEXT,
    "narrationMediaId" TEXT,
    "narration" TEXT,
    "seoTitle" TEXT,
    "seoDescription" TEXT,
    "showInFeed" BOOLEAN NOT NULL DEFAULT true,
    "searchText" TEXT NOT NULL,
    "createdById" TEXT,
    "publishedAt" DATETIME,
    "embargoUntil" DATETIME,
    "deletedAt" DATETIME,
    "displayUpdatedAt" DATETIME,
    "isSponsored" BOOLEAN NOT NULL DEFAULT false,
    "adErid" TEXT,
    "adAdvertiserName" TEXT,
    "adAdvertiserInn" TEXT,
    "adAdvertiserUrl" TEXT,
    "commentsEnabled" BOOLEAN NOT NULL DEFAULT true,
    "commentsClosedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'standard',
    "coverageStartedAt" DATETIME,
    "coverageEndedAt" DATETIME,
    "liveSequence" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Article_rubricId_fkey" FOREIGN KEY ("rubricId") REFERENCES "Rubric" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Article_coverMediaId_fkey" FOREIGN KEY ("coverMediaId") REFERENCES "Media" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Article_narrationMediaId_fkey" FOREIGN KEY ("narrationMediaId") REFERENCES "Media" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Article_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Article" ("adAdvertiserInn", "adAdvertiserName", "adAdvertiserUrl", "adErid", "body", "commentsClosedAt", "commentsEnabled", "coverMediaId", "createdAt", "createdById", "deletedAt", "displayUpdatedAt", "embargoUntil", "id", "isSponsored", "keyPoints", "lead", "narration", "narrationMediaId", "publishedAt", "rubricId", "searchText", "seoDescription", "seoTitle", "showInFeed", "slug", "status", "title", "updatedAt", "version") SELECT "adAdvertiserInn", "adAdvertiserName", "adAdvertiserUrl", "adErid", "body", "commentsClosedAt", "commentsEnabled", "coverMediaId", "createdAt", "createdById", "deletedAt", "displayUpdatedAt", "embargoUntil", "id", "isSponsored", "keyPoints", "lead", "narration", "narrationMediaId", "publishedAt", "rubricId", "searchText", "seoDescription", "seoTitle", "showInFeed", "slug", "status", "title", "updatedAt", "version" FROM "Article";
DROP TABLE "Article";
ALTER TABLE "new_Article" RENAME TO "Article";
CREATE UNIQUE INDEX "Article_slug_key" ON "Article"("slug");
CREATE INDEX "Article_status_publishedAt_id_idx" ON "Article"("status", "publishedAt", "id");
CREATE INDEX "Article_rubricId_publishedAt_id_idx" ON "Article"("rubricId", "publishedAt", "id");
CREATE INDEX "Article_updatedAt_id_idx" ON "Article"("updatedAt", "id");
CREATE INDEX "Article_deletedAt_idx" ON "Article"("deletedAt");
CREATE INDEX "Article_id_status_publishedAt_embargoUntil_deletedAt_rubricId_idx" ON "Article"("id", "status", "publishedAt", "embargoUntil", "deletedAt", "rubricId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LiveEntry_articleId_deletedAt_publishedAt_id_idx" ON "LiveEntry"("articleId", "deletedAt", "publishedAt", "id");

-- CreateIndex
CREATE INDEX "LiveEntry_articleId_sequence_idx" ON "LiveEntry"("articleId", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "LiveEntryRevision_entryId_number_key" ON "LiveEntryRevision"("entryId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "StreamEvent_dedupeKey_key" ON "StreamEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "StreamEvent_createdAt_idx" ON "StreamEvent"("createdAt");
