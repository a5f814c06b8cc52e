// Writes the demo narrations (src/demo/assets/narration-*.mp3) from the demo articles' own text.
// Run once, by hand, after changing that text: `npx tsx scripts/make-demo-narration.ts`.
// Needs Debian's espeak-ng (Russian voice) and lame: `apt-get install -y espeak-ng lame`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoArticles, demoMedia, type DemoArticle } from '../src/demo/demo-content.ts';

const assets = fileURLToPath(new URL('../src/demo/assets/', import.meta.url));
// About 75 seconds of speech: at 32 kbit/s the file stays under 300 KB.
const maxChars = 1100;

/** What a listener hears: the title, the lead, then the body in order, as long as it fits. */
function narrationText(article: DemoArticle): string {
  const parts = [article.title, article.lead];
  for (const block of article.body) {
    const text =
      block.type === 'paragraph' || block.type === 'heading'
        ? block.text
        : block.type === 'quote'
          ? `${block.text} ${block.attribution ? `— ${block.attribution}.` : ''}`
          : block.type === 'list'
            ? block.items.join('. ')
            : '';
    if (!text) continue;
    if ([...parts, text].join(' ').length > maxChars) break;
    parts.push(text);
  }
  return parts.map((p) => (/[.!?…]$/.test(p.trim()) ? p.trim() : `${p.trim()}.`)).join('\n');
}

const work = mkdtempSync(join(tmpdir(), 'demo-narration-'));
try {
  for (const article of demoArticles.filter((a) => a.narrationMediaKey)) {
    const media = demoMedia.find((m) => m.key === article.narrationMediaKey);
    if (!media?.file) throw new Error(`no file declared for ${article.narrationMediaKey}`);
    const wav = join(work, 'speech.wav');
    execFileSync('espeak-ng', ['-v', 'ru', '-s', '165', '-w', wav], { input: narrationText(article) });
    // Mono, 32 kbit/s CBR (MPEG-2 layer III at espeak's 22 kHz); no ID3 tags, so the bytes depend on the text only.
    const out = join(assets, media.file);
    execFileSync('lame', ['--quiet', '-m', 'm', '-b', '32', wav, out]);
    const pcm = readFileSync(wav);
    const seconds = pcm.readUInt32LE(40) / pcm.readUInt32LE(28);
    console.log(`${media.file}: ${statSync(out).size} bytes, ${seconds.toFixed(1)} s`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
