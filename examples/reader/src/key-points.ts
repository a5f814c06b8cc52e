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
      while (start !== -1 && found.some((f) => f.textIndex === textIndex && start < f.end && start + point.length > f.start))
        start = text.indexOf(point, start + 1);
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

/** A list's items as one text, a line each: how the API checks that a key point is copied from the body. */
export const listText = (items: string[]) => items.join('\n');

/**
 * The runs of a list's text (`listText(items)`) cut back into its items, by position: an item may
 * hold a line break itself, and a key passage may run across two items.
 */
export function runsPerItem(runs: Run[], items: string[]): Run[][] {
  let next = 0;
  // Where each item lies in the list's text; the line break after it belongs to none.
  const spans = items.map((item) => {
    const span = { start: next, end: next + item.length };
    next = span.end + 1;
    return span;
  });
  const cut: Run[][] = items.map(() => []);
  let at = 0;
  for (const run of runs) {
    const end = at + run.text.length;
    for (const [index, span] of spans.entries()) {
      const from = Math.max(at, span.start);
      const to = Math.min(end, span.end);
      if (from < to) cut[index]!.push({ text: run.text.slice(from - at, to - at), keyPoint: run.keyPoint });
    }
    at = end;
  }
  return cut;
}
