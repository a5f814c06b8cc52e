import { describe, expect, it } from 'vitest';
import { ArticleBlock } from '../../src/shared/article-blocks.schemas.ts';
import { convertHtml, htmlToBlocks } from '../../src/shared/html-blocks.ts';
import type { IncomingBlock } from '../../src/shared/incoming-article.ts';

// Every text block the converter makes must be storable as is.
function expectStorable(blocks: IncomingBlock[]) {
  for (const block of blocks) {
    if (block.type === 'image') continue;
    expect(ArticleBlock.safeParse(block).success, JSON.stringify(block).slice(0, 200)).toBe(true);
  }
}

describe('HTML to article blocks', () => {
  it('when a Gutenberg post is converted, then each block comment becomes its block', () => {
    const html = `<!-- wp:paragraph -->
<p>Мэрия <strong>Твери</strong> объявила &laquo;час тишины&raquo;&nbsp;в парках.</p>
<!-- /wp:paragraph -->

<!-- wp:heading {"level":3} -->
<h3 class="wp-block-heading">Что&nbsp;изменится</h3>
<!-- /wp:heading -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><!-- wp:paragraph --><p>Парки должны отдыхать.</p><!-- /wp:paragraph --><!-- wp:paragraph --><p>И горожане тоже.</p><!-- /wp:paragraph --><cite>— Анна Смирнова, глава управления</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:list {"ordered":true} -->
<ol class="wp-block-list"><!-- wp:list-item --><li>Тишина с 13 до 14</li><!-- /wp:list-item --><!-- wp:list-item --><li>Без <em>музыки</em></li><!-- /wp:list-item --></ol>
<!-- /wp:list -->

<!-- wp:image {"id":41,"sizeSlug":"large"} -->
<figure class="wp-block-image size-large"><img src="/wp-content/uploads/2024/05/park.jpg" alt="Аллея парка" class="wp-image-41"/><figcaption class="wp-element-caption">Центральная аллея</figcaption></figure>
<!-- /wp:image -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=abc
</div></figure>
<!-- /wp:embed -->`;
    const { blocks, warnings } = convertHtml(html, { baseUrl: 'https://old.example.ru/' });
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'Мэрия Твери объявила «час тишины»\u00a0в парках.' },
      { type: 'heading', level: 3, text: 'Что\u00a0изменится' },
      { type: 'quote', text: 'Парки должны отдыхать.\nИ горожане тоже.', attribution: 'Анна Смирнова, глава управления' },
      { type: 'list', style: 'numbered', items: ['Тишина с 13 до 14', 'Без музыки'] },
      {
        type: 'image',
        photo: { url: 'https://old.example.ru/wp-content/uploads/2024/05/park.jpg', caption: 'Центральная аллея', altText: 'Аллея парка' },
        caption: 'Центральная аллея',
      },
      { type: 'embed', url: 'https://www.youtube.com/watch?v=abc', provider: 'YouTube' },
    ]);
    expect(warnings).toEqual([]);
    expectStorable(blocks);
  });

  it('when classic HTML has no <p>, then blank lines and double <br> separate paragraphs (autop)', () => {
    const html = `Первая строка
продолжается здесь.

Второй абзац со <a href="/x">ссылкой</a> и&nbsp;неразрывным пробелом.
Строка<br />
следующая<br><br>Третий абзац.`;
    expect(htmlToBlocks(html)).toEqual([
      { type: 'paragraph', text: 'Первая строка продолжается здесь.' },
      { type: 'paragraph', text: 'Второй абзац со ссылкой и\u00a0неразрывным пробелом. Строка\nследующая' },
      { type: 'paragraph', text: 'Третий абзац.' },
    ]);
  });

  it('when headings are h1 to h6, then h1 and h2 become level 2 and h3 to h6 level 3', () => {
    const blocks = htmlToBlocks('<h1>Один</h1><h2>Два</h2><h3>Три</h3><h4>Четыре</h4><h6>Шесть</h6>');
    expect(blocks.map((b) => (b.type === 'heading' ? b.level : null))).toEqual([2, 2, 3, 3, 3]);
  });

  it('when blocks are empty or not text, then they are dropped', () => {
    const html =
      '<p>&nbsp;</p><p> </p><h2></h2><ul><li> </li></ul><blockquote></blockquote><script>var x = 1;</script><style>p{}</style><p>Есть текст</p>';
    expect(htmlToBlocks(html)).toEqual([{ type: 'paragraph', text: 'Есть текст' }]);
  });

  it('when a classic post has a [caption] shortcode and a linked thumbnail, then the full-size image gets the caption', () => {
    const html =
      '[caption id="attachment_7" align="alignnone" width="300"]<a href="https://old.example.ru/uploads/bridge.jpg"><img class="size-medium" src="https://old.example.ru/uploads/bridge-300x200.jpg" alt="Мост" width="300" height="200" /></a> Мост после ремонта[/caption]\n\nТекст после.[gallery ids="1,2,3"]';
    const { blocks, warnings } = convertHtml(html);
    expect(blocks).toEqual([
      {
        type: 'image',
        photo: { url: 'https://old.example.ru/uploads/bridge.jpg', caption: 'Мост после ремонта', altText: 'Мост' },
        caption: 'Мост после ремонта',
      },
      { type: 'paragraph', text: 'Текст после.' },
    ]);
    expect(warnings).toEqual(['A [gallery] shortcode was left out.']);
  });

  it('when an image sits inside a paragraph, then the paragraph is split around it', () => {
    expect(htmlToBlocks('<p>До <img src="https://cdn.example.ru/a.png"> после</p>')).toEqual([
      { type: 'paragraph', text: 'До' },
      { type: 'image', photo: { url: 'https://cdn.example.ru/a.png', caption: null, altText: null } },
      { type: 'paragraph', text: 'после' },
    ]);
  });

  it('when a post has video, audio or a plugin shortcode alone in a paragraph, then they are left out with a warning', () => {
    const html =
      '<p>Текст.</p><figure class="wp-block-video"><video controls src="https://cdn.example.ru/v.mp4">нет видео</video></figure>\n\n[contact-form-7 id="5" title="Форма"]\n\n<p>[1] Сноска остаётся.</p>';
    const { blocks, warnings } = convertHtml(html);
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'Текст.' },
      { type: 'paragraph', text: '[1] Сноска остаётся.' },
    ]);
    expect(warnings).toEqual([
      'A <video> was left out: only images and embeds are kept.',
      'A shortcode was left out: [contact-form-7 id="5" title="Форма"]',
    ]);
  });

  it('when an image has no web address, then it is left out with a warning', () => {
    const { blocks, warnings } = convertHtml('<p>Текст</p><img src="data:image/png;base64,AAAA"><img src="/relative.jpg">');
    expect(blocks).toEqual([{ type: 'paragraph', text: 'Текст' }]);
    expect(warnings).toHaveLength(1);
  });

  it('when lists nest, then their items are flattened in reading order and images in them follow the list', () => {
    const html =
      '<ul><li>Один<ul><li>Один-а</li><li>Один-б</li></ul></li><li>Два <img src="https://cdn.example.ru/b.jpg" alt="Б"></li></ul>';
    expect(htmlToBlocks(html)).toEqual([
      { type: 'list', style: 'bulleted', items: ['Один', 'Один-а', 'Один-б', 'Два'] },
      { type: 'image', photo: { url: 'https://cdn.example.ru/b.jpg', caption: null, altText: 'Б' } },
    ]);
  });

  it('when a classic quote has its author in <cite>, then it is the attribution; a <cite> outside quotes is text', () => {
    expect(
      htmlToBlocks('<blockquote>Цитата без абзацев. <cite>Автор</cite></blockquote><p>Книга <cite>Война и мир</cite> вышла.</p>'),
    ).toEqual([
      { type: 'quote', text: 'Цитата без абзацев.', attribution: 'Автор' },
      { type: 'paragraph', text: 'Книга Война и мир вышла.' },
    ]);
  });

  it('when a quote names its author in a <footer> (as our own ninjs and RSS bodies do), then it is the attribution', () => {
    expect(htmlToBlocks('<blockquote><p>Мост откроют к осени.</p><footer>Мэр города</footer></blockquote><footer>Подвал</footer>')).toEqual(
      [
        { type: 'quote', text: 'Мост откроют к осени.', attribution: 'Мэр города' },
        { type: 'paragraph', text: 'Подвал' },
      ],
    );
  });

  it('when texts exceed the schema limits, then paragraphs are split and the rest shortened', () => {
    const sentence = 'Городской совет обсудил новый бюджет на следующий год. ';
    const long = sentence.repeat(800); // ~44,800 characters
    const items = Array.from({ length: 130 }, (_, i) => `<li>Пункт ${i + 1}</li>`).join('');
    const html = `<p>${long}</p><h2>${'Очень длинный заголовок '.repeat(30)}</h2><ul>${items}<li>${'длинно '.repeat(400)}</li></ul>`;
    const { blocks, warnings } = convertHtml(html);
    const paragraphs = blocks.filter((b) => b.type === 'paragraph');
    expect(paragraphs.length).toBe(3);
    expect(paragraphs.map((p) => (p.type === 'paragraph' ? p.text : '')).join(' ')).toBe(long.trim());
    const heading = blocks.find((b) => b.type === 'heading');
    expect(heading?.type === 'heading' && heading.text.length).toBeLessThanOrEqual(300);
    const lists = blocks.filter((b) => b.type === 'list');
    expect(lists.map((l) => (l.type === 'list' ? l.items.length : 0))).toEqual([100, 31]);
    expect(warnings.length).toBeGreaterThan(0);
    expectStorable(blocks);
  });

  it('when a table or preformatted text is met, then rows become paragraphs and lines are kept', () => {
    expect(
      htmlToBlocks('<table><tr><th>Город</th><th>°C</th></tr><tr><td>Тверь</td><td>+12</td></tr></table><pre>строка 1\n  строка 2</pre>'),
    ).toEqual([
      { type: 'paragraph', text: 'Город | °C' },
      { type: 'paragraph', text: 'Тверь | +12' },
      { type: 'paragraph', text: 'строка 1\n  строка 2' },
    ]);
  });

  it('when an iframe embeds a video, then it becomes an embed block', () => {
    expect(htmlToBlocks('<p>Видео:</p><iframe src="https://rutube.ru/play/embed/1">fallback</iframe>')).toEqual([
      { type: 'paragraph', text: 'Видео:' },
      { type: 'embed', url: 'https://rutube.ru/play/embed/1' },
    ]);
  });
});
