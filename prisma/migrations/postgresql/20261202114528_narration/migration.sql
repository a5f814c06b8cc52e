-- AlterTable
ALTER TABLE "Rubric" ADD COLUMN     "narration" TEXT;

-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "narration" TEXT;

-- CreateTable
CREATE TABLE "ArticleNarration" (
    "articleId" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'none',
    "provider" TEXT,
    "voice" TEXT,
    "textHash" TEXT,
    "durationSeconds" DOUBLE PRECISION,
    "error" TEXT,
    "mediaId" TEXT,
    "dueAt" TIMESTAMP(3),
    "requests" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArticleNarration_pkey" PRIMARY KEY ("articleId")
);

-- CreateTable
CREATE TABLE "Pronunciation" (
    "id" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "termKey" TEXT NOT NULL,
    "spoken" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Pronunciation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ArticleNarration_dueAt_idx" ON "ArticleNarration"("dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Pronunciation_termKey_key" ON "Pronunciation"("termKey");

-- AddForeignKey
ALTER TABLE "ArticleNarration" ADD CONSTRAINT "ArticleNarration_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;
