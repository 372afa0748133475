"""
A socketcand client in a process of its own, hearing the station's bus as a machine's receiver
would, and dating each frame by the kernel: the time its bytes reached this client's socket
(SO_TIMESTAMPNS), which is what a receiver with a CPU of its own would see. The time this
process got round to reading it is kept beside it, so the two can be told apart: on a shared
2-core machine a listener's own wake-up delay, or a collection pause of a listener written in a
language with one, would otherwise be counted against the station.

Per frame it keeps the frame, the timestamp the station's bus gave it (the one its capture
holds), the kernel's arrival time, the time this process read it, and whether a later write of
the station came in the same read, and on SIGTERM writes them one line a frame to FILE:
`ID#DATA STAMP ARRIVED READ COALESCED` (milliseconds since the epoch; COALESCED is 0 or 1).
A write that waits unread is merged with the next that comes (TCP coalesces them in the
socket's queue) and the merged data carries the later arrival: such a frame's arrival is known
only to lie between the read before and the time given, so it is marked rather than dated.
It also times the station's heartbeats by their arrival: a line `gap SA` on stdin is answered
with `gap MS COUNT`, the longest wait between two heartbeats from source address SA and how many
came since the last question (then counted anew).

Usage: python3 bench/capture-listener.py PORT FILE
"""

import gc
import os
import selectors
import signal
import socket
import struct
import sys
import time

# Linux's SO_TIMESTAMPNS (and its control message type); Python's socket module names it only
# from 3.12 on.
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
PGN_HEARTBEAT = 0xFF40
READ_BYTES = 65536


class Stopped(Exception):
    """SIGTERM, or the server closed the connection: time to write the file."""


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    pending = b""

    def expect(word):
        nonlocal pending
        while b">" not in pending:
            chunk = sock.recv(4096)
            if not chunk:
                raise SystemExit("listener: server closed during the handshake")
            pending += chunk
        end = pending.index(b">")
        message = pending[: end + 1].decode()
        pending = pending[end + 1 :]
        if message.split()[1:2] != [word]:
            raise SystemExit(f"listener: expected < {word} >, got {message}")

    expect("hi")
    sock.sendall(b"< open can0 >")
    expect("ok")
    sock.sendall(b"< rawmode >")
    expect("ok")
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    return sock, pending


class Heartbeats:
    def __init__(self):
        self.by_source = {}

    def heard(self, source, arrived_ms):
        entry = self.by_source.setdefault(source, [None, 0.0, 0])
        if entry[0] is not None:
            entry[1] = max(entry[1], arrived_ms - entry[0])
        entry[0] = arrived_ms
        entry[2] += 1

    def answer(self, source):
        entry = self.by_source.get(source)
        if entry is None:
            return "gap 0 0\n"
        line = f"gap {entry[1]} {entry[2]}\n"
        entry[1] = 0.0
        entry[2] = 0
        return line


def main():
    # Nothing here makes reference cycles: no collector pause while frames are timed.
    gc.disable()
    port, path = int(sys.argv[1]), sys.argv[2]
    sock, text = connect(port)
    lines = []
    heartbeats = Heartbeats()
    questions = b""

    def stop(*_):
        raise Stopped()

    signal.signal(signal.SIGTERM, stop)

    def take(data, kernel_ms, read_ms):
        nonlocal text
        text += data
        frames = []
        while True:
            start = text.find(b"<")
            end = text.find(b">", start)
            if start < 0 or end < 0:
                break
            words = text[start + 1 : end].split()
            text = text[end + 1 :]
            if len(words) < 3 or words[0] != b"frame":
                continue
            frames.append(words)
        if not frames:
            return
        last_stamp = frames[-1][2]
        for words in frames:
            ident, stamp = words[1].decode(), words[2]
            data_hex = words[3].decode() if len(words) > 3 else ""
            secs, _, usecs = stamp.partition(b".")
            stamp_ms = int(secs) * 1000 + int(usecs.ljust(6, b"0")) / 1000
            coalesced = 0 if stamp == last_stamp else 1
            lines.append(
                f"{ident.upper()}#{data_hex.upper()} {stamp_ms:.3f} {kernel_ms:.3f} {read_ms:.3f} {coalesced}"
            )
            number = int(ident, 16)
            if len(ident) == 8 and (number >> 8) & 0x3FFFF == PGN_HEARTBEAT:
                heartbeats.heard(number & 0xFF, kernel_ms)

    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ, "bus")
    selector.register(sys.stdin, selectors.EVENT_READ, "questions")
    sys.stdout.write("listening\n")
    sys.stdout.flush()
    if text:
        take(b"", time.time_ns() / 1e6, time.time_ns() / 1e6)
    try:
        while True:
            for key, _ in selector.select():
                if key.data == "bus":
                    data, ancillary, _, _ = sock.recvmsg(READ_BYTES, 64)
                    read_ms = time.time_ns() / 1e6
                    if not data:
                        raise Stopped()
                    kernel_ms = read_ms
                    for level, kind, value in ancillary:
                        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                            seconds, nanos = struct.unpack("qq", value[:16])
                            kernel_ms = seconds * 1000 + nanos / 1e6
                    take(data, kernel_ms, read_ms)
                else:
                    chunk = os.read(sys.stdin.fileno(), 4096)
                    if not chunk:
                        selector.unregister(sys.stdin)
                    questions += chunk
                    while b"\n" in questions:
                        line, _, questions = questions.partition(b"\n")
                        words = line.split()
                        if len(words) == 2 and words[0] == b"gap":
                            sys.stdout.write(heartbeats.answer(int(words[1])))
                            sys.stdout.flush()
    except Stopped:
        pass
    sock.close()
    with open(path, "w") as out:
        out.write("".join(line + "\n" for line in lines))
    os._exit(0)


if __name__ == "__main__":
    main()
