import type { Readable } from 'node:stream';

/** An inclusive byte range of an object, as HTTP's Range counts it. */
export interface ByteSpan {
  start: number;
  end: number;
}

/** A stored object opened for serving: its size at once, its bytes (all or a span) as a stream only when asked. */
export interface OpenedObject {
  size: number;
  read(span?: ByteSpan): Promise<Readable>;
}

/** Where uploaded media files live; keys are relative paths such as `originals/<sha256>.jpg`. */
export interface MediaStorage {
  /** Writes atomically: the object is visible whole or not at all. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /**
   * Writes a stream of `sizeBytes` bytes, atomically like `put`, never holding it whole (an upload of
   * hundreds of megabytes). A stream that fails, or ends at another length, stores nothing.
   */
  putStream(key: string, body: Readable, contentType: string, sizeBytes: number): Promise<void>;
  /** The object and the content type given to `put`; null when there is none. */
  get(key: string): Promise<{ data: Buffer; contentType: string } | null>;
  /** The object's size, and its bytes read only as far as asked (a video is served in parts, never held whole); null when there is none. */
  open(key: string): Promise<OpenedObject | null>;
  /** Removes the object; a missing one is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}
