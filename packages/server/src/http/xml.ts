import { createRequire } from "node:module";
import type * as FastXmlParser from "fast-xml-parser";
import { errors } from "../errors/catalogue.js";

// Loaded at the first XML body, not at start-up: error bodies (the first answer many clients get)
// are written without it (`xmlErrorDocument`). Its CommonJS build is one bundled file: it loads in
// ~7 ms, its ESM build (a tree of modules) in ~40 ms.
let codec:
  | {
      builder: FastXmlParser.XMLBuilder;
      parser: FastXmlParser.XMLParser;
      validator: typeof FastXmlParser.XMLValidator;
    }
  | undefined;

function xmlCodec(): NonNullable<typeof codec> {
  if (codec) return codec;
  const { XMLBuilder, XMLParser, XMLValidator } = createRequire(import.meta.url)(
    "fast-xml-parser",
  ) as typeof FastXmlParser;
  codec = {
    validator: XMLValidator,
    builder: new XMLBuilder({
      ignoreAttributes: false,
      attributeNamePrefix: "@",
      suppressEmptyNode: false,
      processEntities: true,
    }),
    parser: new XMLParser({
      ignoreAttributes: true,
      parseTagValue: false,
      trimValues: true,
      isArray: (name) => name === "CorsRule" || name === "SignedIdentifier",
    }),
  };
  return codec;
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

/** `text` escaped for an element's content, as the XML builder escapes it. */
function escapeXmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * An Azure error document, `<Error><Code/><Message/>…</Error>`, with `fields` as its elements in
 * order. Plain text elements only, so it needs no XML library.
 */
export function xmlErrorDocument(fields: Iterable<readonly [string, string]>): string {
  let body = "";
  for (const [name, value] of fields) body += `<${name}>${escapeXmlText(value)}</${name}>`;
  return `${DECLARATION}<Error>${body}</Error>`;
}

/** An XML document with declaration; `tree` in fast-xml-parser's object form (`@attr` for attributes). */
export function xmlDocument(tree: Record<string, unknown>): string {
  return `${DECLARATION}${xmlCodec().builder.build(tree) as string}`;
}

/** Parses a request body as XML, or 400 InvalidXmlDocument. */
export function parseXml(body: Buffer): Record<string, unknown> {
  const text = body.toString("utf8").replace(/^\uFEFF/, "");
  const { parser, validator } = xmlCodec();
  if (text.trim() === "" || validator.validate(text) !== true) throw errors.invalidXmlDocument();
  return parser.parse(text) as Record<string, unknown>;
}
