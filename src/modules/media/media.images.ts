import sharp, { type Metadata, type Sharp } from 'sharp';

/** Where an image's bytes are: a file (an upload's temporary file) or memory (a stored original, the demo's pictures). */
export type ImageSource = string | Buffer;

/** What the header of an image says, read without decoding a pixel. */
export interface ImageHeader {
  /** As displayed, after the EXIF orientation is applied. */
  width: number;
  height: number;
  /** The format of the fallback renditions, for browsers without AVIF/WebP. */
  fallbackFormat: 'jpeg' | 'png';
}

/** What the library records of an image, read once at upload. */
export interface ImageFacts extends ImageHeader {
  /** #rrggbb, a placeholder colour while the image loads. */
  dominantColor: string;
}

/**
 * The image decoded once, upright, as raw pixels, shrunk to the largest size any of its renditions
 * needs: every rendition is cut and resized from these pixels, none decodes the original again.
 */
export interface DecodedImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** Decodes an image (the one decode of an upload); a seam that tests count. */
export type ImageDecoder = (source: ImageSource, options: { maxPixels: number; width: number }) => Promise<DecodedImage>;

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

/** The formats each rendition is made in: AVIF, WebP and the fallback. */
export const formatsPerRendition = 3;

/** The order of formats in a response, so a front end can build `<source>` per format in order of preference. */
export const formatOrder: readonly RenditionFormat[] = ['avif', 'webp', 'jpeg', 'png'];

/** Thrown when the bytes look like an image but do not decode (truncated, corrupt). */
export class UnreadableImageError extends Error {
  override name = 'UnreadableImageError';
}

/** Thrown when an image has more pixels than allowed: refused from its header, before any decoding. */
export class ImageTooLargeError extends Error {
  override name = 'ImageTooLargeError';
  constructor(
    readonly width: number,
    readonly height: number,
    readonly maxPixels: number,
  ) {
    super(`${width}×${height} pixels is more than the ${maxPixels} accepted`);
  }
}

const unreadable = (error: unknown) =>
  error instanceof UnreadableImageError ? error : new UnreadableImageError(error instanceof Error ? error.message : String(error));

/**
 * Reads an image's header: its size, orientation and format. No pixel is decoded, so this is cheap
 * whatever the size, and an image over `maxPixels` is refused here, before any work on it.
 */
export async function readImageHeader(source: ImageSource, maxPixels: number): Promise<ImageHeader> {
  let metadata: Metadata;
  try {
    // The header only: the pixel limit is checked below, with the size to report (and set again for the decode).
    metadata = await sharp(source, { animated: false, limitInputPixels: false }).metadata();
  } catch (error) {
    throw unreadable(error);
  }
  const { width, height } = metadata;
  if (!width || !height) throw new UnreadableImageError('no dimensions');
  if (width * height > maxPixels) throw new ImageTooLargeError(width, height, maxPixels);
  const rotated = (metadata.orientation ?? 1) >= 5;
  return {
    width: rotated ? height : width,
    height: rotated ? width : height,
    // JPEG stays JPEG; anything with transparency (or a GIF or PNG) falls back to PNG.
    fallbackFormat:
      metadata.format === 'jpeg' || (!metadata.hasAlpha && metadata.format !== 'png' && metadata.format !== 'gif') ? 'jpeg' : 'png',
  };
}

/**
 * Decodes the image once, turned upright by its EXIF orientation and shrunk to `width` (never
 * enlarged; JPEGs shrink while they decode). `limitInputPixels` is set explicitly, so sharp's own
 * default (268 megapixels) never decides; failOn 'warning': a truncated JPEG decodes with a warning,
 * and must be refused rather than stored half grey.
 */
export const decodeImage: ImageDecoder = async (source, { maxPixels, width }) => {
  try {
    const { data, info } = await sharp(source, { failOn: 'warning', animated: false, limitInputPixels: maxPixels })
      .rotate()
      .resize({ width, withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, channels: info.channels };
  } catch (error) {
    throw unreadable(error);
  }
};

const fromPixels = (image: DecodedImage) =>
  sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } });

/** The dominant colour of the decoded pixels. */
export async function dominantColorOf(image: DecodedImage): Promise<string> {
  const { dominant } = await fromPixels(image).stats();
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `#${hex(dominant.r)}${hex(dominant.g)}${hex(dominant.b)}`;
}

/**
 * The rendition widths for a picture (or a crop of it): the configured ones below its width, and its
 * own width when it is narrower than the largest configured one. Nothing wider than that: a huge
 * picture costs no more to encode than one of the largest configured width.
 */
export function renditionWidths(originalWidth: number, configured: readonly number[]): number[] {
  const largest = Math.min(originalWidth, Math.max(...configured));
  return [...new Set([...configured.filter((w) => w < largest), largest])].sort((a, b) => a - b);
}

/** "16:9" → { width: 16, height: 9 }. */
export function parseAspectRatio(ratio: string): { width: number; height: number } {
  const [width, height] = ratio.split(':').map(Number);
  if (!width || !height) throw new Error(`not an aspect ratio: ${ratio}`);
  return { width, height };
}

/** A picture to make renditions of: the whole image ("original") or a crop window of it, with its widths. */
export interface RenditionFrame {
  aspectRatio: string;
  /** In the original's (upright) pixels; null for the whole picture. */
  window: { left: number; top: number; width: number; height: number } | null;
  widths: number[];
}

export interface CropOptions {
  aspectRatios: readonly string[];
  focal: { x: number | null; y: number | null };
  /** Only the crops (the focal point moved): the whole picture's renditions stay as they are. */
  onlyCrops?: boolean;
}

/** Every picture to make renditions of, and at which widths. */
export function planRenditions(image: ImageHeader, widths: readonly number[], crops: CropOptions): RenditionFrame[] {
  const frames = [
    ...(crops.onlyCrops ? [] : [{ aspectRatio: 'original', window: null }]),
    ...crops.aspectRatios.map((aspectRatio) => ({
      aspectRatio,
      window: focalCropWindow(image, parseAspectRatio(aspectRatio), crops.focal),
    })),
  ];
  return frames.map((frame) => ({ ...frame, widths: renditionWidths(frame.window?.width ?? image.width, widths) }));
}

/** The width to decode an image at: enough for the sharpest of its renditions, crops included, and no more. */
export function decodeWidthFor(image: ImageHeader, frames: readonly RenditionFrame[]): number {
  const needed = frames.map((frame) => Math.ceil((Math.max(...frame.widths) * image.width) / (frame.window?.width ?? image.width)));
  return Math.min(image.width, Math.max(...needed));
}

/**
 * Every rendition of the frames from the decoded pixels: each width in AVIF, WebP and the fallback
 * format. sharp writes no metadata unless asked (withMetadata is never called), so no rendition
 * carries the original's EXIF, GPS position included. GIFs give their first frame.
 */
export async function encodeRenditions(
  image: DecodedImage,
  header: ImageHeader,
  frames: readonly RenditionFrame[],
): Promise<EncodedRendition[]> {
  const formats: RenditionFormat[] = ['avif', 'webp', header.fallbackFormat];
  // The crop windows are measured on the original; the pixels may have been shrunk at decoding.
  const scale = image.width / header.width;
  const renditions: EncodedRendition[] = [];
  try {
    for (const { aspectRatio, window, widths } of frames) {
      const area = window && scaledWindow(window, scale, image);
      for (const width of widths) {
        for (const format of formats) {
          const encoding = encodings[format];
          const picture = (area ? fromPixels(image).extract(area) : fromPixels(image)).resize({ width });
          const { data, info } = await encoding.apply(picture).toBuffer({ resolveWithObject: true });
          renditions.push({
            aspectRatio,
            width: info.width,
            height: info.height,
            format,
            mimeType: encoding.mimeType,
            ext: encoding.ext,
            data,
          });
        }
      }
    }
  } catch (error) {
    throw unreadable(error);
  }
  return renditions;
}

function scaledWindow(
  window: { left: number; top: number; width: number; height: number },
  scale: number,
  image: { width: number; height: number },
): { left: number; top: number; width: number; height: number } {
  const left = Math.min(Math.round(window.left * scale), image.width - 1);
  const top = Math.min(Math.round(window.top * scale), image.height - 1);
  return {
    left,
    top,
    width: Math.max(1, Math.min(Math.round(window.width * scale), image.width - left)),
    height: Math.max(1, Math.min(Math.round(window.height * scale), image.height - top)),
  };
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
