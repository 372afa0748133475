import type { Writable } from 'node:stream';

/**
 * How long the first frame of a turn may wait in a corked socket for the frames after it: a turn
 * that sends many frames with other work between them would otherwise hold its first frames until
 * its end. (The socketcand server's frames to its clients go by the bus's RelayBatch instead.)
 */
export const MAX_CORK_HOLD_MS = 0.5;

const corkedAtMs = new WeakMap<Writable, number>();

/**
 * Frames a socketcand client writes in one turn of the event loop (an ETP window and its DPO)
 * leave in one TCP write instead of one each. The sockets have no delay of
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
