# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Shared pieces of the uxdp system tests: where things are, a private copy
of the plugin, an interactive dpdk-testpmd driven through its prompt, the
DPDK telemetry socket, and pcap files."""

import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time

SKIP = 77  # meson's exit code for a skipped test

BUILD = os.path.normpath(os.environ.get('UXDP_BUILD_DIR', os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..', 'build')))
SOURCE = os.path.normpath(os.environ.get('UXDP_SOURCE_DIR', os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', '..')))
TESTPMD = shutil.which('dpdk-testpmd') or '/usr/bin/dpdk-testpmd'
TELEMETRY_PY = '/usr/bin/dpdk-telemetry.py'


def prog_obj(name):
    return os.path.join(BUILD, 'xdp_progs', name + '.o')


def uxdp_run_bin():
    return os.path.join(BUILD, 'app', 'uxdp-run', 'uxdp-run')


def kernel_run_bin():
    return os.path.join(BUILD, 'app', 'test', 'oracle', 'uxdp-kernel-run')


class Failures:
    """Collects failed checks so a test reports all of them, then exits."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print('FAIL: %s' % what, flush=True)
        return cond

    def equal(self, got, want, what):
        return self.check(got == want, '%s: got %r, want %r' % (what, got, want))

    def finish(self):
        print('%d passed, %d failed' % (self.passed, self.failed))
        sys.exit(1 if self.failed or not self.passed else 0)


def skip(reason):
    print('SKIP: ' + reason, flush=True)
    sys.exit(SKIP)


def private_dir(tag):
    """A fresh directory no world-writable directory is above: EAL refuses
    to load plugins from such places, and /tmp is one."""
    base = '/run/uxdp' if os.access('/run', os.W_OK) else \
        os.path.join(os.path.expanduser('~'), '.cache', 'uxdp')
    path = os.path.join(base, '%s-%d' % (tag, os.getpid()))
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, mode=0o755)
    os.chmod(base, 0o755)
    return path


def stage_plugin(workdir):
    src = os.path.join(BUILD, 'drivers', 'net', 'uxdp', 'librte_net_uxdp.so')
    dst = os.path.join(workdir, 'librte_net_uxdp.so')
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o644)
    return dst


def veth_netns_up(ns, host, peer):
    """A veth pair host <-> peer, peer in network namespace ns, both up
    with IPv6 off (its autoconfiguration would put frames on the wire).
    Raises CalledProcessError; veth_netns_down() undoes what was done."""
    def sh(*cmd):
        subprocess.run(cmd, check=True, capture_output=True)
    sh('ip', 'netns', 'add', ns)
    sh('ip', 'link', 'add', host, 'type', 'veth', 'peer', 'name', peer)
    sh('ip', 'link', 'set', peer, 'netns', ns)
    for dev, pre in ((host, []), (peer, ['ip', 'netns', 'exec', ns])):
        sh(*pre, 'sysctl', '-qw', 'net.ipv6.conf.%s.disable_ipv6=1' % dev)
        sh(*pre, 'ip', 'link', 'set', dev, 'up')


def veth_netns_down(ns, host):
    """Remove what veth_netns_up() made; quiet about what is not there."""
    subprocess.run(['ip', 'netns', 'del', ns], capture_output=True)
    subprocess.run(['ip', 'link', 'del', host], capture_output=True)


def eal_args(prefix, plugin, vdevs, extra=(), lcores=('-l', '0-1')):
    args = list(lcores) + ['--no-huge', '-m', '512', '--no-pci',
            '--file-prefix=' + prefix, '-d', plugin,
            '--log-level=pmd.net.uxdp:info']
    for v in vdevs:
        args.append('--vdev=' + v)
    args.extend(extra)
    return args


class Testpmd:
    """dpdk-testpmd in interactive mode, fed commands on stdin. The prompt
    comes without a newline, so output is read as raw bytes. The prompt is
    written straight to the fd while command output goes through stdio,
    which a pipe makes fully buffered: stdbuf makes it unbuffered so that a
    command's output arrives before the next prompt."""

    PROMPT = 'testpmd> '

    def __init__(self, eal, app=(), timeout=30):
        self.prefix = next(a.split('=', 1)[1] for a in eal
                           if a.startswith('--file-prefix='))
        cmd = ['stdbuf', '-o0', TESTPMD] + list(eal) + ['--', '-i', '--no-mlockall',
                                       # "start" drains RX queues first,
                                       # which would eat a pcap's packets
                                       '--no-flush-rx',
                                       '--total-num-mbufs=8192'] + list(app)
        self.cmdline = ' '.join(cmd)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.buf = b''
        self.lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.ready = self._wait_prompt(0, timeout)

    def _read(self):
        while True:
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return
            with self.lock:
                self.buf += chunk

    def output(self, start=0):
        with self.lock:
            return self.buf[start:].decode(errors='replace')

    def _wait_prompt(self, start, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.PROMPT in self.output(start):
                return True
            if self.proc.poll() is not None:
                time.sleep(0.2)
                return self.PROMPT in self.output(start)
            time.sleep(0.05)
        return False

    def cmd(self, line, timeout=20):
        """Send one command; return its output up to the next prompt."""
        with self.lock:
            start = len(self.buf)
        self.proc.stdin.write((line + '\n').encode())
        self.proc.stdin.flush()
        if not self._wait_prompt(start, timeout):
            raise RuntimeError('testpmd: no prompt after %r:\n%s'
                               % (line, self.output(start)))
        return self.output(start)

    def quit(self, timeout=30):
        try:
            self.proc.stdin.write(b'quit\n')
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.reader.join(5)
        shutil.rmtree('/var/run/dpdk/' + self.prefix, ignore_errors=True)
        return rc


def mbufs_in_use(pmd):
    """mbufs taken from testpmd's pools: size minus what sits in the
    common pool and the lcore caches (testpmd's dump_mempool; DPDK 22.11's
    telemetry /mempool/info has no counts)."""
    total = None
    for line in pmd.cmd('dump_mempool').splitlines():
        key, _, val = line.strip().partition('=')
        if key == 'size':
            total = (total or 0) + int(val)
        elif key in ('total_cache_count', 'common_pool_count'):
            total -= int(val)
    return total


def telemetry(prefix, command):
    """One request on the DPDK telemetry v2 socket; returns the reply's
    value for the command."""
    path = '/var/run/dpdk/%s/dpdk_telemetry.v2' % prefix
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.connect(path)
        hello = json.loads(s.recv(1024).decode())
        s.send(command.encode())
        reply = json.loads(s.recv(hello['max_output_len']).decode())
    return reply[command.split(',', 1)[0]]


def xstats(prefix, port):
    return telemetry(prefix, '/ethdev/xstats,%d' % port)


def wait_for(pred, timeout=20, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(step)
    return pred()


def write_pcap(path, frames):
    """Classic pcap, Ethernet link type, microsecond timestamps."""
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, data in enumerate(frames):
            f.write(struct.pack('<IIII', 1, i, len(data), len(data)))
            f.write(data)


def read_pcap(path):
    frames = []
    with open(path, 'rb') as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return frames
        magic = struct.unpack('<I', hdr[:4])[0]
        endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return frames
            _, _, caplen, _ = struct.unpack(endian + 'IIII', rec)
            frames.append(f.read(caplen))


def uxdp_run(obj, in_pcap, extra=(), binary=None):
    """Predictions of the offline runner (or, with binary=kernel_run_bin(),
    of the kernel): one dict per packet."""
    out = subprocess.run([binary or uxdp_run_bin()] + list(extra) +
                         [obj, '--in', in_pcap],
                         capture_output=True, text=True)
    lines = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
    return out.returncode, lines, out.stderr


class TelemetryConn:
    """One connection to the DPDK telemetry v2 socket for many requests
    (bulk updates). request() returns the command's value and the raw
    reply length, which must stay under DPDK's 16 KiB limit."""

    def __init__(self, prefix):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.sock.connect('/var/run/dpdk/%s/dpdk_telemetry.v2' % prefix)
        hello = json.loads(self.sock.recv(1024).decode())
        self.max_len = hello['max_output_len']

    def request(self, command):
        self.sock.send(command.encode())
        raw = self.sock.recv(self.max_len)
        reply = json.loads(raw.decode())
        return reply[command.split(',', 1)[0]], len(raw)

    def close(self):
        self.sock.close()


def telemetry_py(prefix, commands):
    """Commands through the stock dpdk-telemetry.py, non-interactive
    (stdin not a tty): one JSON reply per line, in order."""
    out = subprocess.run([sys.executable if os.path.basename(sys.executable)
                          .startswith('python3') else '/usr/bin/python3',
                          TELEMETRY_PY, '-f', prefix],
                         input='\n'.join(commands) + '\n',
                         capture_output=True, text=True, timeout=60)
    replies = []
    for line in out.stdout.splitlines():
        line = line.strip()
        if line.startswith('{'):
            replies.append(json.loads(line))
    return replies


def stream_rx_packets(stop_output):
    """Sum of testpmd's per-stream RX-packets in the output of "stop":
    counted by testpmd's forwarding loop itself (the per-port figures come
    from ethdev stats, which net_uxdp takes from its sub-port). With a
    single stream testpmd prints only the port section, from the stats."""
    import re
    streams = re.findall(r'Forward Stats for RX Port=\s*\d+/Queue=\s*\d+.*?\n\s*'
                         r'RX-packets:\s*(\d+)', stop_output)
    return sum(int(n) for n in streams) if streams else None
