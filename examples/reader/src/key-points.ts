/** A run of a text block: either plain, or one of the article's key passages. */
export interface Run {
  text: string;
  keyPoint: boolean;
}

/**
 * Splits each text of the body into runs so that every key point is marked once, where it first
 * occurs (the API guarantees each is copied verbatim from the body). `texts` are the body's text
 * blocks in reading order; the answer has one list of runs per text.
 */
export function markKeyPoints(texts: string[], keyPoints: string[]): Run[][] {
  const found: { textIndex: number; start: number; end: number }[] = [];
  for (const point of keyPoints) {
    for (const [textIndex, text] of texts.entries()) {
      let start = text.indexOf(point);
      // Passages never overlap: a point already marked inside another is looked for further on.
      while (start !== -1 && found.some((f) => f.textIndex === textIndex && start < f.end && start + point.length > f.start)) start = text.indexOf(point, start + 1);
      if (start === -1) continue;
      found.push({ textIndex, start, end: start + point.length });
      break;
    }
  }
  return texts.map((text, textIndex) => {
    const marks = found.filter((f) => f.textIndex === textIndex).sort((a, b) => a.start - b.start);
    const runs: Run[] = [];
    let at = 0;
    for (const mark of marks) {
      if (mark.start > at) runs.push({ text: text.slice(at, mark.start), keyPoint: false });
      runs.push({ text: text.slice(mark.start, mark.end), keyPoint: true });
      at = mark.end;
    }
    if (at < text.length || runs.length === 0) runs.push({ text: text.slice(at), keyPoint: false });
    return runs;
  });
}
