import { createHash } from 'node:crypto';
import {
  decodeImage,
  decodeWidthFor,
  dominantColorOf,
  encodeRenditions,
  formatsPerRendition,
  planRenditions,
  readImageHeader,
  type CropOptions,
  type EncodedRendition,
  type ImageDecoder,
  type ImageFacts,
  type ImageSource,
} from './media.images.ts';
import { createWorkQueue } from '../../shared/work-queue.ts';

export interface ImageWorkDeps {
  /** Images with more pixels are refused from their header (sharp's limitInputPixels is set to it too). */
  maxPixels: number;
  /** Images decoded and encoded at once, at most; the others wait their turn. */
  concurrency: number;
  /** Widths of image renditions. */
  renditionWidths: readonly number[];
  /** Aspect ratios ("16:9") each image is also cropped to, around its focal point. */
  aspectRatios: readonly string[];
  /** Renditions made of one image, at most: a configuration that could make more is refused. */
  maxRenditions: number;
  /** Decodes an image; tests count the calls. */
  decode?: ImageDecoder;
}

/** A rendition with the storage key its bytes are kept under. */
export type StoredRendition = EncodedRendition & { key: string };

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The most renditions one image can get: every width of every frame (the whole picture and each crop) in each format. */
export function mostRenditionsPerImage(widths: readonly number[], aspectRatios: readonly string[]): number {
  return new Set(widths).size * (1 + new Set(aspectRatios).size) * formatsPerRendition;
}

/**
 * The image work of uploads: the header is read first (an image over the pixel limit is refused
 * before it waits or costs anything), then, with at most `concurrency` images at once, the image is
 * decoded once and every rendition is made from those pixels.
 */
export function createImageWork({
  maxPixels,
  concurrency,
  renditionWidths,
  aspectRatios,
  maxRenditions,
  decode = decodeImage,
}: ImageWorkDeps) {
  const most = mostRenditionsPerImage(renditionWidths, aspectRatios);
  if (most > maxRenditions) throw new Error(`Images would get up to ${most} renditions, more than the ${maxRenditions} allowed.`);
  const queue = createWorkQueue({ concurrency });

  return {
    /** Facts and renditions of an image; only the crops (and no facts measured from pixels) with `onlyCrops`. */
    async render(
      source: ImageSource,
      crops: Omit<CropOptions, 'aspectRatios'>,
    ): Promise<{ facts: ImageFacts; renditions: StoredRendition[] }> {
      const header = await readImageHeader(source, maxPixels);
      return queue.run(async () => {
        const frames = planRenditions(header, renditionWidths, { ...crops, aspectRatios });
        const pixels = await decode(source, { maxPixels, width: decodeWidthFor(header, frames) });
        const dominantColor = await dominantColorOf(pixels);
        const renditions = await encodeRenditions(pixels, header, frames);
        // Content-addressed: the same rendition bytes are stored once, whatever uploads made them.
        return {
          facts: { ...header, dominantColor },
          renditions: renditions.map((r) => ({ ...r, key: `renditions/${sha256(r.data)}.${r.ext}` })),
        };
      });
    },
    /** Images being worked on and waiting, now. */
    load: () => ({ running: queue.running(), waiting: queue.waiting() }),
  };
}

export type ImageWork = ReturnType<typeof createImageWork>;
