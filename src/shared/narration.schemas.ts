import { IsoDateTime } from './common.schemas.ts';
import { z } from './zod.ts';

// Shared: the articles module shows an article's narration state, the narration module makes it.

export const narrationStates = ['none', 'queued', 'processing', 'ready', 'failed', 'stale'] as const;
export type NarrationState = (typeof narrationStates)[number];

export const NarrationModeSchema = z.enum(['auto', 'off']).nullable().openapi({
  description:
    '`auto`: narrated on publish and whenever the text read aloud changes; `off`: only on request; null: as the rubric says, else NARRATION_DEFAULT.',
  example: 'auto',
});

export const NarrationStatusSchema = z
  .object({
    state: z.enum(narrationStates).openapi({
      description:
        '`stale`: the text changed since the audio was made; the old audio keeps playing until the new one is `ready`. `none`: never narrated.',
    }),
    provider: z
      .string()
      .nullable()
      .openapi({ description: 'The voice service that made the audio: `builtin` or `http`.', example: 'builtin' }),
    voice: z.string().nullable().openapi({ example: 'espeak-ng:ru' }),
    textHash: z.string().nullable().openapi({ description: 'SHA-256 of the text the audio reads.' }),
    durationSeconds: z.number().nullable().openapi({ example: 94.2 }),
    error: z.string().nullable().openapi({ description: 'Why the last attempt failed.' }),
    updatedAt: IsoDateTime.nullable(),
  })
  .openapi('NarrationStatus', { description: 'The generated narration of the article and its job.' });

export type NarrationStatus = z.infer<typeof NarrationStatusSchema>;

/** The stored row of an article's narration, as much as its status shows. */
export interface NarrationStatusRow {
  state: string;
  provider: string | null;
  voice: string | null;
  textHash: string | null;
  durationSeconds: number | null;
  error: string | null;
  updatedAt: Date;
}

export function toNarrationStatus(row: NarrationStatusRow | null | undefined): NarrationStatus {
  if (!row) return { state: 'none', provider: null, voice: null, textHash: null, durationSeconds: null, error: null, updatedAt: null };
  return {
    state: (narrationStates as readonly string[]).includes(row.state) ? (row.state as NarrationState) : 'none',
    provider: row.provider,
    voice: row.voice,
    textHash: row.textHash,
    durationSeconds: row.durationSeconds,
    error: row.error,
    updatedAt: row.updatedAt.toISOString(),
  };
}
