import type { Socket } from 'node:net';

const corked = new WeakSet<Socket>();

/**
 * Frames written in one turn of the event loop (an ETP window and its DPO, or the frames one
 * bus pump delivered) leave in one TCP write instead of one each. The sockets have no delay of
 * their own (setNoDelay), so nothing waits longer than the current turn.
 */
export function corkUntilNextTick(socket: Socket): void {
  if (corked.has(socket)) return;
  corked.add(socket);
  socket.cork();
  process.nextTick(() => {
    corked.delete(socket);
    socket.uncork();
  });
}
