/**
 * The fleet key: 256 random bits shared by the station and its tractors at pairing, under which
 * releases are authenticated. The station keeps it in `<data>/fleet.key` (hex, owner-only); a
 * simulated fleet in the same process receives it directly, `headland sim --can` reads the
 * file. The key is never logged, printed or put in the shared job document. The file's second
 * line is a check of the key (the first 16 hex digits of its SHA-256), so a flipped bit that
 * leaves valid hex is refused at start instead of silently pairing the station with nobody.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../storage/index.js';

export const FLEET_KEY_BYTES = 32;
export const FLEET_KEY_FILE = 'fleet.key';
/** Hex digits of the key's SHA-256 kept as its check: 64 bits, far beyond chance agreement. */
const CHECK_HEX_DIGITS = 16;

export class FleetKeyError extends Error {
  override readonly name = 'FleetKeyError';
}

export class FleetKey {
  private constructor(readonly bytes: Uint8Array) {}

  static generate(): FleetKey {
    return new FleetKey(new Uint8Array(randomBytes(FLEET_KEY_BYTES)));
  }

  static fromHex(text: string): FleetKey {
    const hex = text.trim();
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== FLEET_KEY_BYTES * 2)
      throw new FleetKeyError(`a fleet key is ${FLEET_KEY_BYTES * 2} hexadecimal digits`);
    return new FleetKey(new Uint8Array(Buffer.from(hex, 'hex')));
  }

  toHex(): string {
    return Buffer.from(this.bytes).toString('hex');
  }
}

/** Reads a fleet key file; a missing, unreadable or malformed file is a FleetKeyError naming it. */
export function readFleetKeyFile(file: string): FleetKey {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new FleetKeyError(
      `cannot read the fleet key ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const [keyLine = '', checkLine, ...rest] = text.trim().split('\n');
  let key: FleetKey;
  try {
    key = FleetKey.fromHex(keyLine);
  } catch (error) {
    throw new FleetKeyError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A file written before the check line is read as it is.
  if (checkLine === undefined) return key;
  if (rest.length > 0 || checkLine.trim() !== `check ${keyCheck(key)}`)
    throw new FleetKeyError(
      `${file}: the fleet key is damaged (its check line does not match); restore the file from a backup, or remove it and pair the tractors with a new key`,
    );
  return key;
}

function keyCheck(key: FleetKey): string {
  return createHash('sha256').update(key.bytes).digest('hex').slice(0, CHECK_HEX_DIGITS);
}

/** The station's key in its data folder, created (owner read/write only) on first start. */
export function loadOrCreateFleetKey(dataDir: string): {
  key: FleetKey;
  file: string;
  created: boolean;
} {
  const file = join(dataDir, FLEET_KEY_FILE);
  if (existsSync(file)) return { key: readFleetKeyFile(file), file, created: false };
  mkdirSync(dataDir, { recursive: true });
  const key = FleetKey.generate();
  writeFileAtomically(file, `${key.toHex()}\ncheck ${keyCheck(key)}\n`, { mode: 0o600 });
  return { key, file, created: true };
}
