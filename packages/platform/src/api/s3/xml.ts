import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from './s3-errors.js';

/** The namespace of every S3 response document but `<Error>`. */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An element: its name and text, or its children in order. Undefined values are left out. */
export type XmlElement = readonly [name: string, value: XmlValue];
type XmlValue = string | number | boolean | Date | readonly XmlElement[] | undefined;

/**
 * Renders an S3 response document the way S3 writes it: an XML declaration, then the root
 * element (in S3's namespace unless `namespace` is false), no whitespace between elements,
 * timestamps in ISO 8601 with milliseconds.
 */
export function xmlDocument(
  root: string,
  content: readonly XmlElement[] | string,
  namespace = true,
): string {
  const open = namespace ? `<${root} xmlns="${S3_NAMESPACE}">` : `<${root}>`;
  const inner = typeof content === 'string' ? escapeXml(content) : renderChildren(content);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${open}${inner}</${root}>`;
}

function renderChildren(children: readonly XmlElement[]): string {
  let out = '';
  for (const [name, value] of children) {
    if (value === undefined) continue;
    out += `<${name}>${renderValue(value)}</${name}>`;
  }
  return out;
}

function renderValue(value: Exclude<XmlValue, undefined>): string {
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return renderChildren(value);
}

/**
 * Escapes text for element content. Control characters become character references, as S3
 * writes them (a literal CR would be turned into LF by any XML parser).
 */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  return text.replace(/[&<>"'\u0000-\u0008\u000b-\u001f\u007f\r]/g, (char) => {
    switch (char) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        return `&#${char.charCodeAt(0)};`;
    }
  });
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  // Keys are data: "0001" stays a string, and leading or trailing spaces are kept.
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  // Also decodes numeric character references (&#13;), which S3 clients use for control characters.
  htmlEntities: true,
  isArray: (name) => name === 'Object' || name === 'Part',
});

/** Parses a request document whose root must be `root`; `MalformedXML` otherwise. */
export function parseXmlBody(text: string, root: string): Record<string, unknown> {
  if (text.trim() === '' || XMLValidator.validate(text) !== true) throw malformed();
  const parsed = parser.parse(text) as Record<string, unknown>;
  const element = parsed[root];
  if (typeof element !== 'object' || element === null) {
    // An empty element (<Delete/>) parses to ''.
    if (element === '') return {};
    throw malformed();
  }
  return element as Record<string, unknown>;
}

/** The text of a child element, or undefined when absent. */
export function childText(element: Record<string, unknown>, name: string): string | undefined {
  const value = element[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).every((k) => k === '#text')
  ) {
    const text = (value as Record<string, unknown>)['#text'];
    return typeof text === 'string' ? text : '';
  }
  throw malformed();
}

/** The repeated child elements `name` (each an object). */
export function childElements(
  element: Record<string, unknown>,
  name: string,
): Record<string, unknown>[] {
  const value = element[name];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw malformed();
  return value.map((item) =>
    typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {},
  );
}

function malformed(): S3Error {
  return new S3Error(
    'MalformedXML',
    'The XML you provided was not well-formed or did not validate against our published schema.',
  );
}
