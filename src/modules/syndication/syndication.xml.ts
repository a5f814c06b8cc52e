/** Characters XML 1.0 does not allow at all (control characters, lone surrogates): dropped, as no escape exists for them. */
const notXmlChar =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it exists to find
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or an attribute value made safe for XML (and for HTML, which shares these five escapes). */
export function escapeXml(value: string): string {
  return value.replace(notXmlChar, '').replace(/[&<>"']/g, (c) => entities[c]!);
}

type Attributes = Record<string, string | number | undefined>;

function attributesOf(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

/** An element holding escaped text; nothing at all when the text is absent. */
export function textElement(name: string, text: string | null | undefined, attributes: Attributes = {}): string {
  return text === null || text === undefined ? '' : `<${name}${attributesOf(attributes)}>${escapeXml(text)}</${name}>`;
}

/** An element holding already serialised children (empty strings are skipped). */
export function element(name: string, attributes: Attributes, children: readonly string[]): string {
  const inner = children.filter(Boolean);
  return inner.length ? `<${name}${attributesOf(attributes)}>\n${inner.join('\n')}\n</${name}>` : `<${name}${attributesOf(attributes)}/>`;
}

export function emptyElement(name: string, attributes: Attributes): string {
  return `<${name}${attributesOf(attributes)}/>`;
}

/** A whole document: the declaration, then the root element. */
export function xmlDocument(root: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

/** RFC 822 (as RSS 2.0 wants it), e.g. `Fri, 20 Nov 2026 09:00:00 GMT`. */
export const rfc822 = (iso: string) => new Date(iso).toUTCString();
