-- AlterTable
ALTER TABLE "FeedItem" ADD COLUMN "adAdvertiserInn" TEXT;
ALTER TABLE "FeedItem" ADD COLUMN "adAdvertiserName" TEXT;
ALTER TABLE "FeedItem" ADD COLUMN "adAdvertiserUrl" TEXT;
ALTER TABLE "FeedItem" ADD COLUMN "adErid" TEXT;

-- CreateTable
CREATE TABLE "ArticleCorrection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "articleId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL,
    CONSTRAINT "ArticleCorrection_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ArticleCommentCount" (
    "articleId" TEXT NOT NULL PRIMARY KEY,
    "count" INTEGER NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ArticleCommentCount_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AdPlacement" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "erid" TEXT NOT NULL,
    "advertiserName" TEXT NOT NULL,
    "advertiserInn" TEXT,
    "advertiserUrl" TEXT,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "firstPublicAt" DATETIME NOT NULL,
    "lastPublicAt" DATETIME
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
    CONSTRAINT "Article_rubricId_fkey" FOREIGN KEY ("rubricId") REFERENCES "Rubric" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Article_coverMediaId_fkey" FOREIGN KEY ("coverMediaId") REFERENCES "Media" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Article_narrationMediaId_fkey" FOREIGN KEY ("narrationMediaId") REFERENCES "Media" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Article_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Article" ("body", "coverMediaId", "createdAt", "createdById", "deletedAt", "embargoUntil", "id", "keyPoints", "lead", "narrationMediaId", "publishedAt", "rubricId", "searchText", "seoDescription", "seoTitle", "showInFeed", "slug", "status", "title", "updatedAt", "version") SELECT "body", "coverMediaId", "createdAt", "createdById", "deletedAt", "embargoUntil", "id", "keyPoints", "lead", "narrationMediaId", "publishedAt", "rubricId", "searchText", "seoDescription", "seoTitle", "showInFeed", "slug", "status", "title", "updatedAt", "version" FROM "Article";
DROP TABLE "Article";
ALTER TABLE "new_Article" RENAME TO "Article";
CREATE UNIQUE INDEX "Article_slug_key" ON "Article"("slug");
CREATE INDEX "Article_status_publishedAt_id_idx" ON "Article"("status", "publishedAt", "id");
CREATE INDEX "Article_rubricId_publishedAt_id_idx" ON "Article"("rubricId", "publishedAt", "id");
CREATE INDEX "Article_updatedAt_id_idx" ON "Article"("updatedAt", "id");
CREATE INDEX "Article_deletedAt_idx" ON "Article"("deletedAt");
CREATE INDEX "Article_id_status_publishedAt_embargoUntil_deletedAt_rubricId_idx" ON "Article"("id", "status", "publishedAt", "embargoUntil", "deletedAt", "rubricId");
CREATE TABLE "new_Rubric" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "description" TEXT,
    "parentId" TEXT,
    "position" INTEGER NOT NULL DEFAULT 0,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "commentsEnabledByDefault" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "Rubric_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Rubric" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Rubric" ("createdAt", "description", "id", "isActive", "name", "parentId", "position", "slug", "updatedAt", "version") SELECT "createdAt", "description", "id", "isActive", "name", "parentId", "position", "slug", "updatedAt", "version" FROM "Rubric";
DROP TABLE "Rubric";
ALTER TABLE "new_Rubric" RENAME TO "Rubric";
CREATE UNIQUE INDEX "Rubric_slug_key" ON "Rubric"("slug");
CREATE INDEX "Rubric_position_id_idx" ON "Rubric"("position", "id");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ArticleCorrection_articleId_publishedAt_idx" ON "ArticleCorrection"("articleId", "publishedAt");

-- CreateIndex
CREATE INDEX "ArticleCorrection_publishedAt_id_idx" ON "ArticleCorrection"("publishedAt", "id");

-- CreateIndex
CREATE INDEX "AdPlacement_subjectType_subjectId_idx" ON "AdPlacement"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AdPlacement_firstPublicAt_idx" ON "AdPlacement"("firstPublicAt");
