/**
 * The peers of can.stack_frames_per_s (bench/suites/can.ts), on the same frames: the ETP data
 * frames of the same payload, 7 bytes each behind a sequence byte (ISO 11783-3 ETP.DT).
 *  - the floor: a plain loop that, per frame, packs the 29-bit identifier, copies 7 bytes into an
 *    8-byte Buffer, unpacks the identifier and copies the 7 bytes into the reassembly buffer —
 *    the least any stack does per frame;
 *  - python-can (Debian's python3-can, run by /usr/bin/python3): can.Message objects with the
 *    same J1939 identifiers encoded and decoded, the same copies, in CPython.
 */
import { spawnSync } from 'node:child_process';

/** ISO 11783-3: an ETP.DT frame carries a sequence byte and 7 data bytes. */
const DT_BYTES = 7;
const PGN_ETP_DT = 0xc700; // ISO 11783-3 §5.12.4
const PRIORITY = 7;
const SOURCE = 0x10;
const DESTINATION = 0x20;
/** Debian's interpreter: the `python3` on PATH may be another without python-can. */
export const PYTHON = '/usr/bin/python3';

/** Frames of `bytes` sent by ETP.DT, for a loop to run through. */
export function dtFrames(bytes: number): number {
  return Math.ceil(bytes / DT_BYTES);
}

/** Frames per second of the floor loop over `payload`; checks the copy arrived whole. */
export function floorFramesPerSecond(payload: Uint8Array): number {
  const frames = dtFrames(payload.length);
  const out = new Uint8Array(payload.length);
  const frame = Buffer.alloc(8);
  const t0 = performance.now();
  let check = 0;
  for (let i = 0; i < frames; i++) {
    const off = i * DT_BYTES;
    const id = ((PRIORITY << 26) | ((PGN_ETP_DT >>> 8) << 16) | (DESTINATION << 8) | SOURCE) >>> 0;
    frame[0] = (i + 1) & 0xff;
    frame.set(payload.subarray(off, off + DT_BYTES), 1);
    const pgn = (id >>> 8) & 0x3ff00;
    const source = id & 0xff;
    if (pgn === PGN_ETP_DT && source === SOURCE)
      out.set(frame.subarray(1, 1 + Math.min(DT_BYTES, payload.length - off)), off);
    check += frame[0];
  }
  const seconds = (performance.now() - t0) / 1000;
  if (check < 0 || Buffer.compare(Buffer.from(out), Buffer.from(payload)) !== 0)
    throw new Error('bench: the floor loop lost data');
  return frames / seconds;
}

const PYTHON_CAN_SCRIPT = `
import sys, time, can
n = int(sys.argv[1])
data = bytes((i * 31 + 7) & 0xff for i in range(n * 7))
out = bytearray(len(data))
t0 = time.perf_counter()
for i in range(n):
    off = i * 7
    ident = (7 << 26) | ((0xc700 >> 8) << 16) | (0x20 << 8) | 0x10
    m = can.Message(arbitration_id=ident, is_extended_id=True,
                    data=bytes(((i + 1) & 0xff,)) + data[off:off + 7])
    pgn = (m.arbitration_id >> 8) & 0x3ff00
    if pgn == 0xc700 and (m.arbitration_id & 0xff) == 0x10:
        out[off:off + 7] = m.data[1:8]
s = time.perf_counter() - t0
assert out == data
print(can.__version__, n / s)
`;

export interface PythonCanResult {
  version: string;
  framesPerSecond: number;
}

/** python-can over `frames` frames, or the reason it cannot run here. */
export function pythonCanFramesPerSecond(frames: number): PythonCanResult | { missing: string } {
  const r = spawnSync(PYTHON, ['-c', PYTHON_CAN_SCRIPT, String(frames)], { encoding: 'utf8' });
  if (r.error) return { missing: `${PYTHON}: ${r.error.message}` };
  if (r.status !== 0) return { missing: r.stderr.trim().split('\n').pop() ?? 'python-can failed' };
  const [version = '?', fps = 'NaN'] = r.stdout.trim().split(/\s+/);
  return { version, framesPerSecond: Number(fps) };
}
