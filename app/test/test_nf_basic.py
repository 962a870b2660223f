#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""End to end in stock dpdk-testpmd for the basic network functions of
xdp_progs (doc/nf/): xdp_pass, xdp_tx_swap, xdp_drop, counter, length,
csum, hash_sum, xdping and adjust_tail.

Each case: a pcap through net_pcap -> net_uxdp (the NF) -> testpmd io
forwarding, configuration through map_update= devargs and/or uxdp-ctl
map updates made before forwarding starts. uxdp-run predicts, from the
same pcap and the same map updates, every frame's fate and bytes and the
final maps; the test checks the frames testpmd forwarded (XDP_PASS) and
the frames sent back out of the sub-port (XDP_TX) byte for byte, the
verdict xstats, every map of the program read back over telemetry, the
verdict counts each case is built to produce, and the mbuf pool back at
its baseline.

Topology:
  net_pcap0 (rx in.pcap; tx queue 0 app, 1 XDP_TX)  owned by net_uxdp0
  net_uxdp0  (port 1)  <-io fwd->  net_pcap1 (port 2, tx -> passed.pcap)
"""

import os
import struct
import subprocess
import sys

from scapy.all import ARP, Dot1Q, Ether, ICMP, IP, IPv6, Raw, TCP, UDP
from scapy.layers.inet import IPOption_NOP

import uxdp_testlib as t

CTL = os.path.join(t.BUILD, 'app', 'uxdp-ctl', 'uxdp-ctl')
MAC_A, MAC_B = '02:00:00:00:00:0a', '02:00:00:00:00:0b'
IP_A, IP_B = '192.0.2.10', '198.51.100.20'
PORT = 1          # net_uxdp's port id (the sub-port 0 is hidden)
VERDICT_XSTATS = ('xdp_pass', 'xdp_drop', 'xdp_tx', 'xdp_aborted',
                  'xdp_redirect', 'xdp_tx_errors', 'xdp_redirect_errors',
                  'xdp_nonlinear_drops')


class Case:
    """One testpmd run: prog over frames, maps configured by devargs
    (map_update=MAP:KEY:VALUE) and by uxdp-ctl before forwarding
    (ctl_updates: (map, keyhex, valuehex)); expect: the verdict counts
    the frames are built to give; verify(f, case, preds, maps): checks of
    the program's own spec, independent of uxdp-run."""

    def __init__(self, name, prog, frames, expect, devarg_updates=(),
                 ctl_updates=(), verify=None):
        self.name = name
        self.verify = verify
        self.prog = prog
        self.frames = frames
        self.expect = expect
        self.devarg_updates = list(devarg_updates)
        self.ctl_updates = list(ctl_updates)


def eth():
    return Ether(src=MAC_A, dst=MAC_B)


def ip(**kw):
    return IP(src=IP_A, dst=IP_B, **kw)


def mixed_frames():
    """Everyday traffic: TCP, UDP, ICMP, IPv6, ARP, VLAN, a runt."""
    return [bytes(eth() / ip() / TCP(dport=80, flags='S')),
            bytes(eth() / ip() / UDP(dport=53) / Raw(b'q' * 30)),
            bytes(eth() / ip() / ICMP(id=1, seq=1) / Raw(b'ping')),
            bytes(eth() / IPv6(src='2001:db8::a', dst='2001:db8::b') / UDP(dport=9)),
            bytes(Ether(src=MAC_A, dst='ff:ff:ff:ff:ff:ff') / ARP(psrc=IP_A, pdst=IP_B)),
            bytes(eth() / Dot1Q(vlan=7) / ip() / UDP(dport=7) / Raw(b'v' * 10)),
            bytes(eth() / ip() / UDP(dport=9) / Raw(bytes(range(256)) * 5)),
            bytes(eth())[:12]]


def drop_case():
    tcp = [bytes(eth() / ip() / TCP(dport=22, flags='S')),
           bytes(eth() / ip() / TCP(dport=443, flags='PA') / Raw(b'd' * 100)),
           bytes(eth() / Dot1Q(vlan=3) / ip() / TCP(dport=80)),
           bytes(eth() / IPv6(src='2001:db8::a', dst='2001:db8::b') / TCP(dport=80)),
           bytes(eth() / ip(options=[IPOption_NOP()] * 4) / TCP(dport=25))]
    not_tcp = [bytes(eth() / ip() / TCP(dport=80, dataofs=4)),
               bytes(eth() / ip(frag=10, proto=6) / Raw(bytes(40))),
               bytes(eth() / ip() / TCP(dport=80))[:14 + 20 + 12]]
    frames = mixed_frames() + tcp + not_tcp
    n_tcp_in_mixed = 1
    return Case('xdp_drop', 'xdp_drop', frames,
                {'XDP_DROP': len(tcp) + n_tcp_in_mixed,
                 'XDP_PASS': len(frames) - len(tcp) - n_tcp_in_mixed})


def csum_case():
    good = [bytes(eth() / ip() / UDP(dport=1)),
            bytes(eth() / ip(options=[IPOption_NOP()] * 8) / UDP(dport=2)),
            bytes(eth() / Dot1Q(vlan=5) / ip() / TCP())]
    bad = [bytes(eth() / ip(chksum=0x1234) / UDP(dport=3)),
           bytes(eth() / ip(options=[IPOption_NOP()] * 8, chksum=1) / UDP(dport=4)),
           bytes(eth() / ip() / UDP())[:14 + 16]]    # header cut: dropped
    other = [bytes(eth() / IPv6(src='2001:db8::a', dst='2001:db8::b') / UDP()),
             bytes(Ether(src=MAC_A, dst='ff:ff:ff:ff:ff:ff') / ARP()), bytes(eth())[:10]]
    return Case('csum', 'csum', good + bad + other,
                {'XDP_PASS': len(good) + len(other), 'XDP_DROP': len(bad)})


def xdping_case():
    reqs = [bytes(eth() / ip() / ICMP(type=8, id=7, seq=i) / Raw(b'x' * (i * 9)))
            for i in range(4)]
    reqs.append(bytes(eth() / ip(options=[IPOption_NOP()] * 4) /
                      ICMP(type=8, id=8, seq=1) / Raw(b'opt')))
    reqs.append(bytes(eth() / ip() / ICMP(type=8, id=9, seq=2, chksum=0xbeef)))
    others = [bytes(eth() / ip() / ICMP(type=0, id=7, seq=1)),
              bytes(eth() / ip(flags='MF') / ICMP(type=8)),
              bytes(eth() / Dot1Q(vlan=2) / ip() / ICMP(type=8)),
              bytes(eth() / ip() / UDP(dport=7))]
    return Case('xdping', 'xdping', reqs + others,
                {'XDP_TX': len(reqs), 'XDP_PASS': len(others)})


def big_frames():
    """(frames, how many adjust_tail answers at 600 bytes, at 200 bytes
    with df_only): over and under the limits, with and without DF."""
    frames, at600, at200df = [], 0, 0
    for n in (150, 200, 201, 600, 601, 1000, 1500):
        for df in (False, True):
            frames.append(bytes(eth() / ip(flags='DF' if df else 0) / UDP(dport=9) /
                                Raw(bytes(i & 0xff for i in range(n - 42)))))
            at600 += n > 600
            at200df += n > 200 and df
    # over both limits, never answered: a later fragment, an ICMP error
    frames.append(bytes(eth() / ip(flags='DF', frag=50, proto=17) / Raw(bytes(900))))
    frames.append(bytes(eth() / ip(flags='DF') / ICMP(type=3, code=3) / Raw(bytes(900))))
    return frames, at600, at200df


def tail_cfg(max_len, df_only):
    return struct.pack('<II', max_len, df_only).hex()


def adjust_tail_cases():
    frames, at600, at200df = big_frames()
    n = len(frames)
    return [Case('adjust_tail', 'adjust_tail', frames,
                 {'XDP_TX': at600, 'XDP_PASS': n - at600}),
            Case('adjust_tail_devarg', 'adjust_tail', frames,
                 {'XDP_TX': at200df, 'XDP_PASS': n - at200df},
                 devarg_updates=['adjust_tail_cfg:00000000:' + tail_cfg(200, 1)]),
            # uxdp-ctl overrides the devarg before forwarding starts
            Case('adjust_tail_ctl', 'adjust_tail', frames,
                 {'XDP_TX': at200df, 'XDP_PASS': n - at200df},
                 devarg_updates=['adjust_tail_cfg:00000000:' + tail_cfg(1400, 0)],
                 ctl_updates=[('adjust_tail_cfg', '00000000', tail_cfg(200, 1))])]


def length_case():
    frames = mixed_frames() + [bytes(eth() / ip() / UDP() / Raw(bytes(18)))] * 3
    seed = struct.pack('<QQ', 500, 0).hex()
    return Case('length', 'length', frames, {'XDP_PASS': len(frames)},
                devarg_updates=['length_hist:3c000000:' + seed],
                ctl_updates=[('length_hist', '39050000', struct.pack('<QQ', 41, 0).hex())])


def fnv1a32(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


def verify_hash_sum(f, case, preds, maps):
    """The metadata is {FNV-1a, byte sum} of the bytes after the
    Ethernet header (at most 1536), host order; runts get none."""
    for i, (frame, p) in enumerate(zip(case.frames, preds)):
        payload = frame[14:14 + 1536]
        want = '' if len(frame) < 14 else \
            struct.pack('<II', fnv1a32(payload), sum(payload)).hex()
        f.equal(p['meta'], want, 'hash_sum: frame %d: metadata digest' % i)


def verify_counter(f, case, preds, maps):
    """The shared total equals the per-CPU classes summed, and both
    equal the frames and bytes sent."""
    if maps is None:
        return
    want = (len(case.frames), sum(len(x) for x in case.frames))
    total = [struct.unpack('<QQ', bytes.fromhex(v)) for _, v in maps['total_stats']]
    f.equal(total, [want], 'counter: total_stats = frames and bytes sent')
    classes = [struct.unpack('<QQ', bytes.fromhex(v))
               for _, slots in maps['class_stats'] for v in slots]
    f.equal((sum(c[0] for c in classes), sum(c[1] for c in classes)), want,
            'counter: class_stats summed over classes and lcores')


def verify_length(f, case, preds, maps):
    """length_hist is the histogram of the frames on top of the seeds."""
    if maps is None:
        return
    want = {}
    for u in case.devarg_updates + ['%s:%s:%s' % c for c in case.ctl_updates]:
        _, k, v = u.split(':')
        want[int.from_bytes(bytes.fromhex(k), 'little')] = struct.unpack('<QQ', bytes.fromhex(v))[0]
    for frame in case.frames:
        want[len(frame)] = want.get(len(frame), 0) + 1
    got = {int.from_bytes(bytes.fromhex(k), 'little'): struct.unpack('<QQ', bytes.fromhex(v))[0]
           for k, v in maps['length_hist']}
    f.equal(got, want, 'length: length_hist is the histogram of the frames plus the seeds')


def all_cases():
    mixed = mixed_frames()
    n = len(mixed)
    length = length_case()
    length.verify = verify_length
    return [Case('xdp_pass', 'xdp_pass', mixed, {'XDP_PASS': n}),
            Case('xdp_tx_swap', 'xdp_tx_swap', mixed, {'XDP_TX': n - 1, 'XDP_DROP': 1}),
            drop_case(),
            Case('counter', 'counter', mixed, {'XDP_PASS': n}, verify=verify_counter),
            length,
            csum_case(),
            Case('hash_sum', 'hash_sum', mixed, {'XDP_PASS': n}, verify=verify_hash_sum),
            xdping_case()] + adjust_tail_cases()


def ctl(prefix, *args):
    out = subprocess.run(['/usr/bin/python3', CTL, '-f', prefix] + list(args),
                         capture_output=True, text=True, timeout=60)
    return out.returncode, out.stdout, out.stderr


def nonzero(hexs):
    return any(c != '0' for c in hexs)


def predicted_maps(dump):
    """uxdp-run's --dump-maps, comparable: per-CPU entries as their
    non-zero slots (uxdp-run writes slot 0, testpmd's forwarding lcore
    its own), zero array entries left out on both sides."""
    out = {}
    for name, entries in dump.items():
        rows = set()
        for e in entries:
            if 'values' in e:
                slots = tuple(v for v in e['values'] if nonzero(v))
                if slots:
                    rows.add((e['key'], slots))
            else:
                rows.add((e['key'], e['value']))
        out[name] = rows
    return out


def telemetry_maps(prefix, port):
    """Every map of the port's program over telemetry, all pages, in the
    shape of predicted_maps()."""
    maps = t.telemetry(prefix, '/uxdp/maps,%d' % port)
    out = {}
    for i, name in enumerate(maps['name']):
        array = 'array' in maps['type'][i]
        rows, cursor = set(), 0
        while cursor >= 0:
            page = t.telemetry(prefix, '/uxdp/map_dump,%d,%s,%d,512' % (port, name, cursor))
            if 'keys' not in page:
                raise RuntimeError('map_dump %s: %s' % (name, page))
            for j, key in enumerate(page['keys']):
                if 'cpus' in page:
                    slots = tuple(page['values_cpu%d' % c][j] for c in page['cpus'])
                    slots = tuple(v for v in slots if nonzero(v))
                    if slots:
                        rows.add((key, slots))
                elif not array or nonzero(page['values'][j]):
                    rows.add((key, page['values'][j]))
            cursor = page['next_cursor']
        out[name] = rows
    return out


def run_case(f, case):
    name = case.name
    work = t.private_dir('nf-%s' % name)
    plugin = t.stage_plugin(work)
    obj = t.prog_obj(case.prog)
    pin = os.path.join(work, 'in.pcap')
    t.write_pcap(pin, case.frames)
    ups = [a for u in case.devarg_updates for a in ('--map-update', u)]
    ups += [a for m, k, v in case.ctl_updates
            for a in ('--map-update', '%s:%s:%s' % (m, k, v))]
    rc, lines, err = t.uxdp_run(obj, pin, ups + ['--dump-maps'])
    if not f.check(rc == 0 and len(lines) == len(case.frames) + 1 and 'maps' in lines[-1],
                   '%s: uxdp-run: rc %d, %d lines: %s' % (name, rc, len(lines), err)):
        return
    preds, want_maps = lines[:-1], predicted_maps(lines[-1]['maps'])
    acts = {}
    for p in preds:
        acts[p['action']] = acts.get(p['action'], 0) + 1
    f.equal(acts, case.expect, '%s: predicted verdicts are the ones the frames are built for'
            % name)

    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])
    pcap0 = ','.join(['net_pcap0', 'rx_pcap=' + pin,
                      'tx_pcap=' + os.path.join(work, 'app_tx.pcap'),
                      'tx_pcap=' + os.path.join(work, 'xdp_tx.pcap')])
    pcap1 = ','.join(['net_pcap1', 'rx_pcap=' + empty,
                      'tx_pcap=' + os.path.join(work, 'passed.pcap')])
    uxdp0 = 'net_uxdp0,dev=net_pcap0,prog=' + obj + \
        ''.join(',map_update=' + u for u in case.devarg_updates)
    prefix = 'uxdp_nf_%s_%d' % (name, os.getpid())
    pmd = t.Testpmd(t.eal_args(prefix, plugin, [pcap0, uxdp0, pcap1]))
    if not f.check(pmd.ready, '%s: testpmd did not start:\n%s' % (name, pmd.output())):
        pmd.quit()
        return
    for m, k, v in case.ctl_updates:
        rc, out, err = ctl(prefix, 'map', 'update', m, 'key', 'hex', k, 'value', 'hex', v)
        f.check(rc == 0, '%s: uxdp-ctl map update %s: rc %d %s' % (name, m, rc, err))
        rc, out, err = ctl(prefix, 'map', 'lookup', m, 'key', 'hex', k)
        f.check(rc == 0 and v in out.replace(' ', ''),
                '%s: uxdp-ctl map lookup %s shows the update: %s %s' % (name, m, out, err))
    pmd.cmd('set fwd io')
    in_use = t.mbufs_in_use(pmd)
    pmd.cmd('start')
    n_total = len(case.frames)
    xs = t.wait_for(lambda: (lambda x: x if sum(x[k] for k in VERDICT_XSTATS) >= n_total
                             else None)(t.xstats(prefix, PORT)), timeout=20)
    n_pass = sum(1 for p in preds if p['action'] == 'XDP_PASS')
    t.wait_for(lambda: t.xstats(prefix, 2)['tx_good_packets'] >= n_pass, timeout=10)
    pmd.cmd('stop')
    f.equal(t.mbufs_in_use(pmd), in_use, '%s: mbufs in use back to baseline' % name)
    try:
        got_maps = telemetry_maps(prefix, PORT)
    except (RuntimeError, KeyError, OSError) as e:
        got_maps = None
        f.check(False, '%s: reading the maps over telemetry: %s' % (name, e))
    rc = pmd.quit()
    f.equal(rc, 0, '%s: testpmd exit code' % name)

    if got_maps is not None:
        f.equal(sorted(got_maps), sorted(want_maps), '%s: map names' % name)
        for m in want_maps:
            f.equal(sorted(got_maps.get(m, ())), sorted(want_maps[m]),
                    '%s: map %s after the run equals uxdp-run\'s prediction' % (name, m))
    by = {}
    for i, p in enumerate(preds):
        by.setdefault(p['action'], []).append(p['data'])
    passed = [p.hex() for p in t.read_pcap(os.path.join(work, 'passed.pcap'))]
    f.equal(passed, by.get('XDP_PASS', []), '%s: frames passed to testpmd' % name)
    txed = [p.hex() for p in t.read_pcap(os.path.join(work, 'xdp_tx.pcap'))]
    f.equal(txed, by.get('XDP_TX', []), '%s: frames sent back by XDP_TX' % name)
    f.equal(len(t.read_pcap(os.path.join(work, 'app_tx.pcap'))), 0,
            '%s: nothing on the app TX queue' % name)
    want_x = {k: 0 for k in VERDICT_XSTATS}
    for act, key in (('XDP_PASS', 'xdp_pass'), ('XDP_DROP', 'xdp_drop'),
                     ('XDP_TX', 'xdp_tx'), ('XDP_ABORTED', 'xdp_aborted')):
        want_x[key] = len(by.get(act, []))
    if f.check(xs is not None, '%s: counters never reached %d frames' % (name, n_total)):
        f.equal({k: xs[k] for k in VERDICT_XSTATS}, want_x, '%s: verdict xstats' % name)
    if case.verify:
        case.verify(f, case, preds, got_maps)
    print('%-20s %2d frames: %s; maps %s' %
          (name, n_total, ', '.join('%s %d' % kv for kv in sorted(acts.items())),
           ', '.join(sorted(want_maps))), flush=True)


def main():
    if not os.access(t.TESTPMD, os.X_OK):
        t.skip('no dpdk-testpmd at %s' % t.TESTPMD)
    f = t.Failures('nf_basic')
    for case in all_cases():
        run_case(f, case)
    f.finish()


if __name__ == '__main__':
    sys.exit(main())
