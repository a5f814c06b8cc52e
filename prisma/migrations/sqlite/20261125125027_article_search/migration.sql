-- CreateTable
CREATE TABLE "ArticleSearchTerm" (
    "articleId" TEXT NOT NULL,
    "term" BLOB NOT NULL,
    "score" INTEGER NOT NULL,
    "publishedAt" DATETIME NOT NULL,

    PRIMARY KEY ("articleId", "term", "score"),
    CONSTRAINT "ArticleSearchTerm_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SearchVocabulary" (
    "term" BLOB NOT NULL PRIMARY KEY,
    "length" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "ArticleSearchTerm_term_score_publishedAt_articleId_idx" ON "ArticleSearchTerm"("term", "score", "publishedAt", "articleId");

-- CreateIndex
CREATE INDEX "SearchVocabulary_length_term_idx" ON "SearchVocabulary"("length", "term");

-- CreateIndex
CREATE INDEX "Article_id_status_publishedAt_embargoUntil_deletedAt_rubricId_idx" ON "Article"("id", "status", "publishedAt", "embargoUntil", "deletedAt", "rubricId");
