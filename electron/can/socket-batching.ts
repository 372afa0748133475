import type { Writable } from 'node:stream';

/**
 * How long the first frame of a turn may wait in a corked socket for the frames after it. A turn
 * that hands over many frames (a bus pump catching up after a stall, each frame also handled by
 * this process's own nodes before the next) would otherwise hold its first frames until its end,
 * and the other process would get them well after the time their capture stamps say.
 */
export const MAX_CORK_HOLD_MS = 0.5;

const corkedAtMs = new WeakMap<Writable, number>();

/**
 * Frames written in one turn of the event loop (an ETP window and its DPO, or the frames one
 * bus pump delivered) leave in one TCP write instead of one each. The sockets have no delay of
 * their own (setNoDelay), so nothing waits longer than the current turn, and not longer than
 * `MAX_CORK_HOLD_MS` when the turn runs long: the next write after that flushes what is held.
 */
export function corkUntilNextTick(socket: Writable): void {
  const since = corkedAtMs.get(socket);
  if (since !== undefined) {
    if (performance.now() - since <= MAX_CORK_HOLD_MS) return;
    socket.uncork();
    socket.cork();
    corkedAtMs.set(socket, performance.now());
    return;
  }
  corkedAtMs.set(socket, performance.now());
  socket.cork();
  process.nextTick(() => {
    corkedAtMs.delete(socket);
    socket.uncork();
  });
}
