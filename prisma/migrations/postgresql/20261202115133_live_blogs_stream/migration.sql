-- CreateEnum
CREATE TYPE "ArticleFormat" AS ENUM ('standard', 'live');

-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "coverageEndedAt" TIMESTAMP(3),
ADD COLUMN     "coverageStartedAt" TIMESTAMP(3),
ADD COLUMN     "format" "ArticleFormat" NOT NULL DEFAULT 'standard',
ADD COLUMN     "liveSequence" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "LiveEntry" (
    "id" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "title" TEXT,
    "body" JSONB NOT NULL,
    "isKeyEvent" BOOLEAN NOT NULL DEFAULT false,
    "isPinned" BOOLEAN NOT NULL DEFAULT false,
    "authorIds" JSONB NOT NULL,
    "createdById" TEXT,
    "publishedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "sequence" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "LiveEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LiveEntryRevision" (
    "id" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LiveEntryRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StreamEvent" (
    "id" SERIAL NOT NULL,
    "topic" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "dedupeKey" TEXT,

    CONSTRAINT "StreamEvent_pkey" PRIMARY KEY ("id")
);

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

-- AddForeignKey
ALTER TABLE "LiveEntry" ADD CONSTRAINT "LiveEntry_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LiveEntryRevision" ADD CONSTRAINT "LiveEntryRevision_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "LiveEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;
