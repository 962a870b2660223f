#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Devmap programs end to end in dpdk-testpmd (rxonly): net_uxdp0 runs
test_devmap_prog.o's redir, which redirects through a DEVMAP and a
DEVMAP_HASH whose entries (map_update= with a fourth field) carry the
devmap program stamp. stamp writes egress_ifindex, ingress_ifindex and
rx_queue_index into bytes 2..4 of each frame, drops, fails (any other
verdict) or trims it as the frame asks. Checked: the bytes of every output
pcap, the xdp_devmap_* and redirect counters, and the mbuf pool's in-use
count back to its baseline. The kernel cannot run devmap programs through
BPF_PROG_TEST_RUN, so the expected frames come from the kernel's
documented semantics (rx_queue_index 0, egress_ifindex of the target).

Ports:
  0 net_pcap0  sub-port of 1 (TX queue 2: XDP)
  1 net_uxdp0  ifindex 1, rx in0.pcap
  2 net_pcap2  sub-port of 3
  3 net_uxdp1  ifindex=7, receives nothing
  4 net_pcap4  plain port; TX queue 1 takes redirects
"""

import collections
import json
import os
import struct
import subprocess

import uxdp_testlib as t


STAMP = 'stamp'
# net_uxdp0's entries: (map, key, ifindex, program name or None).
ENTRIES = [('dm_array', 1, 7, STAMP),     # to net_uxdp1 through stamp
           ('dm_array', 2, 4, None),      # to the plain port, no program
           ('dm_hash', 3, 1, STAMP)]      # back to itself through stamp
OUT = {7: 'sub2_tx2.pcap', 1: 'sub0_tx2.pcap', 4: 'plain_tx1.pcap'}
XDP_ABORTED, XDP_TX, XDP_REDIRECT = 0, 3, 4


def frame(sel, key, verdict=0x20, trim=0, tag=0):
    """Byte 0 picks the map, 1 the key; stamp writes 2..4, reads 5 (0xdd:
    drop, < 0x10: that verdict) and 6 (0x7e: trim one byte)."""
    return bytes([sel, key, 0, 0, 0, verdict, trim]) + \
        struct.pack('<I', tag) + bytes(range(49))


# (frame, [(egress ifindex, fate)]): fate 'pass' (stamped), 'plain' (sent
# as is), 'drop', 'aborted'.
CASES = [
    (frame(0, 1, tag=1), [(7, 'pass')]),
    (frame(0, 1, 0xdd, tag=2), [(7, 'drop')]),
    (frame(0, 1, XDP_TX, tag=3), [(7, 'aborted')]),
    (frame(0, 1, XDP_ABORTED, tag=4), [(7, 'aborted')]),
    (frame(0, 1, XDP_REDIRECT, tag=5), [(7, 'aborted')]),
    (frame(0, 1, 0x20, 0x7e, tag=6), [(7, 'trim')]),
    (frame(0, 2, tag=7), [(4, 'plain')]),
    (frame(1, 3, tag=8), [(1, 'pass')]),
    (frame(1, 3, 0xdd, tag=9), [(1, 'drop')]),
    (frame(2, 0, tag=10), [(7, 'pass'), (4, 'plain')]),
    (frame(2, 0, 0xdd, tag=11), [(7, 'drop'), (4, 'plain')]),
] + [(frame(0, 1, tag=100 + i), [(7, 'pass')]) for i in range(40)]


def stamped(raw, egress, trim):
    b = bytearray(raw)
    b[2], b[3], b[4] = egress, 1, 0   # egress, ingress 1, rx queue 0
    return bytes(b[:-1] if trim else b)


def expectations():
    files = {k: [] for k in OUT}
    c = collections.Counter()
    for raw, fates in CASES:
        for egress, fate in fates:
            if fate == 'plain':
                files[egress].append(raw)
                c['xdp_redirect'] += 1
                continue
            c['xdp_devmap_runs'] += 1
            if fate in ('pass', 'trim'):
                files[egress].append(stamped(raw, egress, fate == 'trim'))
                c['xdp_redirect'] += 1
            elif fate == 'drop':
                c['xdp_devmap_drops'] += 1
            else:
                c['xdp_devmap_aborted'] += 1
    for k in ('xdp_redirect_errors', 'xdp_pass', 'xdp_drop', 'xdp_aborted',
              'xdp_devmap_runs', 'xdp_devmap_drops', 'xdp_devmap_aborted'):
        c.setdefault(k, 0)
    return files, dict(c)


def map_updates():
    out = []
    for name, key, ifindex, prog in ENTRIES:
        val = struct.pack('<Ii', ifindex, 0).hex()
        out.append('map_update=%s:%s:%s%s' % (
            name, struct.pack('<I', key).hex(), val,
            ':' + prog if prog else ''))
    return ','.join(out)


def offline_tools(f, obj):
    """uxdp-run and the kernel runner (uxdp-kernel-run) given the same
    --map-update with a program (fourth field): same verdict, same update
    errors, same ifindex stored and a program id (each its own) read back."""
    kernel_run = os.path.join(t.BUILD, 'app', 'test', 'oracle', 'uxdp-kernel-run')
    pkt = frame(0, 1).hex()
    cases = [('stamp', 0), ('redir', 1)]   # a plain program: EINVAL, exit 1
    for prog, rc_want in cases:
        args = ['--map-update', 'dm_array:01000000:0100000000000000:' + prog,
                '--map-update', 'dm_hash:03000000:0100000000000000:' + prog,
                '--dump-maps', obj, '--pkt', pkt]
        results = {}
        for tool in (t.uxdp_run_bin(), kernel_run):
            out = subprocess.run([tool] + args, capture_output=True, text=True)
            results[os.path.basename(tool)] = out
        k = results['uxdp-kernel-run']
        if k.returncode == 77 or 'Operation not permitted' in k.stderr:
            print('SKIP kernel side of --map-update %s: %s' % (prog, k.stderr.strip()))
            k = None
        u = results['uxdp-run']
        f.equal(u.returncode, rc_want, 'uxdp-run --map-update ...:%s exit (%s)' %
                (prog, u.stderr.strip()))
        if k is not None:
            f.equal(k.returncode, u.returncode, 'kernel runner exit for %s (%s)' %
                    (prog, k.stderr.strip()))
        if rc_want != 0:
            f.check('Invalid argument' in u.stderr, 'uxdp-run says EINVAL: %s' % u.stderr)
            continue
        lines = {name: [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
                 for name, r in results.items() if r is u or r is k}
        for name, out in lines.items():
            f.equal(out[0].get('action'), 'XDP_REDIRECT', '%s verdict' % name)
            for m in ('dm_array', 'dm_hash'):
                val = bytes.fromhex(out[1]['maps'][m][0]['value'])
                ifindex, pid = struct.unpack('<II', val)
                f.check(ifindex == 1 and pid != 0,
                        '%s %s value: ifindex %d, program id %d' % (name, m, ifindex, pid))


def run_testpmd(f, work, plugin, obj, mode):
    """One testpmd run with both ports in engine mode (jit or interp)."""
    t.write_pcap(os.path.join(work, 'in0.pcap'), [raw for raw, _ in CASES])
    t.write_pcap(os.path.join(work, 'empty.pcap'), [])

    def pcap(n, rx, ntx, txname):
        return ','.join(['net_pcap%d' % n, 'rx_pcap=' + os.path.join(work, rx)] +
                        ['tx_pcap=' + os.path.join(work, '%s_tx%d.pcap' % (txname, q))
                         for q in range(ntx)])
    vdevs = [pcap(0, 'in0.pcap', 3, 'sub0'),
             'net_uxdp0,dev=net_pcap0,prog=%s,mode=%s,%s' % (obj, mode, map_updates()),
             pcap(2, 'empty.pcap', 3, 'sub2'),
             'net_uxdp1,dev=net_pcap2,prog=%s,mode=%s,ifindex=7' % (obj, mode),
             pcap(4, 'empty.pcap', 2, 'plain')]
    prefix = 'uxdp_devmap_prog_%s_%d' % (mode, os.getpid())
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs), ['--rxq=1', '--txq=2'])
    if not f.check(pmd.ready, 'testpmd did not start:\n%s' % pmd.output()):
        pmd.quit()
        return
    base = t.mbufs_in_use(pmd)
    f.check(base is not None, 'dump_mempool shows the pool')
    pmd.cmd('set fwd rxonly')
    pmd.cmd('start')
    files, want = expectations()

    def done():
        x = t.xstats(prefix, 1)
        return x.get('sub_rx_good_packets', 0) >= len(CASES) and \
            x['xdp_redirect'] + x['xdp_devmap_drops'] + \
            x['xdp_devmap_aborted'] >= want['xdp_redirect'] + \
            want['xdp_devmap_drops'] + want['xdp_devmap_aborted']
    t.wait_for(done, timeout=20)
    pmd.cmd('stop')
    x = t.xstats(prefix, 1)
    f.equal({k: x.get(k) for k in want}, want, '%s: net_uxdp0 counters' % mode)
    f.equal(t.mbufs_in_use(pmd), base, '%s: mbufs in use back to the baseline (%s)' % (mode, base))
    shown = pmd.cmd('show port xstats 1')
    f.check('xdp_devmap_drops' in shown, 'testpmd shows xdp_devmap_drops')
    rc = pmd.quit()
    f.equal(rc, 0, '%s: testpmd exit code' % mode)

    for egress, name in OUT.items():
        got = collections.Counter(p.hex() for p in t.read_pcap(os.path.join(work, name)))
        want_out = collections.Counter(v.hex() for v in files[egress])
        f.check(got == want_out, mode + ': frames out of ifindex %d (%s): %d, want %d; '
                'unexpected %s, missing %s' %
                (egress, name, sum(got.values()), sum(want_out.values()),
                 list(got - want_out)[:2], list(want_out - got)[:2]))
    print('%s: %d frames in; %d devmap program runs, %d dropped, %d failed; '
          '%d mbufs in use before and after' %
          (mode, len(CASES), want['xdp_devmap_runs'], want['xdp_devmap_drops'],
           want['xdp_devmap_aborted'], base or 0))


def main():
    f = t.Failures('redirect_devmap_prog')
    work = t.private_dir('e2e-devmap-prog')
    plugin = t.stage_plugin(work)
    obj = os.path.join(t.BUILD, 'lib', 'uxdp_bpf', 'tests',
                       'test_devmap_prog.o')
    if not os.path.exists(obj):
        t.skip('%s is not built' % obj)
    offline_tools(f, obj)
    for mode in ('jit', 'interp'):
        run_testpmd(f, work, plugin, obj, mode)
    f.finish()


if __name__ == '__main__':
    main()
