#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Packet geometry of net_uxdp against the kernel, in stock dpdk-testpmd.

adjust_head_tail pushes the head, reserves metadata and grows the tail by
amounts up to and past the kernel's limits (216 bytes of headroom above
struct xdp_frame, 3520 bytes of packet in a 4 KiB frame). Every frame's
fate and bytes through net_pcap -> net_uxdp -> testpmd must equal what the
kernel's BPF_PROG_TEST_RUN gives (uxdp-kernel-run) whenever the mbuf's
buffer can hold the result, even though testpmd's mbufs have only 128
bytes of headroom: the helpers move the packet inside the buffer. Where
the buffer is too small (testpmd --mbuf-size below what the kernel frame
would need) the helper fails as on a kernel frame of that size: the
program drops the frame and counts it in helper_errors.

Each run also checks that the mempool's in-use count returns to its
baseline.

Offline, every amount 0..255 of every op of adjust_head_tail (push, pop,
grow, shrink, metadata, metadata with push or pop) runs through
uxdp-run --mbuf HEADROOM:BUF_LEN (net_uxdp's description of an mbuf) and
through the kernel: identical with buffers of 3736 bytes or more, and
with smaller ones identical except exactly where the buffer cannot hold
the result.
"""

import hashlib
import os
import sys

from scapy.all import Ether, Raw

import uxdp_testlib as t

ETH_ADJUST = 0x88B6
MAC_A, MAC_B = '02:00:00:00:00:0a', '02:00:00:00:00:0b'
# ops of xdp_progs/adjust_head_tail.c, and the bytes of buffer each needs
# for a frame of length n_frame given its amount
PUSH, GROW, META, META_PUSH = 1, 3, 5, 8
NEED = {PUSH: lambda length, n: length + n,
        GROW: lambda length, n: length + 8 * n,
        META: lambda length, n: length + n,
        META_PUSH: lambda length, n: length + 8 + n}


def frame(op, n, length=80):
    head = bytes(Ether(src=MAC_A, dst=MAC_B, type=ETH_ADJUST)) + bytes([op, n])
    return head + bytes(i & 0xff for i in range(length - len(head)))


def cases():
    """(op, amount, frame length): around the kernel's limits."""
    out = []
    for n in (8, 88, 128, 200, 216, 217, 255):
        out.append((PUSH, n, 80))
    for n in (128, 200, 216, 252, 255):
        out.append((META, n, 80))
    for n in (200, 208, 209):
        out.append((META_PUSH, n, 80))
    # 512-byte mbufs hold 500 bytes but not 516 or 552
    out += [(PUSH, 200, 300), (PUSH, 216, 300), (META, 252, 300)]
    for n, length in ((255, 80), (255, 1480), (255, 1481), (100, 3000),
                      (65, 3000), (64, 3000)):
        out.append((GROW, n, length))
    return out


# Buffer bytes each op needs beyond the frame length, for the sweep
# (push and pop carry the command's Ethernet header along; metadata ops
# 8 and 9 reserve 8 bytes first).
SWEEP_NEED = {1: lambda length, n: length + n, 2: lambda length, n: length,
              3: lambda length, n: length + 8 * n, 4: lambda length, n: length,
              5: lambda length, n: length + n,
              8: lambda length, n: length + 8 + n,
              9: lambda length, n: length + 8}


def sweep(f):
    """Every op and amount against the kernel, offline."""
    work = t.private_dir('geom-sweep')
    obj = t.prog_obj('adjust_head_tail')
    cs = [(op, n, length) for op in sorted(SWEEP_NEED) for n in range(256)
          for length in (80, 1480)]
    pin = os.path.join(work, 'sweep.pcap')
    t.write_pcap(pin, [frame(*c) for c in cs])
    rc, kern, err = t.uxdp_run(obj, pin, binary=t.kernel_run_bin())
    if rc == t.SKIP:
        t.skip('the kernel oracle cannot run: ' + err.strip())
    if not f.check(rc == 0 and len(kern) == len(cs), 'sweep: kernel rc %d %s' % (rc, err)):
        return
    for headroom, buf_len in ((128, 4224), (0, 3736), (128, 2176), (128, 1600),
                              (256, 2048), (0, 512)):
        rc, got, err = t.uxdp_run(obj, pin, ['--mbuf', '%d:%d' % (headroom, buf_len)])
        if not f.check(rc == 0 or buf_len - headroom < 1480,
                       'sweep %d:%d: rc %d %s' % (headroom, buf_len, rc, err[:300])):
            continue
        same = short = bad = 0
        for (op, n, length), k, u in zip(cs, kern, got):
            if 'error' in u:
                f.check(length > buf_len - headroom, 'sweep %d:%d: %s' % (headroom, buf_len, u))
                continue
            fits = SWEEP_NEED[op](length, n) <= buf_len
            if fits:
                ok = u['action'] == k['action'] and u['meta'] == k['meta'] and \
                    (u['data'] == k['data'] or
                     (op == 8 and u['data'][2 * n:] == k['data'][2 * n:] and
                      len(u['data']) == len(k['data'])))
                same += ok
            else:
                ok = u['action'] == 'XDP_DROP'
                short += ok
            if not ok:
                bad += 1
                if bad <= 3:
                    f.check(False, 'sweep %d:%d op %d n %d len %d: uxdp %s %d bytes, '
                            'kernel %s %d bytes' % (headroom, buf_len, op, n, length,
                                                    u['action'], len(u['data']) // 2,
                                                    k['action'], len(k['data']) // 2))
        f.check(bad == 0, 'sweep %d:%d: %d of %d differ' % (headroom, buf_len, bad, len(cs)))
        if (headroom, buf_len) == (128, 2176):
            # net_uxdp runs the JIT: the same answers there
            _, jit, _ = t.uxdp_run(obj, pin, ['--engine', 'jit', '--mbuf', '128:2176'])
            f.check(jit == got, 'sweep 128:2176: the JIT gives the interpreter\'s results')
        print('sweep --mbuf %d:%d: %d frames as the kernel, %d failed for lack of '
              'buffer, %d wrong' % (headroom, buf_len, same, short, bad), flush=True)


def run(f, name, mbuf_size, buf_len):
    """One testpmd run with mbufs of mbuf_size bytes of data room; frames
    whose result needs more than buf_len bytes are expected to fail."""
    work = t.private_dir('geom-%s' % name)
    plugin = t.stage_plugin(work)
    obj = t.prog_obj('adjust_head_tail')
    cs = [c for c in cases() if c[2] <= mbuf_size - 128]
    frames = [frame(*c) for c in cs]
    pin = os.path.join(work, 'in.pcap')
    t.write_pcap(pin, frames)
    rc, kern, err = t.uxdp_run(obj, pin, binary=t.kernel_run_bin())
    if rc == t.SKIP:
        t.skip('the kernel oracle cannot run: ' + err.strip())
    if not f.check(rc == 0 and len(kern) == len(frames),
                   '%s: uxdp-kernel-run: rc %d: %s' % (name, rc, err)):
        return
    rc, offl, err = t.uxdp_run(obj, pin)
    f.check([(p['action'], p['data']) for p in offl] ==
            [(p['action'], p['data']) for p in kern],
            '%s: uxdp-run equals the kernel' % name)
    want = []
    for (op, n, length), k in zip(cs, kern):
        if k['action'] != 'XDP_DROP' and NEED[op](length, n) > buf_len:
            want.append({'action': 'XDP_DROP'})
        else:
            want.append(k)
    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])
    vdevs = ['net_pcap0,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s' %
             (pin, os.path.join(work, 'app_tx.pcap'), os.path.join(work, 'xdp_tx.pcap')),
             'net_uxdp0,dev=net_pcap0,prog=' + obj,
             'net_pcap1,rx_pcap=%s,tx_pcap=%s' % (empty, os.path.join(work, 'passed.pcap'))]
    prefix = 'uxdp_geom_%s_%d' % (name, os.getpid())
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs),
                    ['--rxq=1', '--txq=1', '--mbuf-size=%d' % mbuf_size])
    if not f.check(pmd.ready, '%s: testpmd did not start:\n%s' % (name, pmd.output())):
        pmd.quit()
        return
    base = t.mbufs_in_use(pmd)
    pmd.cmd('set fwd io')
    pmd.cmd('start')
    keys = ('xdp_pass', 'xdp_drop', 'xdp_tx', 'xdp_aborted', 'xdp_nonlinear_drops')
    xs = t.wait_for(lambda: (lambda x: x if sum(x[k] for k in keys) >= len(frames)
                             else None)(t.xstats(prefix, 1)))
    n_pass = sum(w['action'] == 'XDP_PASS' for w in want)
    t.wait_for(lambda: t.xstats(prefix, 2)['tx_good_packets'] >= n_pass, timeout=10)
    pmd.cmd('stop')
    errors = t.telemetry(prefix, '/uxdp/map_dump,1,helper_errors')
    f.equal(t.mbufs_in_use(pmd), base, '%s: mbufs in use back to the baseline (%s)'
            % (name, base))
    f.equal(pmd.quit(), 0, '%s: testpmd exit code' % name)

    def defined(hexdata, op, n):
        """What of an output frame is defined: headroom a program exposes
        without writing it (op META_PUSH) holds whatever the buffer held
        there (zeros in the kernel's fresh test frame)."""
        if op == META_PUSH:
            hexdata = 'x' * (2 * n) + hexdata[2 * n:]
        return '%d:%s' % (len(hexdata) // 2,
                          hashlib.sha1(hexdata.encode()).hexdigest()[:12])

    def out(action):
        return [defined(w['data'], c[0], c[1])
                for w, c in zip(want, cs) if w['action'] == action]

    def got(pcap, action):
        ops = [c for w, c in zip(want, cs) if w['action'] == action]
        frames = t.read_pcap(os.path.join(work, pcap))
        return [defined(p.hex(), c[0], c[1]) for p, c in zip(frames, ops)] + \
            ['extra frame of %d bytes' % len(p) for p in frames[len(ops):]]
    f.equal(got('passed.pcap', 'XDP_PASS'), out('XDP_PASS'),
            '%s: frames passed (length:digest)' % name)
    f.equal(got('xdp_tx.pcap', 'XDP_TX'), out('XDP_TX'),
            '%s: frames sent back by XDP_TX (length:digest)' % name)
    n_fail = sum(w['action'] == 'XDP_DROP' for w in want)
    counters = {k: xs[k] for k in keys} if xs else None
    f.equal(counters, {'xdp_pass': n_pass, 'xdp_drop': n_fail,
                       'xdp_tx': len(out('XDP_TX')), 'xdp_aborted': 0,
                       'xdp_nonlinear_drops': 0}, '%s: verdict counters' % name)
    f.equal(int.from_bytes(bytes.fromhex(errors['values'][0]), 'little')
            if errors.get('values') else 0, n_fail,
            '%s: helper_errors counts every failed helper' % name)
    diverge = sum(w is not k for w, k in zip(want, kern))
    f.equal(xs.get('xdp_room_misses') if xs else None, diverge,
            '%s: xdp_room_misses counts the helpers that failed for lack of '
            'mbuf room' % name)
    print('%s: %d frames, mbuf data room %d: %d as the kernel, %d failed for '
          'lack of buffer; %s mbufs in use before and after'
          % (name, len(frames), mbuf_size, len(frames) - diverge, diverge, base),
          flush=True)


def main():
    f = t.Failures('geometry')
    sweep(f)
    # buf_len equals testpmd's --mbuf-size (the data room, headroom included)
    run(f, 'kernel_frame', 4224, 4224)
    run(f, 'default_mbufs', 2176, 2176)
    run(f, 'small_mbufs', 512, 512)
    f.finish()


if __name__ == '__main__':
    main()
