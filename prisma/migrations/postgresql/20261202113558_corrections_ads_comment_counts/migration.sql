-- AlterTable
ALTER TABLE "Rubric" ADD COLUMN     "commentsEnabledByDefault" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Article" ADD COLUMN     "adAdvertiserInn" TEXT,
ADD COLUMN     "adAdvertiserName" TEXT,
ADD COLUMN     "adAdvertiserUrl" TEXT,
ADD COLUMN     "adErid" TEXT,
ADD COLUMN     "commentsClosedAt" TIMESTAMP(3),
ADD COLUMN     "commentsEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "displayUpdatedAt" TIMESTAMP(3),
ADD COLUMN     "isSponsored" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "FeedItem" ADD COLUMN     "adAdvertiserInn" TEXT,
ADD COLUMN     "adAdvertiserName" TEXT,
ADD COLUMN     "adAdvertiserUrl" TEXT,
ADD COLUMN     "adErid" TEXT;

-- CreateTable
CREATE TABLE "ArticleCorrection" (
    "id" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArticleCorrection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArticleCommentCount" (
    "articleId" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArticleCommentCount_pkey" PRIMARY KEY ("articleId")
);

-- CreateTable
CREATE TABLE "AdPlacement" (
    "id" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "erid" TEXT NOT NULL,
    "advertiserName" TEXT NOT NULL,
    "advertiserInn" TEXT,
    "advertiserUrl" TEXT,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "firstPublicAt" TIMESTAMP(3) NOT NULL,
    "lastPublicAt" TIMESTAMP(3),

    CONSTRAINT "AdPlacement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ArticleCorrection_articleId_publishedAt_idx" ON "ArticleCorrection"("articleId", "publishedAt");

-- CreateIndex
CREATE INDEX "ArticleCorrection_publishedAt_id_idx" ON "ArticleCorrection"("publishedAt", "id");

-- CreateIndex
CREATE INDEX "AdPlacement_subjectType_subjectId_idx" ON "AdPlacement"("subjectType", "subjectId");

-- CreateIndex
CREATE INDEX "AdPlacement_firstPublicAt_idx" ON "AdPlacement"("firstPublicAt");

-- AddForeignKey
ALTER TABLE "ArticleCorrection" ADD CONSTRAINT "ArticleCorrection_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArticleCommentCount" ADD CONSTRAINT "ArticleCommentCount_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;
