/** Bounds-checked little-endian writer and reader for message bodies (hostile input never reads past the end). */
export class BodyDecodeError extends Error {
  override readonly name = 'BodyDecodeError';
}

export class ByteWriter {
  private bytes: number[] = [];

  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >>> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16((v >>> 16) & 0xffff);
  }
  i32(v: number): this {
    return this.u32(v >>> 0);
  }
  /** UTF-8 string with a one-byte length prefix (at most 255 bytes). */
  str(s: string): this {
    const enc = new TextEncoder().encode(s);
    if (enc.length > 255) throw new RangeError(`string of ${enc.length} bytes exceeds 255`);
    this.u8(enc.length);
    for (const b of enc) this.bytes.push(b);
    return this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export class ByteReader {
  private offset = 0;
  constructor(private readonly data: Uint8Array) {}

  private need(n: number): void {
    if (this.offset + n > this.data.length)
      throw new BodyDecodeError(`body too short: need ${n} bytes at offset ${this.offset}`);
  }
  u8(): number {
    this.need(1);
    return this.data[this.offset++] ?? 0;
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }
  i32(): number {
    return this.u32() | 0;
  }
  str(): string {
    const n = this.u8();
    this.need(n);
    const slice = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(slice);
    } catch {
      throw new BodyDecodeError('string is not valid UTF-8');
    }
  }
  remaining(): number {
    return this.data.length - this.offset;
  }
  end(): void {
    if (this.remaining() !== 0) throw new BodyDecodeError(`${this.remaining()} trailing bytes`);
  }
}
