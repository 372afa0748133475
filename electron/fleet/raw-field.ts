import type { LonLat } from './types.js';

/** A field as a format reader found it, before validation: a name and its rings. */
export interface RawField {
  name: string;
  rings: LonLat[][];
}

/** Thrown inside readers when the file itself cannot be understood; importFields turns it into a result. */
export class ReaderError extends Error {
  override readonly name = 'ReaderError';
  constructor(
    readonly problem: 'parse-error' | 'unsupported-geometry' | 'no-fields' | 'too-large',
    message: string,
  ) {
    super(message);
  }
}

/** Splits a possibly multi-part polygon into fields: one part keeps the name, more get "name (2)". */
export function partsToFields(name: string, parts: LonLat[][][]): RawField[] {
  return parts.map((rings, i) => ({
    name: parts.length > 1 && i > 0 ? `${name} (${i + 1})` : name,
    rings,
  }));
}
