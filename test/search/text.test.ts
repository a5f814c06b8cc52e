import { describe, expect, it } from 'vitest';
import { buildSnippet, escapeHtml } from '../../src/modules/search/search.snippet.ts';
import { queryTerms, termOf, termsMatch, wordsOf } from '../../src/modules/search/search.text.ts';

const terms = (q: string) => queryTerms(q, 8);

describe('search text: words and terms', () => {
  it('when words are folded, then case, ё and Latin accents do not matter, й stays', () => {
    expect(wordsOf('Ёлка, ЁЖ и Café-Noir йод').map((w) => w.folded)).toEqual(['елка', 'еж', 'и', 'cafe', 'noir', 'йод']);
    expect(termOf('елка')).toBe(termOf('ёлка'.replace('ё', 'е')));
  });

  it('when a query holds operators and punctuation, then only its words are terms; function words are dropped', () => {
    expect(terms('"переговоры" AND (Пекин*) -NEAR: ^2')).toEqual([termOf('переговоры'), termOf('пекин'), termOf('near'), '2']);
    expect(terms('и в на the of')).toEqual([]);
    expect(terms('COVID-19')).toEqual(['covid', '19']);
  });

  it('when two stems are compared, then one must start the other, differ by two letters at most and keep three letters', () => {
    expect(termsMatch('кит', 'кита')).toBe(true);
    expect(termsMatch('иван', 'иванов')).toBe(true);
    expect(termsMatch('кит', 'китайск')).toBe(false);
    expect(termsMatch('ки', 'кит')).toBe(false);
    expect(termsMatch('19', '190')).toBe(false);
    expect(termsMatch('2026', '2026')).toBe(true);
  });
});

describe('search text: snippets', () => {
  it('when text holds HTML, then every special character is escaped', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
    expect(buildSnippet(['<b>Переговоры</b> & "итоги"'], terms('переговорах'))).toBe(
      '&lt;b&gt;<mark>Переговоры</mark>&lt;/b&gt; &amp; &quot;итоги&quot;',
    );
  });

  it('when passages are given, then the one with the most query words is used and each of their forms is marked', () => {
    const passages = ['Лид без нужных слов.', 'Делегация Китая приехала.', 'Переговоры с Китаем прошли в Пекине.'];
    expect(buildSnippet(passages, terms('китай переговоры'))).toBe('<mark>Переговоры</mark> с <mark>Китаем</mark> прошли в Пекине.');
  });

  it('when no passage holds a query word, then the snippet is the start of the first passage with nothing marked', () => {
    expect(buildSnippet(['', 'Первый абзац текста.', 'Второй.'], terms('заголовок'))).toBe('Первый абзац текста.');
    expect(buildSnippet([], terms('заголовок'))).toBe('');
  });

  it('when the passage is long, then a window of whole words around the hits is shown, with ellipses where it is cut', () => {
    const before = 'Слово '.repeat(60);
    const after = ' конец'.repeat(60);
    const snippet = buildSnippet([`${before}где-то здесь спрятан ключевой термин${after}`], terms('термины'));
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('ключевой <mark>термин</mark>');
    expect(snippet.length).toBeLessThanOrEqual(220);
    // Cut between words, never inside one.
    expect(snippet).toMatch(/^…Слово /u);
    expect(snippet).toMatch(/ конец…$/u);
  });
});
