-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_MediaRendition" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "mediaId" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "aspectRatio" TEXT NOT NULL DEFAULT 'original',
    "format" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "storageKey" TEXT NOT NULL,
    CONSTRAINT "MediaRendition_mediaId_fkey" FOREIGN KEY ("mediaId") REFERENCES "Media" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_MediaRendition" ("format", "height", "id", "mediaId", "mimeType", "sizeBytes", "storageKey", "width") SELECT "format", "height", "id", "mediaId", "mimeType", "sizeBytes", "storageKey", "width" FROM "MediaRendition";
DROP TABLE "MediaRendition";
ALTER TABLE "new_MediaRendition" RENAME TO "MediaRendition";
CREATE UNIQUE INDEX "MediaRendition_mediaId_aspectRatio_width_format_key" ON "MediaRendition"("mediaId", "aspectRatio", "width", "format");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
