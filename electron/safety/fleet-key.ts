/**
 * The fleet key: 256 random bits shared by the station and its tractors at pairing, under which
 * releases are authenticated. The station keeps it in `<data>/fleet.key` (hex, owner-only); a
 * simulated fleet in the same process receives it directly, `headland sim --can` reads the
 * file. The key is never logged, printed or put in the shared job document.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FLEET_KEY_BYTES = 32;
export const FLEET_KEY_FILE = 'fleet.key';

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
  try {
    return FleetKey.fromHex(text);
  } catch (error) {
    throw new FleetKeyError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
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
  writeFileSync(file, `${key.toHex()}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, file, created: true };
}
