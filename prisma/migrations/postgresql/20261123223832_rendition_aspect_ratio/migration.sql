-- DropIndex
DROP INDEX "MediaRendition_mediaId_width_format_key";

-- AlterTable
ALTER TABLE "MediaRendition" ADD COLUMN     "aspectRatio" TEXT NOT NULL DEFAULT 'original';

-- CreateIndex
CREATE UNIQUE INDEX "MediaRendition_mediaId_aspectRatio_width_format_key" ON "MediaRendition"("mediaId", "aspectRatio", "width", "format");
