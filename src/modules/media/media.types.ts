import { fileTypeFromBuffer } from 'file-type';
import type { MediaKind } from '../../generated/sqlite/client.ts';

/** A file type the library accepts, as recognised from its bytes. */
export interface AllowedType {
  kind: MediaKind;
  mimeType: string;
  /** The extension of its storage key. */
  ext: string;
}

// Keyed by the MIME type file-type reports; the name and the declared Content-Type are never trusted.
const allowedTypes: Record<string, AllowedType> = {
  'image/jpeg': { kind: 'image', mimeType: 'image/jpeg', ext: 'jpg' },
  'image/png': { kind: 'image', mimeType: 'image/png', ext: 'png' },
  'image/webp': { kind: 'image', mimeType: 'image/webp', ext: 'webp' },
  'image/avif': { kind: 'image', mimeType: 'image/avif', ext: 'avif' },
  'image/gif': { kind: 'image', mimeType: 'image/gif', ext: 'gif' },
  'audio/mpeg': { kind: 'audio', mimeType: 'audio/mpeg', ext: 'mp3' },
  'audio/mp4': { kind: 'audio', mimeType: 'audio/mp4', ext: 'm4a' },
  'audio/x-m4a': { kind: 'audio', mimeType: 'audio/mp4', ext: 'm4a' },
  'audio/ogg': { kind: 'audio', mimeType: 'audio/ogg', ext: 'ogg' },
  'audio/ogg; codecs=opus': { kind: 'audio', mimeType: 'audio/ogg', ext: 'ogg' },
  'audio/opus': { kind: 'audio', mimeType: 'audio/ogg', ext: 'ogg' },
  'video/mp4': { kind: 'video', mimeType: 'video/mp4', ext: 'mp4' },
  'video/webm': { kind: 'video', mimeType: 'video/webm', ext: 'webm' },
  'application/pdf': { kind: 'document', mimeType: 'application/pdf', ext: 'pdf' },
};

/** The bytes file-type needs to recognise every format above. */
export const sniffLength = 4100;

/** The accepted type of a file from its first bytes, or undefined (SVG, text, executables, anything else). */
export async function detectAllowedType(head: Uint8Array): Promise<AllowedType | undefined> {
  const detected = await fileTypeFromBuffer(head);
  return detected ? allowedTypes[detected.mime] : undefined;
}

/** Extensions of stored files and the Content-Type each is served with (the store's own table). */
export { extensionTypes as servedTypes } from '../../storage/local-storage.ts';

/** Originals served publicly: not images, whose originals may carry EXIF (GPS); their renditions are served instead. */
export const publicOriginalExts = new Set(['mp3', 'm4a', 'ogg', 'mp4', 'webm', 'pdf']);
export const renditionExts = new Set(['jpg', 'png', 'webp', 'avif']);
