import sharp, { type Sharp } from 'sharp';

/** What the library records of an image, read once at upload. */
export interface ImageFacts {
  /** As displayed, after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** #rrggbb, a placeholder colour while the image loads. */
  dominantColor: string;
  /** The format of the fallback renditions, for browsers without AVIF/WebP. */
  fallbackFormat: 'jpeg' | 'png';
}

export interface EncodedRendition {
  /** "original", or the "w:h" the picture is cropped to around its focal point. */
  aspectRatio: string;
  width: number;
  height: number;
  format: RenditionFormat;
  mimeType: string;
  ext: string;
  data: Buffer;
}

export type RenditionFormat = 'avif' | 'webp' | 'jpeg' | 'png';

const encodings: Record<RenditionFormat, { mimeType: string; ext: string; apply: (image: Sharp) => Sharp }> = {
  // effort 2: AVIF at the default effort costs seconds per upload for little gain.
  avif: { mimeType: 'image/avif', ext: 'avif', apply: (image) => image.avif({ quality: 55, effort: 2 }) },
  webp: { mimeType: 'image/webp', ext: 'webp', apply: (image) => image.webp({ quality: 78 }) },
  jpeg: { mimeType: 'image/jpeg', ext: 'jpg', apply: (image) => image.jpeg({ quality: 80, mozjpeg: true }) },
  png: { mimeType: 'image/png', ext: 'png', apply: (image) => image.png({ compressionLevel: 9 }) },
};

/** The order of formats in a response, so a front end can build `<source>` per format in order of preference. */
export const formatOrder: readonly RenditionFormat[] = ['avif', 'webp', 'jpeg', 'png'];

/** Thrown when the bytes look like an image but do not decode (truncated, corrupt, too many pixels). */
export class UnreadableImageError extends Error {
  override name = 'UnreadableImageError';
}

// failOn 'warning': a truncated JPEG decodes with a warning, and must be refused rather than stored half grey.
const open = (data: Buffer) => sharp(data, { failOn: 'warning', animated: false });

/** Reads an image's size and dominant colour, decoding it fully so that a damaged file is caught here. */
export async function readImageFacts(data: Buffer): Promise<ImageFacts> {
  try {
    const metadata = await open(data).metadata();
    const { dominant } = await open(data).stats();
    if (!metadata.width || !metadata.height) throw new Error('no dimensions');
    const rotated = (metadata.orientation ?? 1) >= 5;
    const hex = (n: number) => n.toString(16).padStart(2, '0');
    return {
      width: rotated ? metadata.height : metadata.width,
      height: rotated ? metadata.width : metadata.height,
      dominantColor: `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`,
      // JPEG stays JPEG; anything with transparency (or a GIF or PNG) falls back to PNG.
      fallbackFormat:
        metadata.format === 'jpeg' || (!metadata.hasAlpha && metadata.format !== 'png' && metadata.format !== 'gif') ? 'jpeg' : 'png',
    };
  } catch (error) {
    throw new UnreadableImageError(error instanceof Error ? error.message : String(error));
  }
}

/** The rendition widths for an image: the configured ones below its width, and its own width. */
export function renditionWidths(originalWidth: number, configured: readonly number[]): number[] {
  return [...new Set([...configured.filter((w) => w < originalWidth), originalWidth])].sort((a, b) => a - b);
}

/** "16:9" → { width: 16, height: 9 }. */
export function parseAspectRatio(ratio: string): { width: number; height: number } {
  const [width, height] = ratio.split(':').map(Number);
  if (!width || !height) throw new Error(`not an aspect ratio: ${ratio}`);
  return { width, height };
}

/**
 * Every rendition of an image: each width in AVIF, WebP and the fallback format, of the whole picture
 * and of each aspect ratio cropped around the focal point, turned upright by its EXIF orientation.
 * sharp writes no metadata unless asked (withMetadata is never called), so no rendition carries the
 * original's EXIF, GPS position included. GIFs give their first frame.
 */
export async function encodeRenditions(
  data: Buffer,
  facts: ImageFacts,
  widths: readonly number[],
  crops: { aspectRatios: readonly string[]; focal: { x: number | null; y: number | null }; onlyCrops?: boolean } = {
    aspectRatios: [],
    focal: { x: null, y: null },
  },
): Promise<EncodedRendition[]> {
  const formats: RenditionFormat[] = ['avif', 'webp', facts.fallbackFormat];
  const renditions: EncodedRendition[] = [];
  const frames = [
    ...(crops.onlyCrops ? [] : [{ aspectRatio: 'original', window: null }]),
    ...crops.aspectRatios.map((aspectRatio) => ({
      aspectRatio,
      window: focalCropWindow(facts, parseAspectRatio(aspectRatio), crops.focal),
    })),
  ];
  try {
    for (const { aspectRatio, window } of frames) {
      for (const width of renditionWidths(window?.width ?? facts.width, widths)) {
        for (const format of formats) {
          const encoding = encodings[format];
          // rotate() first: the crop window is measured on the upright picture.
          const upright = open(data).rotate();
          const image = (window ? upright.extract(window) : upright).resize({ width, withoutEnlargement: true });
          const { data: bytes, info } = await encoding.apply(image).toBuffer({ resolveWithObject: true });
          renditions.push({
            aspectRatio,
            width: info.width,
            height: info.height,
            format,
            mimeType: encoding.mimeType,
            ext: encoding.ext,
            data: bytes,
          });
        }
      }
    }
  } catch (error) {
    throw new UnreadableImageError(error instanceof Error ? error.message : String(error));
  }
  return renditions;
}

/**
 * The crop window of an aspect ratio (w:h) in an image, as large as fits, centred on the focal point
 * (fractions 0..1, centre when unknown) and moved inside the image where the centre would push it out.
 */
export function focalCropWindow(
  image: { width: number; height: number },
  aspect: { width: number; height: number },
  focal: { x: number | null; y: number | null },
): { left: number; top: number; width: number; height: number } {
  const target = aspect.width / aspect.height;
  const width = Math.min(image.width, Math.round(image.height * target));
  const height = Math.min(image.height, Math.round(image.width / target));
  const place = (size: number, window: number, fraction: number | null) =>
    Math.min(Math.max(Math.round(size * (fraction ?? 0.5) - window / 2), 0), size - window);
  return { left: place(image.width, width, focal.x), top: place(image.height, height, focal.y), width, height };
}
