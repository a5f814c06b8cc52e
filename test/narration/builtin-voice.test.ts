import { describe, expect, it } from 'vitest';
import { mp3DurationSeconds } from '../../src/modules/narration/narration.audio.ts';
import { createBuiltinProvider } from '../../src/modules/narration/narration.providers.ts';
import { normaliseRussian } from '../../src/modules/narration/russian-normaliser.ts';

const passages = [
  'Городская дума утвердила бюджет на следующий год.',
  'Расходы на ремонт дорог вырастут на 12%, на школы — на 7%.',
  'Заседание прошло 23 ноября 2026 г. в здании на ул. Ленина.',
].map((p) => normaliseRussian(p));

describe('the builtin voice (eSpeak-NG in a child process, lamejs)', () => {
  it('reads Russian offline into an MP3 of plausible length, without holding the event loop', async () => {
    const voice = createBuiltinProvider({ voice: 'ru', wordsPerMinute: 165 });
    // The voice's first start (its data loaded) is not what this measures.
    await voice.synthesize({ passages: ['Проверка голоса.'], language: 'ru' });
    let longestGapMs = 0;
    let last = performance.now();
    const startedAt = last;
    const ticker = setInterval(() => {
      const at = performance.now();
      longestGapMs = Math.max(longestGapMs, at - last);
      last = at;
    }, 5);
    try {
      const result = await voice.synthesize({ passages, language: 'ru' });
      const synthesisMs = performance.now() - startedAt;
      expect(result.mimeType).toBe('audio/mpeg');
      const decoded = mp3DurationSeconds(result.audio);
      // About forty words at 165 a minute, with pauses between passages.
      expect(decoded).toBeGreaterThan(8);
      expect(decoded).toBeLessThan(40);
      expect(result.durationSeconds).toBeCloseTo(decoded!, 0);
      // 48 kbit/s: 6 KB a second.
      expect(result.audio.length / decoded!).toBeGreaterThan(5_000);
      expect(result.audio.length / decoded!).toBeLessThan(7_000);
      // Synthesis runs in another process: the event loop never waits for a large part of it (generous for a loaded machine).
      expect(longestGapMs).toBeLessThan(Math.max(250, synthesisMs / 3));

      // The process is kept: a second narration needs no new start.
      const second = await voice.synthesize({ passages: [passages[0]!], language: 'ru' });
      expect(mp3DurationSeconds(second.audio)).toBeGreaterThan(1);
    } finally {
      clearInterval(ticker);
      await voice.close();
    }
  }, 60_000);
});
