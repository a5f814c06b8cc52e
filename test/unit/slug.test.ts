import { describe, it, expect } from 'vitest';
import { isValidSlug, slugify, slugPattern } from '../../src/shared/slug.ts';

describe('slugify', () => {
  it('transliterates a Russian headline', () => {
    expect(slugify('Путин и Си Цзиньпин выразили интерес к сотрудничеству')).toBe('putin-i-si-tszinpin-vyrazili-interes-k-sotrudnichestvu');
  });

  it('handles щ, ы, й, ё and ж', () => {
    expect(slugify('Щедрый ёжик')).toBe('shchedryy-ezhik');
  });

  it('drops quotes and dashes and keeps digits', () => {
    expect(slugify('«Берега Победы» — 9 Мая')).toBe('berega-pobedy-9-maya');
  });

  it('drops the hard and the soft sign', () => {
    expect(slugify('Подъезд и мальчик Игорь')).toBe('podezd-i-malchik-igor');
  });

  it('covers the whole Russian alphabet', () => {
    expect(slugify('АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ')).toBe('abvgdeezhziyklmnoprstufkhtschshshchyeyuya');
  });

  it('handles Ukrainian and Belarusian letters', () => {
    expect(slugify('Їжак, Євген, ґанок і Ўсход')).toBe('yizhak-yevgen-ganok-i-uskhod');
  });

  it('folds Latin diacritics and keeps mixed text', () => {
    expect(slugify('Café Müller: премьера в Zürich')).toBe('cafe-muller-premera-v-zurich');
    expect(slugify('Straße São Paulo')).toBe('strasse-sao-paulo');
  });

  it('lower-cases Latin and collapses runs of other characters into one hyphen', () => {
    expect(slugify('  Hello,   WORLD!!! 2024 -- ok?  ')).toBe('hello-world-2024-ok');
  });

  it('drops apostrophes inside words', () => {
    expect(slugify("Don't stop")).toBe('dont-stop');
  });

  it('returns an empty string when nothing is left', () => {
    expect(slugify('«» — !!! …')).toBe('');
    expect(slugify('')).toBe('');
    expect(slugify('🙂 ★')).toBe('');
  });

  it('truncates long titles at a hyphen boundary, at most 80 characters', () => {
    const title = 'В городском парке открыли новую велосипедную дорожку длиной двенадцать километров вдоль реки и набережной';
    const slug = slugify(title);
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toBe('v-gorodskom-parke-otkryli-novuyu-velosipednuyu-dorozhku-dlinoy-dvenadtsat');
    expect(slug.endsWith('-')).toBe(false);
    expect(isValidSlug(slug)).toBe(true);
  });

  it('keeps a cut exactly at 80 when the next character is a hyphen', () => {
    const word = 'a'.repeat(40);
    expect(slugify(`${word} ${'b'.repeat(39)} tail`)).toBe(`${word}-${'b'.repeat(39)}`);
  });

  it('cuts a single over-long word hard at 80 characters', () => {
    expect(slugify('x'.repeat(120))).toBe('x'.repeat(80));
  });

  it('always produces a valid slug or an empty string', () => {
    const samples = ['—Начало—', 'ъъъ ььь', 'Ёлка-2025', '1 2 3', 'ÀÉÎÕÜ', 'Ω and Σ', `${'x'.repeat(200)} y`];
    for (const s of samples) {
      const slug = slugify(s);
      expect(slug === '' || isValidSlug(slug)).toBe(true);
    }
  });
});

describe('isValidSlug', () => {
  it('accepts well-formed slugs', () => {
    expect(isValidSlug('a')).toBe(true);
    expect(isValidSlug('berega-pobedy-9-maya')).toBe(true);
    expect(isValidSlug('x'.repeat(80))).toBe(true);
  });

  it('rejects malformed slugs', () => {
    for (const s of ['', '-a', 'a-', 'a--b', 'A', 'a_b', 'a b', 'ёж', 'x'.repeat(81)]) {
      expect(isValidSlug(s)).toBe(false);
    }
  });

  it('exports the pattern', () => {
    expect(slugPattern.test('abc-123')).toBe(true);
    expect(slugPattern.test('abc--123')).toBe(false);
  });
});
