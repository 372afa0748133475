/**
 * A zip of an untrusted field file (KMZ, zipped shapefile, ISOXML TASKDATA), read so that it can
 * never cost more than a field file should: its central directory is read first (PKWARE
 * APPNOTE 6.3.10 §4.3.12–16) and the archive is refused — before anything is inflated — when it
 * declares more than 64 MB unpacked, more than 1,000 entries, or an entry of over 1 MB that
 * unpacks to more than 100 times its packed size (a zip bomb: 1 MB holding 1 GB took 1.2–2.3 GB
 * and 25 s to refuse). An entry is then inflated with its declared size as the hard limit, so
 * an archive that lies about a size is refused too.
 */
import { inflateRawSync } from 'node:zlib';
import { ReaderError } from './raw-field.js';

export interface ZipLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
  /** Unpacked / packed size allowed for entries over `ratioFloorBytes`. */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

/** A field file is kilobytes to a few megabytes; a TASKDATA with time logs some tens. */
export const ZIP_LIMITS: ZipLimits = {
  maxEntries: 1_000,
  maxTotalBytes: 64 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly packedBytes: number;
  readonly bytes: number;
  readonly localHeaderOffset: number;
  readonly encrypted: boolean;
}

// APPNOTE §4.3: record signatures and fixed sizes.
const EOCD_SIGNATURE = 0x06054b50;
const EOCD_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_BYTES = 46;
const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_BYTES = 30;
const ZIP64_MARK = 0xffffffff;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const FLAG_ENCRYPTED = 0x1;
const FLAG_UTF8 = 0x800;

function damaged(detail: string): never {
  throw new ReaderError('parse-error', `damaged zip: ${detail}`);
}

function tooLarge(detail: string): never {
  throw new ReaderError('too-large', detail);
}

export class ZipArchive {
  readonly entries: readonly ZipEntry[];
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits = ZIP_LIMITS,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.entries = this.readDirectory();
    this.checkLimits();
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  find(test: (name: string) => boolean): ZipEntry | undefined {
    return this.entries.find((e) => !e.name.endsWith('/') && test(e.name));
  }

  /** An entry's content, inflated within its declared size. */
  read(entry: ZipEntry): Uint8Array {
    if (entry.encrypted) throw new ReaderError('parse-error', `${entry.name} is encrypted`);
    const at = entry.localHeaderOffset;
    if (at + LOCAL_BYTES > this.bytes.length || this.u32(at) !== LOCAL_SIGNATURE)
      damaged(`no local header for ${entry.name}`);
    const start = at + LOCAL_BYTES + this.u16(at + 26) + this.u16(at + 28);
    const end = start + entry.packedBytes;
    if (end > this.bytes.length) damaged(`${entry.name} runs past the end of the file`);
    const packed = this.bytes.subarray(start, end);
    if (entry.method === METHOD_STORED) {
      if (entry.packedBytes !== entry.bytes) damaged(`${entry.name}: stored sizes differ`);
      return packed.slice(); // a buffer of its own: readers may use .buffer from offset 0
    }
    if (entry.method !== METHOD_DEFLATED)
      throw new ReaderError(
        'parse-error',
        `${entry.name} uses compression method ${entry.method}; only stored and deflated entries are read`,
      );
    let out: Buffer;
    try {
      // One byte more than declared: an entry that inflates beyond its size is caught.
      out = inflateRawSync(packed, { maxOutputLength: entry.bytes + 1 });
    } catch (err) {
      if (err instanceof RangeError)
        tooLarge(`${entry.name} unpacks to more than the ${entry.bytes} bytes the zip declares`);
      damaged(`${entry.name}: ${(err as Error).message}`);
    }
    if (out.length !== entry.bytes)
      damaged(`${entry.name} unpacks to ${out.length} bytes, not the ${entry.bytes} declared`);
    return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength
      ? new Uint8Array(out.buffer)
      : new Uint8Array(out);
  }

  /** Inflates every entry once (within its size) without keeping it: proves the sizes true. */
  verifyAll(): void {
    for (const entry of this.entries) if (!entry.name.endsWith('/')) this.read(entry);
  }

  private readDirectory(): ZipEntry[] {
    const eocd = this.findEndRecord();
    const count = this.u16(eocd + 10);
    const size = this.u32(eocd + 12);
    const offset = this.u32(eocd + 16);
    if (count === 0xffff || size === ZIP64_MARK || offset === ZIP64_MARK)
      tooLarge('the zip is a ZIP64 archive; a field file is far smaller');
    if (count > this.limits.maxEntries)
      tooLarge(`the zip holds ${count} entries; at most ${this.limits.maxEntries} are read`);
    if (offset + size > this.bytes.length) damaged('central directory past the end of the file');
    const entries: ZipEntry[] = [];
    let at = offset;
    for (let i = 0; i < count; i++) {
      if (at + CENTRAL_BYTES > this.bytes.length || this.u32(at) !== CENTRAL_SIGNATURE)
        damaged(`central directory entry ${i + 1} is missing`);
      const flags = this.u16(at + 8);
      const nameBytes = this.u16(at + 28);
      const nameStart = at + CENTRAL_BYTES;
      if (nameStart + nameBytes > this.bytes.length) damaged('entry name past the end');
      const raw = this.bytes.subarray(nameStart, nameStart + nameBytes);
      const packedBytes = this.u32(at + 20);
      const bytes = this.u32(at + 24);
      if (packedBytes === ZIP64_MARK || bytes === ZIP64_MARK)
        tooLarge('an entry of the zip is a ZIP64 entry; a field file is far smaller');
      entries.push({
        name: new TextDecoder(flags & FLAG_UTF8 ? 'utf-8' : 'latin1').decode(raw),
        method: this.u16(at + 10),
        packedBytes,
        bytes,
        localHeaderOffset: this.u32(at + 42),
        encrypted: (flags & FLAG_ENCRYPTED) !== 0,
      });
      at = nameStart + nameBytes + this.u16(at + 30) + this.u16(at + 32);
    }
    return entries;
  }

  private findEndRecord(): number {
    const last = this.bytes.length - EOCD_BYTES;
    const first = Math.max(0, last - MAX_COMMENT_BYTES);
    for (let at = last; at >= first; at--) if (this.u32(at) === EOCD_SIGNATURE) return at;
    return damaged('no end of central directory record');
  }

  private checkLimits(): void {
    let total = 0;
    for (const e of this.entries) {
      total += e.bytes;
      if (e.bytes > this.limits.ratioFloorBytes && e.bytes > e.packedBytes * this.limits.maxRatio)
        tooLarge(
          `${e.name} would unpack ${Math.round(e.bytes / Math.max(1, e.packedBytes))} times its size (${mb(e.bytes)} MB): refused as a zip bomb`,
        );
    }
    if (total > this.limits.maxTotalBytes)
      tooLarge(
        `the zip would unpack to ${mb(total)} MB; a field file may hold at most ${mb(this.limits.maxTotalBytes)} MB`,
      );
  }

  private u16(at: number): number {
    return at + 2 <= this.bytes.length ? this.view.getUint16(at, true) : damaged('truncated');
  }

  private u32(at: number): number {
    return at + 4 <= this.bytes.length ? this.view.getUint32(at, true) : damaged('truncated');
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}
