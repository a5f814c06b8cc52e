/**
 * The length of a synthesised file, read from its own headers (no decoder): an MP3's frames, a WAV's
 * data chunk, an Ogg stream's last granule position. Null when the format is not one of these.
 */

const mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const sampleRates: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** Seconds of MPEG layer III audio, counting its frames; null when no frame is found. */
export function mp3DurationSeconds(data: Uint8Array): number | null {
  let at = 0;
  // An ID3v2 tag first: its size is four 7-bit bytes.
  if (data[0] === 0x49 && data[1] === 0x44 && data[2] === 0x33 && data.length > 10) {
    at = 10 + (((data[6]! & 0x7f) << 21) | ((data[7]! & 0x7f) << 14) | ((data[8]! & 0x7f) << 7) | (data[9]! & 0x7f));
  }
  let seconds = 0;
  let frames = 0;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff || (data[at + 1]! & 0xe0) !== 0xe0) {
      at++;
      continue;
    }
    const version = (data[at + 1]! >> 3) & 0x03;
    const layer = (data[at + 1]! >> 1) & 0x03;
    const bitrateIndex = data[at + 2]! >> 4;
    const rateIndex = (data[at + 2]! >> 2) & 0x03;
    const padding = (data[at + 2]! >> 1) & 0x01;
    const rate = sampleRates[version]?.[rateIndex];
    const kbps = (version === 3 ? mpeg1Bitrates : mpeg2Bitrates)[bitrateIndex];
    if (version === 1 || layer !== 1 || !rate || !kbps) {
      at++;
      continue;
    }
    const samples = version === 3 ? 1152 : 576;
    const length = Math.floor(((samples / 8) * kbps * 1000) / rate) + padding;
    seconds += samples / rate;
    frames++;
    at += length;
  }
  return frames ? seconds : null;
}

function wavDurationSeconds(data: Uint8Array): number | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const text = (at: number) => String.fromCharCode(...data.subarray(at, at + 4));
  if (data.length < 44 || text(0) !== 'RIFF' || text(8) !== 'WAVE') return null;
  let byteRate = 0;
  for (let at = 12; at + 8 <= data.length; ) {
    const size = view.getUint32(at + 4, true);
    if (text(at) === 'fmt ') byteRate = view.getUint32(at + 16, true);
    if (text(at) === 'data') return byteRate ? Math.min(size, data.length - at - 8) / byteRate : null;
    at += 8 + size + (size % 2);
  }
  return null;
}

function oggOpusDurationSeconds(data: Uint8Array): number | null {
  // The last page's granule position counts 48 kHz samples for Opus.
  for (let at = data.length - 27; at >= 0; at--) {
    if (data[at] === 0x4f && data[at + 1] === 0x67 && data[at + 2] === 0x67 && data[at + 3] === 0x53) {
      const view = new DataView(data.buffer, data.byteOffset + at + 6, 8);
      return Number(view.getBigUint64(0, true)) / 48_000;
    }
  }
  return null;
}

/** Seconds of audio in a file of the given type; null when it cannot be told. */
export function audioDurationSeconds(data: Uint8Array, mimeType: string): number | null {
  if (/mpeg|mp3/.test(mimeType)) return mp3DurationSeconds(data);
  if (/wav/.test(mimeType)) return wavDurationSeconds(data);
  if (/ogg|opus/.test(mimeType)) return oggOpusDurationSeconds(data);
  return mp3DurationSeconds(data);
}
