#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Multi-segment mbufs in stock dpdk-testpmd: net_pcap with testpmd's
2176-byte mbufs chains every frame longer than 2048 bytes: the first
segment holds 2048 bytes (after its 128 bytes of headroom), every further
one 2176 (net_pcap gives them no headroom).

- frags_len (SEC "xdp.frags") gets multi-buffer semantics: the first
  segment is the linear part, the others its fragments. Every passed frame
  must equal a model of the program over that geometry (get_buff_len,
  load/store across the segment boundary, tail growth into the last
  segment's room, shrinking that releases whole segments); the program
  writes its helper results into the frame, so they are compared too.
  The same program and frames run against the kernel in test oracle_progs
  (with the kernel test run's geometry: 3520 linear bytes, 4 KiB frags).
- xdp_pass (SEC "xdp") keeps the linear-only behaviour: chains that
  cannot be linearised (net_pcap fills the first segment) are dropped and
  counted in xdp_nonlinear_drops.
- More segments than the kernel's 17 fragments: dropped and counted.

Every run checks that the mempool's in-use count returns to its baseline,
so segments released by a shrink are freed exactly once.
"""

import os
import struct

import uxdp_testlib as t

ETH_P_FRAGS_TEST = 0x88B9
SEG = 2048            # data of the first segment (testpmd's default mbufs)
BUF_LEN = 2176        # their buffer: also the data of every further segment
MAX_FRAME = SEG + 17 * BUF_LEN  # the linear part and 17 fragments
SNAPLEN = 0x3F00      # net_pcap writes at most this much of a frame
KERNEL_LINEAR = 3520  # the kernel frame's limit for the linear part
REPORT_OFF, REPORT_LEN = 20, 64
EINVAL, EFAULT = -22, -14

CASES = [  # (length, op, amount, amount2), ops of xdp_progs/frags_len.c
    (60, 0, 0, 0), (2048, 1, 8, 0),
    (3000, 0, 0, 0), (3000, 1, 1224, 0), (3000, 1, 1225, 0),
    (4225, 2, 1, 0), (4225, 2, 2, 0),
    (6000, 2, 3952, 0), (6000, 2, 4000, 0), (6000, 2, 5986, 0), (6000, 2, 5987, 0),
    (6000, 3, 4000, 100), (6000, 3, 4000, 200),
    (MAX_FRAME, 1, 0, 0), (MAX_FRAME + 1, 0, 0, 0),
]


def frame(length, op, amount, amount2):
    head = bytes.fromhex('02000000000b02000000000a') + struct.pack('!H', ETH_P_FRAGS_TEST) + \
        struct.pack('<BxHH', op, amount, amount2)
    return head + bytes((i * 7 + 3) & 0xff for i in range(length - len(head)))


def model(pkt, op, amount, amount2):
    """frags_len over net_pcap's chain: the output frame."""
    p = bytearray(pkt)
    linear = min(len(p), SEG)

    def nfrags():
        return (len(p) - linear + BUF_LEN - 1) // BUF_LEN
    frags = nfrags()
    r = {'len_before': len(p), 'linear': linear}

    def load(off, n):
        return bytes(p[off:off + n]) if off + n <= len(p) else None
    across = load(linear - 8 if linear >= 8 else 0, 16)
    r['load_ret'] = 0 if across is not None else EINVAL
    store_off = linear - 4 if linear >= REPORT_OFF + REPORT_LEN + 4 else REPORT_OFF + REPORT_LEN
    if store_off + 8 <= len(p):
        p[store_off:store_off + 8] = b'uxdpFRAG'
        r['store_ret'] = 0
    else:
        r['store_ret'] = EINVAL

    def tail(delta):
        nonlocal frags
        if frags > 0:
            if delta >= 0:
                last = len(p) - linear - (frags - 1) * BUF_LEN
                if delta > BUF_LEN - last:
                    return EINVAL
                p.extend(bytes(delta))
                return 0
            if -delta > len(p) - 14:
                return EINVAL
            del p[len(p) + delta:]
            frags = max(0, nfrags())
            return 0
        new = len(p) + delta
        if new < 14 or new > KERNEL_LINEAR or new > BUF_LEN:
            return EINVAL
        if delta > 0:
            p.extend(bytes(delta))
        else:
            del p[new:]
        return 0
    r['tail_ret'] = r['tail2_ret'] = 0
    if op == 1:
        r['tail_ret'] = tail(amount)
    elif op in (2, 3):
        r['tail_ret'] = tail(-amount)
    if op == 3:
        r['tail2_ret'] = tail(amount2)
    r['len_after'] = len(p)
    last = load(len(p) - 8, 8)
    rep = struct.pack('<IIiiiiIiii', r['len_before'], r['linear'], r['load_ret'],
                      r['store_ret'], r['tail_ret'], r['tail2_ret'], r['len_after'],
                      EINVAL, EFAULT, 0 if last is not None else EINVAL) + \
        (across or bytes(16)) + (last or bytes(8))
    if len(p) >= REPORT_OFF + REPORT_LEN:
        p[REPORT_OFF:REPORT_OFF + REPORT_LEN] = rep
    return bytes(p)


def run(f, name, prog, want_pass, want_counters):
    work = t.private_dir('multibuf-%s' % name)
    plugin = t.stage_plugin(work)
    frames = [frame(*c) for c in CASES]
    pin = os.path.join(work, 'in.pcap')
    t.write_pcap(pin, frames)
    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])
    vdevs = ['net_pcap0,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s' %
             (pin, os.path.join(work, 'app_tx.pcap'), os.path.join(work, 'xdp_tx.pcap')),
             'net_uxdp0,dev=net_pcap0,prog=' + t.prog_obj(prog),
             'net_pcap1,rx_pcap=%s,tx_pcap=%s' % (empty, os.path.join(work, 'passed.pcap'))]
    prefix = 'uxdp_multibuf_%s_%d' % (name, os.getpid())
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs), ['--rxq=1', '--txq=1'])
    if not f.check(pmd.ready, '%s: testpmd did not start:\n%s' % (name, pmd.output())):
        pmd.quit()
        return
    base = t.mbufs_in_use(pmd)
    pmd.cmd('set fwd io')
    pmd.cmd('start')
    keys = sorted(want_counters)
    xs = t.wait_for(lambda: (lambda x: x if sum(x[k] for k in keys) >= len(frames)
                             else None)(t.xstats(prefix, 1)))
    t.wait_for(lambda: t.xstats(prefix, 2)['tx_good_packets'] >= len(want_pass), timeout=10)
    pmd.cmd('stop')
    in_use = t.mbufs_in_use(pmd)
    f.equal(pmd.quit(), 0, '%s: testpmd exit code' % name)
    f.equal(in_use, base, '%s: mbufs in use back to the baseline (%s)' % (name, base))
    f.equal({k: xs[k] for k in keys} if xs else None, want_counters,
            '%s: counters' % name)
    got = t.read_pcap(os.path.join(work, 'passed.pcap'))
    want_pass = [w[:SNAPLEN] for w in want_pass]
    f.equal(len(got), len(want_pass), '%s: frames passed' % name)
    for i, (g, w) in enumerate(zip(got, want_pass)):
        if g != w:
            at = next((j for j in range(min(len(g), len(w))) if g[j] != w[j]),
                      min(len(g), len(w)))
            f.check(False, '%s: passed frame %d: %d bytes, want %d; first difference '
                    'at byte %d: %s, want %s' % (name, i, len(g), len(w), at,
                                                 g[at:at + 16].hex(), w[at:at + 16].hex()))
    print('%s: %d frames, %d passed, counters %s, %s mbufs in use before and after'
          % (name, len(frames), len(got), want_counters, base), flush=True)


def main():
    f = t.Failures('multibuf')
    too_long = [frame(*c) for c in CASES if len(frame(*c)) > MAX_FRAME]
    frags = [model(frame(*c), *c[1:]) for c in CASES if len(frame(*c)) <= MAX_FRAME]
    run(f, 'frags', 'frags_len', frags,
        {'xdp_pass': len(frags), 'xdp_drop': 0, 'xdp_aborted': 0,
         'xdp_nonlinear_drops': len(too_long)})
    linear = [frame(*c) for c in CASES if len(frame(*c)) <= SEG]
    run(f, 'linear_only', 'xdp_pass', linear,
        {'xdp_pass': len(linear), 'xdp_drop': 0, 'xdp_aborted': 0,
         'xdp_nonlinear_drops': len(CASES) - len(linear)})
    f.finish()


if __name__ == '__main__':
    main()
