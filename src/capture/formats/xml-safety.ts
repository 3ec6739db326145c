import { XMLParser, type X2jOptions } from 'fast-xml-parser';
import { AppError } from '../../errors.js';

/** Decodes an XML part honouring a UTF-16 byte-order mark; everything else is read as UTF-8. */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Refuses any XML that declares a DOCTYPE or an ENTITY: OOXML and feeds never need one, and it is
 * how external-entity (XXE) and entity-expansion ("billion laughs") attacks arrive.
 */
export function assertNoDtd(xml: string, partName: string): void {
  const m = /<!\s*(DOCTYPE|ENTITY)/i.exec(xml);
  if (m) {
    throw new AppError(
      'parse_failed',
      `XML part ${partName} declares a ${m[1]?.toUpperCase() ?? 'DOCTYPE'}; refused as a possible XXE or entity-expansion attack`,
      { part: partName, reason: 'xml_dtd' },
    );
  }
}

/**
 * A fast-xml-parser with entity processing off; text is decoded by `decodeEntities` where needed.
 * `layout` adjusts how the tree is shaped (trimming, CDATA, stop nodes), never the entity settings.
 */
export function safeXmlParser(preserveOrder: boolean, layout: Pick<X2jOptions, 'trimValues' | 'cdataPropName' | 'stopNodes'> = {}): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: '#cdata',
    preserveOrder,
    ...layout,
    processEntities: false,
    htmlEntities: false,
  });
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the five predefined XML entities and numeric character references, nothing else. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi, (all, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return NAMED[ref.toLowerCase()] ?? all;
  });
}

/**
 * Parses one XML part safely: DTD refused, entities off, then returns the fast-xml-parser tree
 * (attributes prefixed `@_`, CDATA under `#cdata`, text under `#text`).
 */
export function parseXmlPart(bytes: Uint8Array, partName: string, preserveOrder = false): unknown {
  const xml = decodeXml(bytes);
  assertNoDtd(xml, partName);
  try {
    return safeXmlParser(preserveOrder).parse(xml);
  } catch (err) {
    throw new AppError('parse_failed', `XML part ${partName} is not well-formed: ${String(err)}`, { part: partName });
  }
}
