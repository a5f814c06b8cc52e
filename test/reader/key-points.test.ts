import { describe, expect, it } from 'vitest';
import { listText, markKeyPoints, runsPerItem, type Run } from '../../examples/reader/src/key-points.ts';

/** The marked passages of each text, in order. */
const marked = (runs: Run[][]) => runs.map((list) => list.filter((run) => run.keyPoint).map((run) => run.text));
const joined = (runs: Run[][]) => runs.map((list) => list.map((run) => run.text).join(''));

describe('markKeyPoints', () => {
  it('marks a key point once, where it first occurs in reading order', () => {
    const texts = ['Дума собралась утром.', 'Расходы на дороги вырастут на 12%.', 'Ещё раз: расходы на дороги вырастут на 12%.'];
    const runs = markKeyPoints(texts, ['расходы на дороги вырастут на 12%']);

    // The first text holding it is the third (the second has «Расходы» capitalised: matching is exact).
    expect(runs).toEqual([
      [{ text: 'Дума собралась утром.', keyPoint: false }],
      [{ text: 'Расходы на дороги вырастут на 12%.', keyPoint: false }],
      [
        { text: 'Ещё раз: ', keyPoint: false },
        { text: 'расходы на дороги вырастут на 12%', keyPoint: true },
        { text: '.', keyPoint: false },
      ],
    ]);
  });

  it('marks a passage repeated in the body only at its first occurrence', () => {
    const texts = ['Мост откроют в мае. Повторим: мост откроют в мае.', 'Мост откроют в мае.'];
    const runs = markKeyPoints(texts, ['откроют в мае']);

    expect(runs[0]).toEqual([
      { text: 'Мост ', keyPoint: false },
      { text: 'откроют в мае', keyPoint: true },
      { text: '. Повторим: мост откроют в мае.', keyPoint: false },
    ]);
    expect(runs[1]).toEqual([{ text: 'Мост откроют в мае.', keyPoint: false }]);
  });

  it('marks several key points in one text in text order, whatever their order in the list', () => {
    const text = 'Первое важное. Между ними. Второе важное. Конец.';
    const runs = markKeyPoints([text], ['Второе важное', 'Первое важное']);

    expect(runs).toEqual([
      [
        { text: 'Первое важное', keyPoint: true },
        { text: '. Между ними. ', keyPoint: false },
        { text: 'Второе важное', keyPoint: true },
        { text: '. Конец.', keyPoint: false },
      ],
    ]);
  });

  it('marks adjacent key points as two runs with nothing between them', () => {
    const runs = markKeyPoints(['abcdef'], ['abc', 'def']);
    expect(runs).toEqual([
      [
        { text: 'abc', keyPoint: true },
        { text: 'def', keyPoint: true },
      ],
    ]);
  });

  it('marks a key point inside a list item (each item is a text of its own)', () => {
    // article.ts passes a list block's items as separate texts, in order.
    const texts = ['Что изменится:', 'проезд подорожает на 5 рублей', 'появятся ночные маршруты', 'Итог.'];
    const runs = markKeyPoints(texts, ['ночные маршруты']);

    expect(runs[2]).toEqual([
      { text: 'появятся ', keyPoint: false },
      { text: 'ночные маршруты', keyPoint: true },
    ]);
    expect(marked(runs)).toEqual([[], [], ['ночные маршруты'], []]);
  });

  it('marks a text that is entirely a key point as one run', () => {
    expect(markKeyPoints(['Целиком важно.'], ['Целиком важно.'])).toEqual([[{ text: 'Целиком важно.', keyPoint: true }]]);
  });

  it('never marks overlapping passages: the one listed first wins, the other is looked for further on', () => {
    const texts = ['alpha beta gamma', 'beta gamma again'];
    const runs = markKeyPoints(texts, ['alpha beta', 'beta gamma']);

    // «beta gamma» overlaps «alpha beta» in the first text, so it is marked where it next occurs whole.
    expect(marked(runs)).toEqual([['alpha beta'], ['beta gamma']]);
    expect(joined(runs)).toEqual(texts);
  });

  it('leaves an overlapping passage unmarked when it occurs nowhere else', () => {
    const texts = ['alpha beta gamma'];
    const runs = markKeyPoints(texts, ['alpha beta', 'beta gamma']);

    expect(runs).toEqual([
      [
        { text: 'alpha beta', keyPoint: true },
        { text: ' gamma', keyPoint: false },
      ],
    ]);
  });

  it('does not mark a passage nested inside one already marked', () => {
    const runs = markKeyPoints(['the big red dog'], ['big red dog', 'red']);
    expect(runs).toEqual([
      [
        { text: 'the ', keyPoint: false },
        { text: 'big red dog', keyPoint: true },
      ],
    ]);
  });

  it('marks a point listed twice at its next occurrence, and never twice in the same place', () => {
    const runs = markKeyPoints(['да, да, да'], ['да', 'да']);
    expect(marked(runs)).toEqual([['да', 'да']]);
    expect(runs[0]).toEqual([
      { text: 'да', keyPoint: true },
      { text: ', ', keyPoint: false },
      { text: 'да', keyPoint: true },
      { text: ', да', keyPoint: false },
    ]);
  });

  it('leaves every text untouched when a key point is not found', () => {
    const texts = ['Первый абзац.', '', 'Второй абзац.'];
    const runs = markKeyPoints(texts, ['этого нет в тексте', 'абзац. Второй']);

    // A passage spanning two texts is not found either: marks never cross a block.
    expect(runs).toEqual(texts.map((text) => [{ text, keyPoint: false }]));
  });

  it('answers one run list per text, also with no key points and no texts', () => {
    expect(markKeyPoints([], ['что-то'])).toEqual([]);
    expect(markKeyPoints(['a', ''], [])).toEqual([[{ text: 'a', keyPoint: false }], [{ text: '', keyPoint: false }]]);
  });

  it('gives back each text exactly when its runs are joined, for many generated bodies', () => {
    // A small alphabet makes repeats, overlaps and nesting common; the generator is seeded so a
    // failure is reproducible.
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    const word = () => ['ab', 'ba', 'a', 'b', ' ', 'ё', '%'][random(7)]!;
    const phrase = (words: number) => Array.from({ length: words }, word).join('');

    for (let round = 0; round < 500; round++) {
      const texts = Array.from({ length: 1 + random(4) }, () => phrase(random(12)));
      // Key points are copied from the texts (as the API guarantees), plus one that may be anywhere.
      const keyPoints = Array.from({ length: random(4) }, () => {
        const text = texts[random(texts.length)]!;
        const start = random(text.length + 1);
        return text.slice(start, start + 1 + random(6));
      }).filter((point) => point.length > 0);
      keyPoints.push(phrase(1 + random(3)));

      const runs = markKeyPoints(texts, keyPoints);
      const context = JSON.stringify({ texts, keyPoints });

      expect(runs.length, context).toBe(texts.length);
      expect(joined(runs), context).toEqual(texts);
      for (const list of runs) {
        // Only listed passages are marked, and no run is empty (except the one run of an empty text).
        for (const run of list) if (run.keyPoint) expect(keyPoints, context).toContain(run.text);
        if (list.length > 1)
          expect(
            list.every((run) => run.text.length > 0),
            context,
          ).toBe(true);
      }
      // Each listed entry marks at most one passage.
      const marks = marked(runs).flat();
      for (const point of new Set(marks)) {
        expect(marks.filter((m) => m === point).length, context).toBeLessThanOrEqual(keyPoints.filter((k) => k === point).length);
      }
      // A point listed once and found in some text is marked, unless an earlier-listed mark covers it.
      const first = keyPoints[0];
      if (first && texts.some((text) => text.includes(first))) expect(marks, context).toContain(first);
    }
  });
});

describe('runsPerItem', () => {
  /** A list's items marked as article.ts marks them: one text, then cut back into items. */
  const markList = (items: string[], keyPoints: string[]) => runsPerItem(markKeyPoints([listText(items)], keyPoints)[0]!, items);

  it('keeps a line break inside an item in that item', () => {
    expect(markList(['a\nb', 'c'], [])).toEqual([[{ text: 'a\nb', keyPoint: false }], [{ text: 'c', keyPoint: false }]]);
  });

  it('marks a key passage inside an item that holds a line break', () => {
    expect(markList(['первая\nстрока', 'вторая'], ['я\nстр'])).toEqual([
      [
        { text: 'перва', keyPoint: false },
        { text: 'я\nстр', keyPoint: true },
        { text: 'ока', keyPoint: false },
      ],
      [{ text: 'вторая', keyPoint: false }],
    ]);
  });

  it('cuts a key passage running across two items into a marked run in each', () => {
    expect(markList(['один два', 'три четыре'], ['два\nтри'])).toEqual([
      [
        { text: 'один ', keyPoint: false },
        { text: 'два', keyPoint: true },
      ],
      [
        { text: 'три', keyPoint: true },
        { text: ' четыре', keyPoint: false },
      ],
    ]);
  });

  it('gives empty items no runs, and every item back exactly, for many generated lists', () => {
    expect(markList(['', 'x', ''], [])).toEqual([[], [{ text: 'x', keyPoint: false }], []]);
    let seed = 11;
    const random = (below: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % below;
    };
    const phrase = () => Array.from({ length: random(6) }, () => ['a', 'b', '\n', ' '][random(4)]!).join('');
    for (let round = 0; round < 300; round++) {
      const items = Array.from({ length: 1 + random(4) }, phrase);
      const text = listText(items);
      const start = random(text.length + 1);
      const keyPoints = [text.slice(start, start + 1 + random(5))].filter(Boolean);
      const cut = markList(items, keyPoints);
      const context = JSON.stringify({ items, keyPoints });
      expect(
        cut.map((runs) => runs.map((run) => run.text).join('')),
        context,
      ).toEqual(items);
      for (const runs of cut)
        expect(
          runs.every((run) => run.text.length > 0),
          context,
        ).toBe(true);
    }
  });
});
