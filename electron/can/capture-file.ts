import { createWriteStream } from 'node:fs';
import type { CanFrame } from './can-frame.js';
import type { CanLink } from './can-link.js';
import { formatCandumpLine } from './candump-log.js';
import { PcapngWriter } from './pcapng-writer.js';

/** A place captured frames go: `.pcapng` (Wireshark) or `.log` (candump). */
export interface CaptureSink {
  frame(frame: CanFrame): void;
  close(): Promise<void>;
}

export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
}

export function openCaptureFile(path: string, iface = 'can0'): CaptureSink {
  const isPcapng = path.endsWith('.pcapng');
  if (!isPcapng && !path.endsWith('.log'))
    throw new CaptureFormatError(`capture file '${path}' must end in .pcapng or .log`);
  const stream = createWriteStream(path);
  const pcap = isPcapng ? new PcapngWriter((chunk) => stream.write(chunk), iface) : undefined;
  return {
    frame(frame: CanFrame): void {
      if (pcap) pcap.frame(frame);
      else stream.write(`${formatCandumpLine(frame, iface)}\n`);
    },
    close(): Promise<void> {
      pcap?.finish();
      return new Promise((resolve, reject) =>
        stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** Records everything a link sees: frames received and frames it sends. Returns the untap. */
export function tapLink(
  link: CanLink,
  onFrame: (frame: CanFrame, direction: 'rx' | 'tx') => void,
): () => void {
  const offRx = link.on('frame', (f) => onFrame(f, 'rx'));
  const offTx = link.on('sent', (f) => onFrame(f, 'tx'));
  return () => {
    offRx();
    offTx();
  };
}
