/**
 * The text of an XML file as its author wrote it (XML 1.0 §4.3.3, Appendix F): a byte order
 * mark or the `encoding` of the XML declaration names the encoding; without either the text is
 * UTF-8, and bytes that are not UTF-8 are an error naming the problem — never silently replaced
 * (a Latin-1 KML read as UTF-8 turned "Große Wiese" into "Gro�e Wiese").
 */
import { ReaderError } from './raw-field.js';

/** Encodings TextDecoder reads, under the names XML declarations use for them. */
const KNOWN = /^(utf-8|utf8|iso-8859-\d{1,2}|latin1|windows-125\d|cp125\d|us-ascii|ascii)$/i;

export function decodeXmlText(bytes: Uint8Array, what: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return decode(bytes.subarray(3), 'utf-8', what);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return decode(bytes, bytes[0] === 0xff ? 'utf-16le' : 'utf-16be', what);
  // The declaration is ASCII in every encoding a field file uses.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
  if (declared === undefined) return decode(bytes, 'utf-8', what);
  if (!KNOWN.test(declared))
    throw new ReaderError(
      'parse-error',
      `${what} declares the encoding ${declared}, which is not read`,
    );
  const label = /^(us-)?ascii$/i.test(declared) ? 'utf-8' : declared.toLowerCase();
  return decode(bytes, label, what);
}

function decode(bytes: Uint8Array, label: string, what: string): string {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    throw new ReaderError(
      'parse-error',
      `${what} is not valid ${label.toUpperCase()} text; if it is Latin-1, declare <?xml version="1.0" encoding="ISO-8859-1"?>`,
    );
  }
}
