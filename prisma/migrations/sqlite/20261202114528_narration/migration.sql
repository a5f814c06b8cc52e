-- AlterTable
ALTER TABLE "Article" ADD COLUMN "narration" TEXT;

-- AlterTable
ALTER TABLE "Rubric" ADD COLUMN "narration" TEXT;

-- CreateTable
CREATE TABLE "ArticleNarration" (
    "articleId" TEXT NOT NULL PRIMARY KEY,
    "state" TEXT NOT NULL DEFAULT 'none',
    "provider" TEXT,
    "voice" TEXT,
    "textHash" TEXT,
    "durationSeconds" REAL,
    "error" TEXT,
    "mediaId" TEXT,
    "dueAt" DATETIME,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ArticleNarration_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Pronunciation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "term" TEXT NOT NULL,
    "termKey" TEXT NOT NULL,
    "spoken" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ArticleNarration_dueAt_idx" ON "ArticleNarration"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Pronunciation_termKey_key" ON "Pronunciation"("termKey");
