-- DropIndex
DROP INDEX "Article_rubricId_status_publishedAt_idx";

-- CreateIndex
CREATE INDEX "Article_rubricId_publishedAt_id_idx" ON "Article"("rubricId", "publishedAt", "id");
