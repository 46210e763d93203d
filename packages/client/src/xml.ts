import { XMLParser } from "fast-xml-parser";

/**
 * A parsed XML element: its name, attributes, child elements in document order, and its text (the
 * concatenation of its own text nodes, untrimmed). Built on fast-xml-parser.
 */
export class XmlElement {
  /** The element name. */
  readonly name: string;
  /** Attribute values by name. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Child elements, in document order. */
  readonly children: readonly XmlElement[];
  /** The element's own text content, entities decoded. */
  readonly text: string;

  /** Builds an element (the parser does this; tests may too). */
  constructor(name: string, attributes: Record<string, string>, children: XmlElement[], text: string) {
    this.name = name;
    this.attributes = attributes;
    this.children = children;
    this.text = text;
  }

  /** The first child with this name, if any. */
  child(name: string): XmlElement | undefined {
    return this.children.find((c) => c.name === name);
  }

  /** Every child with this name, in document order. */
  all(name: string): XmlElement[] {
    return this.children.filter((c) => c.name === name);
  }

  /** The text of the first child with this name, or `undefined` when there is no such child. */
  childText(name: string): string | undefined {
    return this.child(name)?.text;
  }
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  // Also decodes numeric character references (&#x41;); XML documents carry no HTML named entities.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * Parses an XML document and returns its root element.
 * @throws TypeError when the text holds no element.
 */
export function parseXml(text: string): XmlElement {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const nodes = parser.parse(source) as OrderedNode[];
  for (const node of nodes) {
    const element = toElement(node);
    if (element) return element;
  }
  throw new TypeError("The response body is not an XML document.");
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ":@" && key !== "#text");
  if (name === undefined) return undefined;
  const rawAttributes = (node[":@"] ?? {}) as Record<string, unknown>;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttributes)) attributes[key] = String(value);
  const children: XmlElement[] = [];
  let text = "";
  for (const child of (node[name] ?? []) as OrderedNode[]) {
    if ("#text" in child) {
      text += String(child["#text"]);
      continue;
    }
    const element = toElement(child);
    if (element) children.push(element);
  }
  return new XmlElement(name, attributes, children, children.length > 0 ? text.trim() : text);
}

/** Escapes text for use inside an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** A value for {@link xmlElement}: text, a number or boolean (written as text), or child elements. */
export type XmlContent = string | number | boolean | readonly string[] | undefined;

/**
 * Writes `<name>content</name>`. Arrays are concatenated pre-built child elements; `undefined`
 * content writes nothing at all (the element is omitted).
 */
export function xmlElement(name: string, content: XmlContent): string {
  if (content === undefined) return "";
  if (Array.isArray(content)) return `<${name}>${content.join("")}</${name}>`;
  return `<${name}>${escapeXml(String(content))}</${name}>`;
}

/** The XML declaration Azure expects at the start of request bodies. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
