-- CreateTable
CREATE TABLE "ArticleSearchTerm" (
    "articleId" TEXT NOT NULL,
    "term" BYTEA NOT NULL,
    "score" INTEGER NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ArticleSearchTerm_pkey" PRIMARY KEY ("articleId","term","score")
);

-- CreateTable
CREATE TABLE "SearchVocabulary" (
    "term" BYTEA NOT NULL,
    "length" INTEGER NOT NULL,

    CONSTRAINT "SearchVocabulary_pkey" PRIMARY KEY ("term")
);

-- CreateIndex
CREATE INDEX "ArticleSearchTerm_term_score_publishedAt_articleId_idx" ON "ArticleSearchTerm"("term", "score", "publishedAt", "articleId");

-- CreateIndex
CREATE INDEX "SearchVocabulary_length_term_idx" ON "SearchVocabulary"("length", "term");

-- CreateIndex
CREATE INDEX "Article_id_status_publishedAt_embargoUntil_deletedAt_rubric_idx" ON "Article"("id", "status", "publishedAt", "embargoUntil", "deletedAt", "rubricId");

-- AddForeignKey
ALTER TABLE "ArticleSearchTerm" ADD CONSTRAINT "ArticleSearchTerm_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;
