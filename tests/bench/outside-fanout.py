#!/usr/bin/env python3
"""outside-fanout.py: SSE fan-out seen from an outside client (issue 18).

Starts Whitecell headless (`whitecellctl run` on a generated scenario of N teams) and bare-sse (a
plain libsoup server writing one event to N held streams) in turn, opens N event streams on each
from client processes (raw asyncio, HTTP/1.1, each stream from its own loopback address, as teams
behind their own addresses), waits until every stream has its first event, then fires R rounds:
on Whitecell an ad-hoc inject to all teams through the control API, on bare-sse a POST /fire. A
round's fan-out time runs from the moment the fire request is sent to the moment the LAST stream
has that round's event. Prints median and p99 over the rounds for each server, their ratio, the
client's and the servers' CPU use, and the load average.

Python 3.11 standard library only. Usage:
    outside-fanout.py [--teams N] [--rounds R] [--pairs K] [--procs P] [--ctl WHITECELLCTL]
                      [--bare BARE_SSE]
WC_CTL and WC_BARE_SSE name the two programs when --ctl and --bare are not given.
"""

import argparse
import asyncio
import json
import math
import multiprocessing
import multiprocessing.connection
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

MAX_IN_FLIGHT = 400      # streams being set up at once, per client process
ROUND_TIMEOUT = 60.0     # seconds a round may take before the missing streams are counted
OPEN_TIMEOUT = 300.0


def source_address(i):
    # all of 127/8 is loopback on Linux: each team its own address, so that Whitecell's cap on
    # connections per address (1,024) is not what is measured
    return "127.10.%d.%d" % (i // 250, i % 250 + 1)


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# The client processes --------------------------------------------------------------------------

class Stream(asyncio.Protocol):
    """One event stream: reads the response head, undoes the chunked framing, looks for the
    first event and then for the armed round's marker."""

    def __init__(self, client, index, request):
        self.client = client
        self.index = index
        self.request = request
        self.transport = None
        self.head = b""          # None once the head is read
        self.chunked = False
        self.pending = b""       # chunked framing not yet undone
        self.remaining = 0       # bytes left in the current chunk
        self.tail = b""          # the last bytes of the body, for a marker split across reads
        self.opened = False      # has its first event
        self.got = None          # when the armed round's event came
        self.lost = False
        self.ready = client.loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc):
        self.lost = True
        if not self.ready.done():
            self.ready.set_result("closed before its first event" + (": %s" % exc if exc else ""))
        elif self.opened:
            self.client.stream_lost(self)

    def dechunk(self, data):
        buf = self.pending + data if self.pending else data
        out = []
        i = 0
        n = len(buf)
        while i < n:
            if self.remaining == 0:
                j = buf.find(b"\r\n", i)
                if j < 0:
                    break
                line = buf[i:j]
                i = j + 2
                if not line:
                    continue    # the CRLF that ends a chunk's data
                size = int(line.split(b";", 1)[0], 16)
                if size == 0:
                    break       # the last chunk: the server ended the stream
                self.remaining = size
            else:
                take = min(self.remaining, n - i)
                out.append(buf[i:i + take])
                i += take
                self.remaining -= take
        self.pending = buf[i:]
        return b"".join(out)

    def data_received(self, data):
        if self.head is not None:
            self.head += data
            k = self.head.find(b"\r\n\r\n")
            if k < 0:
                if len(self.head) > 65536:
                    self.fail("a response head over 64 KiB")
                return
            head = self.head[:k]
            data = self.head[k + 4:]
            self.head = None
            status = head.split(b"\r\n", 1)[0]
            if not status.startswith(b"HTTP/1.1 200"):
                self.fail(status.decode(errors="replace"))
                return
            self.chunked = b"transfer-encoding: chunked" in head.lower()
            if not data:
                return
        body = self.dechunk(data) if self.chunked else data
        if not body:
            return
        text = self.tail + body
        self.tail = text[-64:]
        if not self.opened:
            # the first event: a "data:" line and the blank line that ends its event
            k = text.find(b"data:")
            if k < 0 or text.find(b"\n\n", k) < 0:
                return
            self.opened = True
            self.ready.set_result(None)
        marker = self.client.marker
        if marker is not None and self.got is None and marker in text:
            self.got = time.monotonic()
            self.client.stream_got(self)

    def fail(self, why):
        if not self.ready.done():
            self.ready.set_result(why)
        self.transport.close()


class Client:
    def __init__(self, conn, host, port, requests):
        self.conn = conn
        self.host = host
        self.port = port
        self.requests = requests     # (index, bytes)
        self.loop = asyncio.get_running_loop()
        self.streams = []
        self.marker = None
        self.round = None
        self.n_got = 0
        self.last = None
        self.cpu0 = 0.0
        self.reported = True
        self.n_lost = 0
        self.n_live = 0
        self.finished = self.loop.create_future()

    async def open_one(self, index, request, slots):
        async with slots:
            for attempt in range(5):
                stream = Stream(self, index, request)
                try:
                    await self.loop.create_connection(lambda: stream, self.host, self.port,
                                                      local_addr=(source_address(index), 0))
                except OSError as e:
                    why = "connect: %s" % e
                else:
                    try:
                        why = await asyncio.wait_for(stream.ready, OPEN_TIMEOUT)
                    except asyncio.TimeoutError:
                        why = "no first event in %d s" % OPEN_TIMEOUT
                        stream.transport.close()
                    if why is None:
                        return stream, None
                await asyncio.sleep(0.2 * (attempt + 1))
            return None, why

    async def open_all(self):
        slots = asyncio.Semaphore(MAX_IN_FLIGHT)
        results = await asyncio.gather(*(self.open_one(i, r, slots) for i, r in self.requests))
        self.streams = [s for s, _ in results if s is not None]
        self.n_live = len(self.streams)
        failures = [why for s, why in results if s is None]
        self.conn.send(("open", len(self.streams), len(failures), failures[:3], time.monotonic()))

    def stream_got(self, stream):
        self.n_got += 1
        self.last = stream.got
        self.maybe_report()

    def stream_lost(self, stream):
        self.n_lost += 1
        self.n_live -= 1
        self.maybe_report()

    def maybe_report(self, force=False):
        if self.reported:
            return
        if force or self.n_got >= self.n_live:
            self.reported = True
            self.conn.send(("done", self.round, self.last, self.n_got, len(self.streams),
                            cpu_seconds() - self.cpu0))

    def on_command(self):
        while self.conn.poll():
            command = self.conn.recv()
            if command[0] == "arm":
                _, self.round, marker = command
                self.marker = marker.encode()
                self.n_got = 0
                self.last = None
                for s in self.streams:
                    s.got = None
                self.reported = False
                self.cpu0 = cpu_seconds()
                self.conn.send(("armed", self.round))
            elif command[0] == "report":
                self.maybe_report(force=True)
            elif command[0] == "close":
                for s in self.streams:
                    if s.transport is not None:
                        s.transport.close()
                self.conn.send(("closed", cpu_seconds(), self.n_lost))
                self.finished.set_result(None)
                return


async def client_run(conn, host, port, requests):
    client = Client(conn, host, port, requests)
    command = conn.recv()
    assert command[0] == "go"
    client.loop.add_reader(conn.fileno(), client.on_command)
    await client.open_all()
    await client.finished


def client_main(conn, host, port, requests):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    asyncio.run(client_run(conn, host, port, requests))


# The servers ------------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu(pid):
    """user + system seconds of a process, from /proc."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def proc_rss_mib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def wait_for_text(path, text, seconds, process):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with open(path, errors="replace") as f:
                contents = f.read()
        except OSError:
            contents = ""
        if text in contents:
            return contents
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit("outside-fanout: %s: no “%s” (%s)\n%s" % (
                path, text, "exited %s" % process.returncode if process.poll() is not None
                else "after %d s" % seconds, contents[-2000:]))
        time.sleep(0.05)


def http_request(port, method, path, body, headers=()):
    """A request on a connection of its own; returns (status, body). The connection is made
    before the caller's clock starts: see fire()."""
    s = socket.create_connection(("127.0.0.1", port))
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1:%d" % port,
             "Content-Type: application/json", "Content-Length: %d" % len(body),
             "Connection: close"] + list(headers)
    return s, ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def read_response(s):
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].decode(errors="replace")
    return status, body


class Whitecell:
    name = "Whitecell"

    def __init__(self, ctl, n, tmp):
        self.dir = tempfile.mkdtemp(prefix="whitecell-", dir=tmp)
        scenario = os.path.join(self.dir, "scenario.json")
        journal = os.path.join(self.dir, "journal.jsonl")
        tokens_out = os.path.join(self.dir, "teams.json")
        doc = {"format": "whitecell-scenario", "version": 1,
               "exercise": {"id": "outside-fanout", "title": "Fan-out bench", "tlp": "GREEN",
                            "duration": "T+04:00"},
               "teams": [{"id": "t%d" % i, "name": "Team %d" % i, "kind": "operator"}
                         for i in range(n)],
               "injects": [{"id": "ALL", "trigger": {"type": "manual"}, "channel": "alert",
                            "to": "all", "title": "Alert", "body": "Unused."}]}
        with open(scenario, "w") as f:
            json.dump(doc, f)
        self.port = free_port()
        self.log = os.path.join(self.dir, "whitecellctl.log")
        with open(self.log, "w") as log:
            # stdout to a file: the run prints a line per record, a pipe nobody read would stall it
            self.process = subprocess.Popen(
                [ctl, "run", scenario, "--journal", journal, "--listen",
                 "127.0.0.1:%d" % self.port, "--tokens-out", tokens_out, "--hot-wash", "0"],
                stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
        wait_for_text(self.log, "clock-started", 120, self.process)
        with open(tokens_out) as f:
            teams = json.load(f)
        with open(journal + ".tokens.json") as f:
            self.controller = json.load(f)["controller"]
        self.requests = [
            ("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n"
             "Accept: text/event-stream\r\n\r\n" % (self.port, teams["t%d" % i]["token"])).encode()
            for i in range(n)]

    def prepare_fire(self, marker):
        body = json.dumps({"title": "Round %s" % marker, "body": "Fan-out bench %s" % marker,
                           "to": "all", "channel": "alert"}).encode()
        return http_request(self.port, "POST", "/api/v1/control/injects", body,
                            ["Authorization: Bearer %s" % self.controller])

    def fired(self, status):
        return " 201 " in status + " "

    def stop(self):
        try:
            self.process.stdin.write(b"end\n")
            self.process.stdin.close()
            self.process.wait(30)
        except (OSError, subprocess.TimeoutExpired):
            self.process.terminate()
            self.process.wait()


class Bare:
    name = "bare libsoup"

    def __init__(self, bare, n, tmp):
        self.log = os.path.join(tmp, "bare-sse.log")
        self.port = free_port()
        with open(self.log, "w") as log:
            self.process = subprocess.Popen([bare, "127.0.0.1:%d" % self.port],
                                            stdout=log, stderr=subprocess.STDOUT)
        wait_for_text(self.log, "listening on", 30, self.process)
        self.requests = [("GET /events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                          "Accept: text/event-stream\r\n\r\n" % self.port).encode()] * n

    def prepare_fire(self, marker):
        body = json.dumps({"title": "Round %s" % marker, "body": "Fan-out bench %s" % marker,
                           "to": "all", "channel": "alert"}).encode()
        return http_request(self.port, "POST", "/fire", body)

    def fired(self, status):
        return " 200 " in status + " "

    def stop(self):
        self.process.terminate()
        self.process.wait()


# The parent -------------------------------------------------------------------------------------

def percentile(values, p):
    """Nearest rank: with fewer than 100 rounds, p99 is the slowest round."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def median(values):
    return percentile(values, 50)


def receive_all(conns, kind, timeout):
    """One message of @kind from each client; {conn: message}."""
    got = {}
    deadline = time.monotonic() + timeout
    while len(got) < len(conns):
        left = deadline - time.monotonic()
        ready = multiprocessing.connection.wait([c for c in conns if c not in got], max(0, left))
        if not ready and left <= 0:
            return got
        for c in ready:
            try:
                message = c.recv()
            except EOFError:
                sys.exit("outside-fanout: a client process went away")
            if message[0] == kind:
                got[c] = message
    return got


def run_one(server, n, n_procs, rounds, gap, run_label):
    """N streams on @server, a warm-up round and @rounds measured rounds; returns the figures."""
    pid = server.process.pid
    load_before = os.getloadavg()
    ctx = multiprocessing.get_context("fork")
    conns, procs = [], []
    for k in range(n_procs):
        parent_end, child_end = ctx.Pipe()
        share = [(i, server.requests[i]) for i in range(k, n, n_procs)]
        p = ctx.Process(target=client_main, args=(child_end, "127.0.0.1", server.port, share),
                        daemon=True)
        p.start()
        child_end.close()
        conns.append(parent_end)
        procs.append(p)

    t_storm = time.monotonic()
    for c in conns:
        c.send(("go",))
    opened = receive_all(conns, "open", OPEN_TIMEOUT + 60)
    if len(opened) < len(conns):
        sys.exit("outside-fanout: %s: the streams did not open" % server.name)
    storm = max(m[4] for m in opened.values()) - t_storm
    n_open = sum(m[1] for m in opened.values())
    failures = [why for m in opened.values() for why in m[3]]
    rss = proc_rss_mib(pid)
    print("  %s: %d of %d streams with their first event in %.2f s%s; server RSS %.0f MiB"
          % (run_label, n_open, n, storm,
             " (%d failed: %s)" % (n - n_open, "; ".join(failures)) if n_open < n else "", rss),
          flush=True)

    times, busy, missing, cpu_clients = [], [], 0, 0.0
    cpu_server0 = wall0 = None
    for r in range(rounds + 1):     # round 0: a warm-up, not counted
        marker = "wcbench_%d_%d_x" % (os.getpid(), r) if r else "wcbench_warm_%d_x" % os.getpid()
        for c in conns:
            c.send(("arm", r, marker))
        receive_all(conns, "armed", 30)
        sock, request = server.prepare_fire(marker)
        if r == 1:
            cpu_server0 = proc_cpu(pid)
            wall0 = time.monotonic()
        t0 = time.monotonic()
        sock.sendall(request)
        status, body = read_response(sock)
        if not server.fired(status):
            sys.exit("outside-fanout: %s: the fire was refused: %s %s"
                     % (server.name, status, body[:300].decode(errors="replace")))
        done = receive_all(conns, "done", ROUND_TIMEOUT)
        if len(done) < len(conns):
            for c in conns:
                if c not in done:
                    c.send(("report", r))
            done.update(receive_all([c for c in conns if c not in done], "done", 30))
        lasts = [m[2] for m in done.values() if m[2] is not None]
        n_got = sum(m[3] for m in done.values())
        if r > 0:
            cpu_clients += sum(m[5] for m in done.values())
            missing += n_open - n_got
            elapsed = max(lasts) - t0 if lasts else float("nan")
            times.append(elapsed)
            # the busiest client process's CPU over the round: near 1.0 is a client that could
            # not keep up, and the figure would be the client's, not the server's
            busy.append(max((m[5] / max(1e-6, m[2] - t0)) if m[2] else 0
                            for m in done.values()))
        time.sleep(gap)
    wall = time.monotonic() - wall0
    cpu_server = proc_cpu(pid) - cpu_server0

    for c in conns:
        c.send(("close",))
    closed = receive_all(conns, "closed", 60)
    for p in procs:
        p.join(30)
    n_lost = sum(m[2] for m in closed.values())
    load_after = os.getloadavg()
    result = {"times": times, "busy": busy, "missing": missing, "lost": n_lost,
              "storm": storm, "rss": rss, "cpu_server": cpu_server, "wall": wall,
              "cpu_clients": cpu_clients,
              "load": (load_before[0], load_after[0])}
    print("  %s: fan-out median %.1f ms, p99 %.1f ms (min %.1f, %d rounds)%s; busiest client "
          "process %.0f%% of a core during a round (median; max %.0f%%), all client processes "
          "%.0f ms of CPU a round; server CPU %.0f%% of a core over the rounds (gaps "
          "included); load average %.2f → %.2f"
          % (run_label, median(times) * 1e3, percentile(times, 99) * 1e3, min(times) * 1e3,
             len(times),
             "; %d events missing, %d streams lost" % (missing, n_lost) if missing or n_lost
             else "",
             median(busy) * 100, max(busy) * 100, cpu_clients / len(times) * 1e3,
             cpu_server / wall * 100,
             load_before[0], load_after[0]), flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--pairs", type=int, default=2,
                        help="runs of each server, alternately (default 2)")
    parser.add_argument("--procs", type=int, default=0,
                        help="client processes (default: one per 1,250 streams, at least 2)")
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between rounds")
    parser.add_argument("--ctl", default=os.environ.get("WC_CTL"))
    parser.add_argument("--bare", default=os.environ.get("WC_BARE_SSE"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if not args.ctl or not args.bare:
        parser.error("name whitecellctl and bare-sse (--ctl, --bare, or WC_CTL, WC_BARE_SSE)")
    if args.teams < 1:
        parser.error("--teams: at least 1")
    n = args.teams
    n_procs = args.procs or max(2, math.ceil(n / 1250))

    # the servers and the client processes inherit it; each client process needs its share of
    # descriptors, each server one per stream
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < n + 200:
        sys.exit("outside-fanout: %d streams need a file limit above %d; the hard limit is %d"
                 % (n, n + 200, hard))

    tmp = tempfile.mkdtemp(prefix="whitecell-outside-fanout-")
    print("outside-fanout: %d teams, %d rounds (+1 warm-up) per run, %d runs of each server "
          "alternately, %d client processes, file limit %d, %d CPUs, load average %.2f"
          % (n, args.rounds, args.pairs, n_procs, hard, os.cpu_count(), os.getloadavg()[0]),
          flush=True)
    results = {"Whitecell": [], "bare libsoup": []}
    client_cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        for k in range(args.pairs):
            order = [Whitecell, Bare] if k % 2 == 0 else [Bare, Whitecell]
            for kind in order:
                server = (kind(args.ctl, n, tmp) if kind is Whitecell
                          else kind(args.bare, n, tmp))
                try:
                    results[server.name].append(
                        run_one(server, n, n_procs, args.rounds, args.gap,
                                "%s run %d" % (server.name, k + 1)))
                finally:
                    server.stop()
    finally:
        if args.keep:
            print("outside-fanout: logs kept in %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print("Summary (%d teams; p99 of %d rounds is the slowest round):" % (n, args.rounds))
    for k in range(args.pairs):
        w, b = results["Whitecell"][k], results["bare libsoup"][k]
        print("  pair %d: Whitecell %.1f / %.1f ms, bare libsoup %.1f / %.1f ms (median / p99): "
              "ratio %.2f× / %.2f×"
              % (k + 1, median(w["times"]) * 1e3, percentile(w["times"], 99) * 1e3,
                 median(b["times"]) * 1e3, percentile(b["times"], 99) * 1e3,
                 median(w["times"]) / median(b["times"]),
                 percentile(w["times"], 99) / percentile(b["times"], 99)))
    pooled = {name: [t for r in runs for t in r["times"]] for name, runs in results.items()}
    w, b = pooled["Whitecell"], pooled["bare libsoup"]
    print("  all rounds: Whitecell median %.1f ms, p99 %.1f ms; bare libsoup median %.1f ms, "
          "p99 %.1f ms; ratio %.2f× median, %.2f× p99 (target ≤ 1.5× on both)"
          % (median(w) * 1e3, percentile(w, 99) * 1e3, median(b) * 1e3, percentile(b, 99) * 1e3,
             median(w) / median(b), percentile(w, 99) / percentile(b, 99)))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("  CPU of all the children (client processes and servers): %.1f s user, %.1f s "
          "system; load average now %.2f"
          % (usage.ru_utime - client_cpu0.ru_utime, usage.ru_stime - client_cpu0.ru_stime,
             os.getloadavg()[0]))


if __name__ == "__main__":
    main()
