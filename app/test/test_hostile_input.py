#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Hostile input sweeps (issue #9) outside the loader:

  - packets of 0 to 65535 bytes (every length up to 70, then the edges
    of the mbuf, the kernel frame and the fragment limit: 2048, 2176,
    3520, 4096, 9000, 9216, 16000, 36000, 65535), half of them garbage
    bytes, half IPv4/UDP with lying lengths, through testpmd: net_pcap
    reads them once into testpmd's 2 KiB mbufs, so every frame above
    ~2 KiB arrives as a multi-segment chain (more than 17 fragments past
    ~36 KB). Run with demo_nf (linear-only: chains are dropped and
    counted) under the JIT and with frags_len (xdp.frags) in the
    interpreter. Checked: testpmd alive and exits 0, every frame in one
    verdict counter, mbufs back to baseline;
  - the same pcap through uxdp-run with both programs, and malformed
    pcap files (empty, short header, bad magic, pcapng, truncated
    record, caplen 0xffffffff, caplen past the file): one JSON line per
    packet, or a non-zero exit with a message; never a signal or hang;
  - uxdp-ctl against the running testpmd with bad port ids, map names,
    hex, JSON, flags and huge values: a non-zero exit and a message,
    never a Python traceback; the map keeps its content.
"""

import os
import random
import struct
import subprocess

from scapy.all import Ether, IP, UDP, Raw

import uxdp_testlib as t

PORT = 1
CTL = os.path.join(t.BUILD, 'app', 'uxdp-ctl', 'uxdp-ctl')
LENGTHS = list(range(0, 71)) + [100, 1500, 1514, 2047, 2048, 2049, 2176, 2177,
                                3520, 3521, 4096, 9000, 9216, 16000, 36000,
                                36001, 40000, 65535]
VERDICT_SUM = ('xdp_pass', 'xdp_drop', 'xdp_tx', 'xdp_tx_errors', 'xdp_aborted',
               'xdp_redirect', 'xdp_redirect_errors', 'xdp_nonlinear_drops')


def frames(rng):
    out = []
    for n in LENGTHS:
        out.append(bytes(rng.randrange(256) for _ in range(n)))
        if n >= 42:
            # IPv4/UDP whose header lengths say anything but the truth
            ip = IP(src='192.0.2.1', dst='198.51.100.1',
                    len=rng.choice([20, 28, n, 65535]))
            head = bytes(Ether() / ip / UDP(dport=53, len=rng.choice([8, 9, 65535])))
            out.append((head + bytes(n))[:n])
    return out


def write_raw(path, data):
    with open(path, 'wb') as fh:
        fh.write(data)


PCAP_HDR = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)


def bad_pcaps(work):
    rec = struct.pack('<IIII', 1, 0, 60, 60) + bytes(60)
    cases = {
        'empty': b'',
        'short_header': PCAP_HDR[:10],
        'bad_magic': b'\x00\x01\x02\x03' + PCAP_HDR[4:] + rec,
        'pcapng': struct.pack('<III', 0x0a0d0d0a, 28, 0x1a2b3c4d) + bytes(16),
        'truncated_record_header': PCAP_HDR + rec[:9],
        'truncated_record': PCAP_HDR + rec[:40],
        'caplen_huge': PCAP_HDR + struct.pack('<IIII', 1, 0, 0xffffffff, 60) + bytes(60),
        'caplen_past_end': PCAP_HDR + struct.pack('<IIII', 1, 0, 5000, 5000) + bytes(100),
        'link_type_raw': struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101) + rec,
        'big_endian': struct.pack('>IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1) +
                      struct.pack('>IIII', 1, 0, 60, 60) + bytes(60),
    }
    paths = {}
    for name, data in cases.items():
        path = os.path.join(work, 'bad_%s.pcap' % name)
        write_raw(path, data)
        paths[name] = path
    return paths


def check_uxdp_run(f, pin, n_frames, work):
    for prog in ('demo_nf', 'frags_len'):
        for engine in ('jit', 'interp'):
            out = subprocess.run([t.uxdp_run_bin(), '--engine', engine, t.prog_obj(prog),
                                  '--in', pin], capture_output=True, text=True, timeout=120)
            lines = [l for l in out.stdout.splitlines() if l.startswith('{')]
            f.check(out.returncode == 0 and len(lines) == n_frames,
                    'uxdp-run %s %s over %d hostile frames: rc %d, %d lines, %s'
                    % (prog, engine, n_frames, out.returncode, len(lines),
                       out.stderr[-300:]))
    for name, path in bad_pcaps(work).items():
        try:
            out = subprocess.run([t.uxdp_run_bin(), t.prog_obj('demo_nf'), '--in', path],
                                 capture_output=True, text=True, timeout=30)
        except subprocess.TimeoutExpired:
            f.check(False, 'uxdp-run hangs on pcap %s' % name)
            continue
        ok = out.returncode == 0 or (out.returncode > 0 and out.stderr.strip() != '')
        f.check(ok, 'uxdp-run on pcap %s: rc %d, stderr %r' % (name, out.returncode,
                                                               out.stderr[-200:]))
        print('uxdp-run %-24s rc %d %s' % (name, out.returncode,
                                           (out.stderr.strip().splitlines() or [''])[-1][:100]),
              flush=True)


def ctl(prefix, *args):
    return subprocess.run(['/usr/bin/python3', CTL, '-f', prefix] + list(args),
                          capture_output=True, text=True, timeout=60)


def check_uxdp_ctl(f, prefix):
    good_key = ['hex', '00' * 4]
    good_value = ['hex', '00' * 8]
    before = ctl(prefix, '--json', 'map', 'dump', 'verdicts')
    cases = [
        ['--port', '7', 'prog', 'show'],
        ['--port', '-1', 'map', 'list'],
        ['--port', '99999999999999999999', 'map', 'list'],
        ['--port', 'x', 'map', 'list'],
        ['map', 'lookup', 'nosuchmap', 'key'] + good_key,
        ['map', 'lookup', 'verdicts', 'key', 'hex', 'zz'],
        ['map', 'lookup', 'verdicts', 'key', 'hex', '0'],
        ['map', 'lookup', 'verdicts', 'key', 'hex', 'ab' * 5000],
        ['map', 'lookup', 'verdicts', 'key', '{"a":'],
        ['map', 'lookup', 'verdicts', 'key', '[[[[[[[[[[[[[[[[[[[['],
        ['map', 'lookup', 'verdicts', 'key', '99999999999999999999999'],
        ['map', 'lookup', 'verdicts', 'key', '0x1ff'],
        ['map', 'update', 'verdicts', 'key'] + good_key + ['value', 'hex', '00'],
        ['map', 'update', 'verdicts', 'key'] + good_key + ['value'] + good_value +
        ['sometimes'],
        ['map', 'update', 'verdicts', 'key'] + good_key,
        ['map', 'update', 'verdicts', 'key'] + good_key + ['value', '1e400'],
        ['map', 'delete', 'verdicts', 'key'] + good_key,
        ['map', 'dump'],
        ['map', 'frobnicate'],
        ['prog', 'swap', '/nonexistent.o'],
        ['prog', 'swap', t.prog_obj('demo_nf'), 'nosuchprog'],
        ['prog', 'swap', 'x' * 5000],
    ]
    for args in cases:
        out = ctl(prefix, *args)
        label = ' '.join(a[:40] for a in args)
        f.check(out.returncode != 0 and out.stderr.strip() != '' and
                'Traceback' not in out.stderr,
                'uxdp-ctl %s: rc %d, stderr %r' % (label, out.returncode, out.stderr[-300:]))
    after = ctl(prefix, '--json', 'map', 'dump', 'verdicts')
    f.equal(after.stdout, before.stdout, 'map unchanged by the refused commands')


def run_testpmd(f, work, plugin, pin, n_frames, prog, engine, then=None):
    prefix = 'uxdp_hostile_%s_%d' % (prog, os.getpid())
    pcap0 = 'net_pcap0,rx_pcap=%s' % pin
    uxdp0 = 'net_uxdp0,dev=net_pcap0,mode=%s,prog=%s' % (engine, t.prog_obj(prog))
    pmd = t.Testpmd(t.eal_args(prefix, plugin, [pcap0, uxdp0]),
                    ['--forward-mode=rxonly'])
    try:
        if not f.check(pmd.ready, 'testpmd (%s) did not start:\n%s' % (prog, pmd.output())):
            return
        baseline = t.mbufs_in_use(pmd)
        pmd.cmd('start')
        t.wait_for(lambda: t.telemetry(prefix, '/ethdev/stats,0')['ipackets'] +
                   t.telemetry(prefix, '/ethdev/stats,0')['ierrors'] >= n_frames, timeout=30)
        stop = pmd.cmd('stop')
        sub = t.telemetry(prefix, '/ethdev/stats,0')
        xs = t.xstats(prefix, PORT)
        counts = {k: xs.get(k, 0) for k in VERDICT_SUM}
        print('%s (%s): sub-port ipackets %d ierrors %d; %s' % (
            prog, engine, sub['ipackets'], sub['ierrors'], counts), flush=True)
        f.equal(sub['ipackets'] + sub['ierrors'], n_frames,
                '%s: net_pcap delivered or counted every frame' % prog)
        f.equal(sum(counts.values()), sub['ipackets'],
                '%s: every frame in exactly one verdict counter' % prog)
        # One stream: testpmd prints the port's ethdev stats, which are
        # the sub-port's, not what its forwarding loop counted.
        fwd = t.stream_rx_packets(stop)
        if fwd is not None:
            f.equal(fwd, counts['xdp_pass'], '%s: testpmd received the passed frames' % prog)
        f.equal(t.mbufs_in_use(pmd), baseline, '%s: mbufs back to baseline' % prog)
        if then is not None:
            then(prefix)
    finally:
        rc = pmd.quit()
    f.equal(rc, 0, '%s: testpmd exit code' % prog)


def main():
    f = t.Failures('hostile_input')
    rng = random.Random(7)
    work = t.private_dir('hostile')
    plugin = t.stage_plugin(work)
    frs = frames(rng)
    pin = os.path.join(work, 'hostile.pcap')
    t.write_pcap(pin, frs)
    print('%d frames of %d to %d bytes' % (len(frs), min(map(len, frs)), max(map(len, frs))),
          flush=True)
    check_uxdp_run(f, pin, len(frs), work)
    run_testpmd(f, work, plugin, pin, len(frs), 'demo_nf', 'jit',
                then=lambda prefix: check_uxdp_ctl(f, prefix))
    run_testpmd(f, work, plugin, pin, len(frs), 'frags_len', 'interp')
    f.finish()


if __name__ == '__main__':
    main()
