"""A scripted ISO 11783 control function on a socketcand server, written against python-can.

It plays an independent stack frame by frame (nothing of Headland's code is on this side):
claim an address, send ETP the way AgIsoStack++ does (at most N packets per ETP.CM_DPO), or
take an address from its holder in the middle of a transfer. One JSON line per step on stdout.

Usage: stock-stack.py PORT STEPS_JSON
  steps: [{"claim": {"address": A, "name": "hex NAME"}},
          {"etp": {"to": A, "pgn": P, "size": N, "dpo": K, "seed": S}},
          {"take": {"address": A, "name": "hex NAME", "after_dt": N, "listen_s": T}}]

Debian's python-can 4.1 loses a frame whenever a TCP read ends inside a socketcand message (its
socketcand receive buffer drops one character too many; fixed in 4.3.1), so frames are read
from the bus's socket with a plain `< ... >` splitter; connecting, the handshake and sending are
python-can's.
"""
import json
import select
import socket
import sys
import time

import can

ETP_CM, ETP_DT, ADDRESS_CLAIMED = 0xC800, 0xC700, 0xEE00
T3_S = 1.25  # ISO 11783-3: sender waits at most T3 for a CTS or EoMA


def ident(priority, pgn, source, destination=0xFF):
    pf = (pgn >> 8) & 0xFF
    ps = destination if pf < 240 else pgn & 0xFF
    return (priority << 26) | ((pgn >> 16) << 24) | (pf << 16) | (ps << 8) | source


def parts(arbitration_id):
    pf = (arbitration_id >> 16) & 0xFF
    pgn = ((arbitration_id >> 8) & 0x3FF00) if pf < 240 else (arbitration_id >> 8) & 0x3FFFF
    da = (arbitration_id >> 8) & 0xFF if pf < 240 else 0xFF
    return pgn, arbitration_id & 0xFF, da


def payload(size, seed):
    return bytes(((i * 31 + 7 + seed) & 0xFF) for i in range(size))


def connect(port, attempts=5):
    # python-can 4.1 compares its first read after `< rawmode >` with `< ok >` exactly; on a busy
    # bus a frame can arrive in the same read, and it gives up. Connect again when that happens.
    for attempt in range(attempts):
        try:
            return can.Bus(interface="socketcand", host="127.0.0.1", port=port, channel="can0")
        except can.CanError:
            if attempt == attempts - 1:
                raise


class Station:
    def __init__(self, port):
        self.bus = connect(port)
        self.sock = getattr(self.bus, "_SocketCanDaemonBus__socket", None)
        if self.sock is not None:  # a DPO and its data packets go at once, not behind Nagle
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.text = ""
        self.queue = []
        self.address = 0xFE

    def send(self, arbitration_id, data):
        self.bus.send(can.Message(arbitration_id=arbitration_id, data=bytes(data), is_extended_id=True))

    def recv(self, timeout):
        """The next frame as (id, data, timestamp), or None after `timeout` seconds."""
        if self.sock is None:
            m = self.bus.recv(timeout)
            return None if m is None else (m.arbitration_id, bytes(m.data), m.timestamp)
        deadline = time.monotonic() + timeout
        while not self.queue:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                return None
            chunk = self.sock.recv(65536).decode("ascii")
            if not chunk:
                return None
            self.text += chunk
            while ">" in self.text:
                message, self.text = self.text.split(">", 1)
                words = message[message.find("<") + 1:].split()
                if len(words) >= 3 and words[0] == "frame":
                    data = bytes.fromhex(words[3]) if len(words) > 3 else b""
                    self.queue.append((int(words[1], 16), data, float(words[2])))
        return self.queue.pop(0)

    def claim(self, address, name_hex):
        self.address = address
        self.send(ident(6, ADDRESS_CLAIMED, address), int(name_hex, 16).to_bytes(8, "little"))

    def cm(self, to, control, b1, value, pgn):
        data = [control, b1] + list(value.to_bytes(3, "little")) + list(pgn.to_bytes(3, "little"))
        self.send(ident(7, ETP_CM, self.address, to), data)

    def etp(self, to, pgn, size, dpo, seed):
        data = payload(size, seed)
        started = time.monotonic()
        rts = [0x14] + list(size.to_bytes(4, "little")) + list(pgn.to_bytes(3, "little"))
        self.send(ident(7, ETP_CM, self.address, to), rts)
        cts_count = 0
        while True:
            frame = self.recv(T3_S)
            if frame is None:
                self.cm(to, 0xFF, 3, 0xFFFFFF, pgn)
                return {"ok": False, "reason": "T3 expired", "cts": cts_count}
            fid, body, _ = frame
            fpgn, sa, da = parts(fid)
            if fpgn != ETP_CM or sa != to or da != self.address or len(body) < 8:
                continue
            if body[0] == 0x15 and body[1] > 0:  # ETP.CM_CTS
                cts_count += 1
                count = min(body[1], dpo)
                first = int.from_bytes(body[2:5], "little")
                self.cm(to, 0x16, count, first - 1, pgn)  # ETP.CM_DPO
                for seq in range(1, count + 1):
                    chunk = data[(first - 2 + seq) * 7:(first - 1 + seq) * 7]
                    if not chunk:
                        break
                    self.send(ident(7, ETP_DT, self.address, to), bytes([seq]) + chunk.ljust(7, b"\xff"))
            elif body[0] == 0x17:  # ETP.CM_EoMA
                ms = (time.monotonic() - started) * 1000
                return {"ok": True, "size": int.from_bytes(body[1:5], "little"), "cts": cts_count, "ms": ms}
            elif body[0] == 0xFF:
                return {"ok": False, "reason": body[1], "cts": cts_count}

    def take(self, address, name_hex, after_dt, listen_s):
        """Claims `address` once `after_dt` data packets from it went by; reports what followed."""
        seen = 0
        give_up = time.monotonic() + 10
        while seen < after_dt:
            frame = self.recv(1)
            if time.monotonic() > give_up:
                return {"ok": False, "reason": "no transfer from %02X" % address, "heard": []}
            if frame is None:
                continue
            fpgn, sa, _ = parts(frame[0])
            if sa == address and fpgn in (ETP_DT, 0xEB00):
                seen += 1
        self.claim(address, name_hex)
        heard = []
        deadline = time.monotonic() + listen_s
        while time.monotonic() < deadline:
            frame = self.recv(max(0.0, deadline - time.monotonic()))
            if frame is not None:
                heard.append(["%08X" % frame[0], frame[2]])
        return {"ok": True, "heard": heard}


def main():
    station = Station(int(sys.argv[1]))
    print(json.dumps({"step": "connected", "ok": True}), flush=True)
    for step in json.loads(sys.argv[2]):
        (kind, args), = step.items()
        if kind == "claim":
            station.claim(args["address"], args["name"])
            time.sleep(0.3)  # ISO 11783-5: 250 ms before using a claimed address
            result = {"ok": True}
        elif kind == "etp":
            result = station.etp(args["to"], args["pgn"], args["size"], args["dpo"], args["seed"])
        else:
            result = station.take(args["address"], args["name"], args["after_dt"], args["listen_s"])
        print(json.dumps({"step": kind, **result}), flush=True)
    station.bus.shutdown()


main()
