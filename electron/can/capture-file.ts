import { BatchedFile } from '../storage/index.js';
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

export interface CaptureFileOptions {
  iface?: string;
  /** The capture could not be written (a full disk): it stops, the bus goes on. */
  onError?: (message: string) => void;
}

/**
 * Captured frames are written by the thread that captures them (the safety core's), in batches
 * (`BatchedFile`): that thread never waits on the thread pool.
 */
export function openCaptureFile(path: string, options: CaptureFileOptions = {}): CaptureSink {
  const isPcapng = path.endsWith('.pcapng');
  if (!isPcapng && !path.endsWith('.log'))
    throw new CaptureFormatError(`capture file '${path}' must end in .pcapng or .log`);
  const iface = options.iface ?? 'can0';
  const file = new BatchedFile(path, {
    onError: (message) => options.onError?.(`capture ${message}`),
  });
  const pcap = isPcapng ? new PcapngWriter((chunk) => file.add(chunk), iface) : undefined;
  return {
    frame(frame: CanFrame): void {
      if (pcap) pcap.frame(frame);
      else file.add(`${formatCandumpLine(frame, iface)}\n`);
    },
    close(): Promise<void> {
      pcap?.finish();
      file.close();
      return Promise.resolve();
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
