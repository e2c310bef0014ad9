#!/usr/bin/env python3
"""Reliability suite for the demo server: soak, WebSocket sessions and the fault scenarios.

Run through owin-benchmarks/reliability.sh, which builds the demo first. Every scenario talks to
127.0.0.1 only and is bounded in count and time. Each prints its figures: heap used after a full
GC, threads, open fds, direct/other native memory (NMT "Other" committed) and RSS, before and
after, and the latency of /hello while the scenario runs. Exit status 1 if a check failed.
"""
import argparse
import asyncio
import base64
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

FAILED = []


def check(ok, what):
    print(("  PASS " if ok else "  FAIL ") + what, flush=True)
    if not ok:
        FAILED.append(what)


# ---------------------------------------------------------------- the server and its figures


class Demo:
    def __init__(self, jar, root, xmx):
        self.log = open(os.path.join(root, "..", "server.log"), "ab")
        self.proc = subprocess.Popen(
            ["java", "-Xmx" + xmx, "-XX:NativeMemoryTracking=summary", "-jar", jar,
             "--port", "0", "--root", root],
            stdout=subprocess.PIPE, stderr=self.log)
        line = self.proc.stdout.readline().decode()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            raise SystemExit("the demo did not start: " + line)
        self.port = int(m.group(1))
        self.pid = self.proc.pid

    def jcmd(self, *args):
        return subprocess.run(["jcmd", str(self.pid), *args], capture_output=True,
                              text=True, timeout=60).stdout

    def figures(self):
        self.jcmd("GC.run")
        heap = re.search(r"used (\d+)K", self.jcmd("GC.heap_info"))
        nmt = re.search(r"Other \(reserved=\d+KB, committed=(\d+)KB\)",
                        self.jcmd("VM.native_memory", "summary"))
        with open("/proc/%d/status" % self.pid) as f:
            rss = re.search(r"VmRSS:\s+(\d+) kB", f.read())
        return {
            "heap_kb": int(heap.group(1)) if heap else -1,
            "threads": len(os.listdir("/proc/%d/task" % self.pid)),
            "fds": len(os.listdir("/proc/%d/fd" % self.pid)),
            "direct_kb": int(nmt.group(1)) if nmt else -1,
            "rss_kb": int(rss.group(1)) if rss else -1,
        }

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def show(name, before, after):
    print("  %-10s %s" % ("before", before))
    print("  %-10s %s" % ("after", after), flush=True)


# ---------------------------------------------------------------- raw HTTP/1.1


def read_response(sock, buf=b""):
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            raise EOFError("connection closed")
        buf += data
    head, rest = buf.split(b"\r\n\r\n", 1)
    status = int(head.split(b" ")[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(rest) < length:
        data = sock.recv(65536)
        if not data:
            raise EOFError("connection closed in the body")
        rest += data
    return status, rest[length:]


def hello_ms(port, timeout=10):
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(b"GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        status, _ = read_response(s)
    return (time.monotonic() - start) * 1000, status


class HelloProbe(threading.Thread):
    """Asks for /hello every 50 ms while a scenario runs."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.samples, self.failures, self.done = port, [], 0, False

    def run(self):
        while not self.done:
            try:
                ms, status = hello_ms(self.port)
                self.samples.append(ms if status == 200 else 10_000)
            except OSError:
                self.failures += 1
            time.sleep(0.05)

    def finish(self):
        self.done = True
        self.join()
        s = sorted(self.samples) or [float("nan")]
        slow = [(i, round(ms)) for i, ms in enumerate(self.samples) if ms > 100]
        print("  /hello during it: %d probes, median %.1f ms, max %.1f ms, %d failed;"
              " probes over 100 ms (index, ms): %s"
              % (len(self.samples), s[len(s) // 2], s[-1], self.failures, slow), flush=True)
        return s[-1], self.failures


# ---------------------------------------------------------------- scenarios


def soak(demo, total, root):
    print("== soak: %d mixed keep-alive requests (wrk, 32 connections): /hello, whole file, range"
          % total, flush=True)
    script = os.path.join(root, "..", "mix.lua")
    with open(script, "w") as f:
        f.write("""
counter = 0
request = function()
  counter = counter + 1
  local k = counter % 3
  if k == 0 then return wrk.format("GET", "/hello") end
  if k == 1 then return wrk.format("GET", "/files/file.bin") end
  return wrk.format("GET", "/files/file.bin", {["Range"] = "bytes=1000-40999"})
end
""")
    before = demo.figures()
    done = errors = 0
    start = time.monotonic()
    while done < total:
        out = subprocess.run(
            ["wrk", "-t2", "-c32", "-d10s", "--timeout", "5s", "-s", script,
             "http://127.0.0.1:%d/" % demo.port], capture_output=True, text=True).stdout
        done += int(re.search(r"(\d+) requests in", out).group(1))
        m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        if m:
            errors += sum(int(x) for x in m.groups())
        m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if m:
            errors += int(m.group(1))
    seconds = time.monotonic() - start
    after = demo.figures()
    print("  %d requests in %.0f s (%.0f req/s), %d errors or timeouts" % (
        done, seconds, done / seconds, errors))
    show("soak", before, after)
    check(errors == 0, "soak: no request failed or stalled")


def keepalive(demo, total):
    print("== keep-alive: %d requests on one connection alternating file, range, /hello" % total,
          flush=True)
    requests = [b"GET /files/file.bin HTTP/1.1\r\nHost: t\r\n\r\n",
                b"GET /files/file.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=5-20\r\n\r\n",
                b"GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"]
    stalls = 0
    s = socket.create_connection(("127.0.0.1", demo.port), timeout=5)
    buf = b""
    start = time.monotonic()
    for i in range(total):
        s.sendall(requests[i % 3])
        try:
            _, buf = read_response(s, buf)
        except (OSError, EOFError):
            stalls += 1
            s.close()
            s = socket.create_connection(("127.0.0.1", demo.port), timeout=5)
            buf = b""
    s.close()
    print("  %d requests in %.0f s, %d stalled" % (total, time.monotonic() - start, stalls))
    check(stalls == 0, "keep-alive: no request stalled after a file response")


def ws_handshake(path="/ws/echo"):
    key = base64.b64encode(os.urandom(16)).decode()
    return ("GET %s HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path, key)).encode()


def ws_frame(opcode, payload, fin=True):
    mask = os.urandom(4)
    head = bytes([(0x80 if fin else 0) | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack("!Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def ws_open(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(ws_handshake())
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise IOError("handshake refused: " + head.split(b"\r\n")[0].decode())
    return reader, writer


async def ws_read_frame(reader):
    b1, b2 = await reader.readexactly(2)
    n = b2 & 0x7F
    if n == 126:
        n = struct.unpack("!H", await reader.readexactly(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", await reader.readexactly(8))[0]
    return b1 & 0x0F, await reader.readexactly(n)


async def ws_sessions(demo, total):
    print("== WebSocket: %d sessions opened, held idle, echoed and closed" % total, flush=True)
    before = demo.figures()
    sessions, failed = [], 0
    sem = asyncio.Semaphore(500)

    async def one():
        nonlocal failed
        async with sem:
            try:
                sessions.append(await asyncio.wait_for(ws_open(demo.port), 30))
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
                failed += 1

    start = time.monotonic()
    await asyncio.gather(*(one() for _ in range(total)))
    opened = time.monotonic() - start
    idle = await asyncio.get_running_loop().run_in_executor(None, demo.figures)
    per_session = (idle["heap_kb"] - before["heap_kb"]) * 1024 / max(1, len(sessions))
    print("  %d open after %.1f s (%d failed); while open: %s" % (
        len(sessions), opened, failed, idle))
    print("  heap per idle session: %.0f bytes" % per_session)
    echoed = 0

    async def echo(reader, writer):
        nonlocal echoed
        async with sem:
            try:
                writer.write(ws_frame(0x1, b"hello"))
                op, payload = await asyncio.wait_for(ws_read_frame(reader), 30)
                if op == 0x1 and payload == b"hello":
                    echoed += 1
                writer.write(ws_frame(0x8, struct.pack("!H", 1000)))
                await asyncio.wait_for(ws_read_frame(reader), 30)
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
                pass
            writer.close()

    await asyncio.gather(*(echo(r, w) for r, w in sessions))
    await asyncio.sleep(2)
    after = demo.figures()
    print("  echoed and closed: %d" % echoed)
    show("ws", before, after)
    check(failed == 0 and echoed == total, "WebSocket: every session opened and echoed")
    check(after["fds"] <= before["fds"] + 10, "WebSocket: fds back to baseline")
    return per_session


def half_frames(demo, total):
    print("== fault 1: %d WebSocket clients send half a frame and reset" % total, flush=True)
    before = demo.figures()
    probe = HelloProbe(demo.port)
    probe.start()
    start = time.monotonic()
    for i in range(total):
        s = socket.create_connection(("127.0.0.1", demo.port), timeout=10)
        s.sendall(ws_handshake())
        read_head(s)
        s.sendall(ws_frame(0x1, b"x" * 100)[:16])
        if i % 2 == 0:  # half reset, half FIN
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
    print("  %d drops in %.1f s" % (total, time.monotonic() - start))
    time.sleep(1)
    worst, _ = probe.finish()
    after = demo.figures()
    show("fault 1", before, after)
    check(worst < 1000, "fault 1: /hello answered within a second throughout")


def read_head(s):
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = s.recv(4096)
        if not data:
            raise EOFError("closed")
        buf += data
    return buf


def slow_clients(demo, each):
    print("== fault 2: %d slow uploads + %d silent /opaque/echo upgrades + %d non-reading clients"
          % (each, each, each), flush=True)
    before = demo.figures()
    held = []
    for _ in range(each):
        s = socket.create_connection(("127.0.0.1", demo.port), timeout=10)
        s.sendall(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\nx")
        held.append(s)
    for _ in range(each):
        s = socket.create_connection(("127.0.0.1", demo.port), timeout=10)
        s.sendall(b"GET /opaque/echo HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\n"
                  b"Upgrade: echo\r\n\r\n")
        held.append(s)
    for _ in range(each):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", demo.port))
        s.sendall(b"GET /files/big.bin HTTP/1.1\r\nHost: t\r\n\r\n")
        held.append(s)
    probe = HelloProbe(demo.port)
    probe.start()
    time.sleep(5)
    worst, failures = probe.finish()
    during = demo.figures()
    print("  while held: %s" % during)
    for s in held:
        s.close()
    time.sleep(2)
    after = demo.figures()
    show("fault 2", before, after)
    check(worst < 1000 and failures == 0, "fault 2: /hello answered within a second throughout")


def raw_status(port, request, timeout=5):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
    statuses = re.findall(rb"HTTP/1\.1 (\d{3})", data)
    return [int(x) for x in statuses]


def framing(demo):
    print("== faults 6 and 7: request framing over raw sockets", flush=True)
    smuggled = b"GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"
    cases = [
        ("chunk longer than its size line",
         b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"3\r\nabcdef\r\n0\r\n\r\n" + smuggled, [400]),
        ("Transfer-Encoding: xchunked",
         b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\n\r\n"
         b"3\r\nabc\r\n0\r\n\r\n" + smuggled, [400]),
        ("Transfer-Encoding: chunked, identity",
         b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
         b"3\r\nabc\r\n0\r\n\r\n" + smuggled, [400]),
        ("Content-Length: 18446744073709551619",
         b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 18446744073709551619\r\n\r\nabc",
         [400]),
    ]
    for name, request, expected in cases:
        got = raw_status(demo.port, request)
        print("  %-40s -> %s" % (name, got))
        if expected is not None:
            check(got == expected, "%s answered %s and closed" % (name, expected))


# ---------------------------------------------------------------- raw HTTP/2


def h2_frame(ftype, flags, stream, payload=b""):
    return struct.pack("!I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(
        "!I", stream) + payload


def hpack_literal(name, value):
    return b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value


def h2_connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + h2_frame(0x4, 0, 0))
    return s


def h2_read_frames(s, seconds):
    frames, buf = [], b""
    end = time.monotonic() + seconds
    s.settimeout(0.2)
    while time.monotonic() < end:
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        except OSError:
            break
        if not data:
            frames.append(("EOF", 0, 0, b""))
            break
        buf += data
        while len(buf) >= 9:
            n = int.from_bytes(buf[:3], "big")
            if len(buf) < 9 + n:
                break
            frames.append((buf[3], buf[4], int.from_bytes(buf[5:9], "big") & 0x7FFFFFFF,
                           buf[9:9 + n]))
            buf = buf[9 + n:]
    return frames


def http2(demo):
    print("== faults 5 and 7: HTTP/2 over a raw frame writer", flush=True)
    base = (hpack_literal(b":method", b"GET") + hpack_literal(b":scheme", b"http")
            + hpack_literal(b":authority", b"t"))
    s = h2_connect(demo.port)
    frames = h2_read_frames(s, 1)
    settings = [f for f in frames if f[0] == 0x4 and not f[1] & 1]
    advertised = {}
    for f in settings:
        for i in range(0, len(f[3]), 6):
            key, value = struct.unpack("!HI", f[3][i:i + 6])
            advertised[key] = value
    print("  server SETTINGS: %s" % advertised)
    check(advertised.get(0x3) == 100, "SETTINGS_MAX_CONCURRENT_STREAMS advertised as 100")
    s.sendall(h2_frame(0x1, 0x5, 1, base + hpack_literal(b":path", b"/hello")
                       + hpack_literal(b"x-bad", b"a\r\nb")))
    frames = h2_read_frames(s, 2)
    statuses = [f[3][:1] for f in frames if f[0] == 0x1 and f[2] == 1]
    print("  CR/LF in a header value: response HEADERS first byte %s" % statuses)
    check(statuses == [b"\x8c"] or any(f[0] == 0x3 and f[2] == 1 for f in frames),
          "CR/LF in an HTTP/2 header value gets 400 or a stream reset")
    s.close()

    s = h2_connect(demo.port)
    h2_read_frames(s, 0.5)
    # 5c: a complete request (with :path), END_STREAM, no END_HEADERS: the block has not ended.
    s.sendall(h2_frame(0x1, 0x1, 1, base + hpack_literal(b":path", b"/hello")))
    early = h2_read_frames(s, 1)
    answered = [f for f in early if f[0] == 0x1 and f[2] == 1]
    print("  HEADERS without END_HEADERS: answered before the block ended: %s" % bool(answered))
    check(not answered, "a request is not answered before its header block ended")
    s.sendall(h2_frame(0x9, 0x4, 1, hpack_literal(b"x-late", b"yes")))
    later = h2_read_frames(s, 2)
    check(any(f[0] == 0x1 and f[2] == 1 and f[3][:1] == b"\x88" for f in later),
          "it is answered 200 once the CONTINUATION frame ended the block")
    s.close()

    # 5b: a header block that never ends, in empty CONTINUATION frames for 3 s.
    s = h2_connect(demo.port)
    h2_read_frames(s, 0.5)
    s.sendall(h2_frame(0x1, 0x1, 1, base + hpack_literal(b":path", b"/hello")))
    before = demo.figures()
    sent, end = 0, time.monotonic() + 3
    continuation = h2_frame(0x9, 0, 1) * 1000
    try:
        s.settimeout(1)
        while time.monotonic() < end:
            s.sendall(continuation)
            sent += 1000
    except OSError as e:
        # The server ended the connection (or reads more slowly than the flood comes).
        print("  the flood could not be written on: %s" % e)
    frames = h2_read_frames(s, 1)
    goaway = [f for f in frames if f[0] == 0x7]
    closed = any(f[0] == "EOF" for f in frames) or not frames
    after = demo.figures()
    print("  empty CONTINUATION frames written in 3 s: %d; GOAWAY: %s (error %s); closed: %s"
          % (sent, bool(goaway), goaway[0][3][4:8].hex() if goaway else "-", closed))
    check(bool(goaway) or closed, "the CONTINUATION flood ends the connection")
    check(sent <= 1000 * 1000, "the flood was cut short (%d frames written)" % sent)
    show("flood", before, after)
    s.close()
    ms, status = hello_ms(demo.port)
    check(status == 200, "after the CONTINUATION flood /hello answers (%.1f ms)" % ms)


def graceful_stop(demo):
    print("== graceful stop: an open WebSocket hears 1001", flush=True)
    s = socket.create_connection(("127.0.0.1", demo.port), timeout=20)
    s.sendall(ws_handshake())
    read_head(s)
    demo.proc.send_signal(signal.SIGTERM)
    head = s.recv(2)
    code = None
    if len(head) == 2 and head[0] & 0x0F == 0x8:
        payload = s.recv(head[1] & 0x7F)
        code = struct.unpack("!H", payload[:2])[0]
        s.sendall(ws_frame(0x8, payload[:2]))
    print("  close code: %s" % code)
    check(code == 1001, "graceful stop: the WebSocket got 1001")
    s.close()
    demo.proc.wait(60)


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--jar", required=True)
    p.add_argument("--requests", type=int, default=1_000_000)
    p.add_argument("--keepalive", type=int, default=100_000)
    p.add_argument("--sessions", type=int, default=10_000)
    p.add_argument("--drops", type=int, default=1_000)
    p.add_argument("--slow", type=int, default=100)
    p.add_argument("--xmx", default="512m")
    p.add_argument("--only", default="",
                   help="comma-separated scenarios: fault1,fault2,framing,http2,keepalive,"
                        "websocket,soak,stop (default: all)")
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="owin4j-reliability-")
    root = os.path.join(work, "files")
    os.mkdir(root)
    with open(os.path.join(root, "hello.txt"), "w") as f:
        f.write("hello, files\n")
    with open(os.path.join(root, "file.bin"), "wb") as f:
        f.write(os.urandom(64 * 1024))
    with open(os.path.join(root, "big.bin"), "wb") as f:
        f.truncate(256 * 1024 * 1024)
    print("machine: %d cores, %s; work dir %s" % (os.cpu_count(), time.strftime("%F %T"), work))
    demo = Demo(a.jar, root, a.xmx)
    print("demo pid %d port %d, -Xmx%s" % (demo.pid, demo.port, a.xmx))
    # Warm up, so that compiling the hot paths is not measured as a stall.
    subprocess.run(["wrk", "-t2", "-c8", "-d5s", "http://127.0.0.1:%d/hello" % demo.port],
                   capture_output=True)
    print("baseline after a 5 s warm-up: %s" % demo.figures(), flush=True)
    chosen = set(filter(None, a.only.split(",")))

    def wanted(name):
        return not chosen or name in chosen

    try:
        if wanted("fault1"):
            half_frames(demo, a.drops)
        if wanted("fault2"):
            slow_clients(demo, a.slow)
        if wanted("framing"):
            framing(demo)
        if wanted("http2"):
            http2(demo)
        if wanted("keepalive"):
            keepalive(demo, a.keepalive)
        if wanted("websocket"):
            asyncio.run(ws_sessions(demo, a.sessions))
        if wanted("soak"):
            soak(demo, a.requests, root)
        if wanted("stop"):
            time.sleep(5)
            lingering = subprocess.run(["ss", "-tn", "state", "established", "( sport = :%d )"
                                        % demo.port], capture_output=True, text=True).stdout
            print("== before the stop: %d established server connections, %s"
                  % (max(0, len(lingering.splitlines()) - 1), demo.figures()), flush=True)
            graceful_stop(demo)
    finally:
        demo.stop()
    print("failed: %s" % (FAILED or "none"))
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
