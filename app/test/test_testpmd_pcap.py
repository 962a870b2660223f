#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""End to end in Debian's stock dpdk-testpmd: net_pcap in -> net_uxdp ->
program -> every packet's fate checked against what uxdp-run predicts for
the same pcap, and the verdict xstats against the same predictions, for
verdicts, head/tail adjustment, demo_nf (with const= settings) and a
tail-call chain; after each run the mbuf pool's in-use count is back to
its baseline.

Topology (io forwarding between the two ports testpmd sees):
  net_pcap0 (rx in.pcap; tx queues -> one file each)  owned by net_uxdp0
  net_uxdp0  (port 1)  <-io fwd->  net_pcap1 (port 2, tx -> passed.pcap)
XDP_PASS frames reach testpmd and leave through net_pcap1; XDP_TX frames
leave through net_pcap0's XDP_TX queue; the rest must be counted, not seen.
"""

import json
import os
import sys

from scapy.all import IP, TCP, UDP, Ether, ICMP, Raw
from scapy.layers.inet6 import IPv6

import uxdp_testlib as t

ETH_VERDICT = 0x88B5  # verdict_from_pkt: first payload byte is the verdict
ETH_ADJUST = 0x88B6   # adjust_head_tail: op, amount
MAC_A, MAC_B = '02:00:00:00:00:0a', '02:00:00:00:00:0b'
JUMBO_LEN = 3000      # larger than testpmd's 2048-byte mbufs: multi-segment


def verdict_frames():
    out = []
    for v in (2, 1, 3, 0, 4, 5, 7, 255, 3, 2, 1, 3):
        out.append(bytes(Ether(src=MAC_A, dst=MAC_B, type=ETH_VERDICT) /
                         Raw(bytes([v]) + b'verdict' * 6)))
    out.append(bytes(Ether(src=MAC_A, dst=MAC_B, type=ETH_VERDICT)))  # 14 B
    out.append(bytes(Ether(src=MAC_A, dst=MAC_B) / IP() / TCP() / Raw(b'x' * 20)))
    out.append(bytes(Ether(src=MAC_A, dst=MAC_B) / IP() / UDP() / Raw(b'y' * 60)))
    return out


def adjust_frames():
    # Amounts inside DPDK's 128-byte mbuf headroom and 2048-byte data room,
    # where the PMD's geometry equals uxdp-run's kernel geometry.
    out = []
    for op, n in ((1, 8), (1, 64), (2, 4), (2, 20), (3, 4), (3, 16), (4, 4),
                  (4, 40), (5, 4), (5, 32), (5, 3)):
        out.append(bytes(Ether(src=MAC_A, dst=MAC_B, type=ETH_ADJUST) /
                         Raw(bytes([op, n]) + bytes(range(64)))))
    return out


def demo_frames():
    eth = Ether(src=MAC_A, dst=MAC_B)
    return [bytes(eth / IP(src='10.1.0.2', dst='10.1.0.1') / ICMP(seq=i) / Raw(b'p' * i))
            for i in range(4)] + \
        [bytes(eth / IP() / UDP(dport=53)), bytes(eth / IP() / TCP()),
         bytes(eth)[:12]]


def demo_const_frames():
    """UDP to the configured port and to others, over IPv4 and IPv6."""
    eth = Ether(src=MAC_A, dst=MAC_B)
    return [bytes(eth / IP() / UDP(dport=53) / Raw(b'q' * 20)),
            bytes(eth / IP() / UDP(dport=54) / Raw(b'q' * 20)),
            bytes(eth / IPv6() / UDP(dport=53)),
            bytes(eth / IPv6() / UDP(dport=5353)),
            bytes(eth / IP() / UDP(dport=53 << 8)),  # byte-swapped port
            bytes(eth / IP(src='10.1.0.2', dst='10.1.0.1') / ICMP()),
            bytes(eth / IP() / TCP(dport=53))]


def check_const_matters(f):
    """Without the setting demo_nf drops all UDP; with drop_udp_dport=53
    only port 53: the predictions must show the difference, else the
    const case would prove nothing."""
    work = t.private_dir('e2e-const-pred')
    pin = os.path.join(work, 'in.pcap')
    t.write_pcap(pin, demo_const_frames())
    obj = t.prog_obj('demo_nf')
    _, plain, _ = t.uxdp_run(obj, pin)
    rc, with_set, err = t.uxdp_run(obj, pin, ['--set', 'drop_udp_dport=53'])
    f.equal([p['action'] for p in plain][:5], ['XDP_DROP'] * 5,
            'demo_nf drops all UDP by default')
    f.equal([p['action'] for p in with_set][:5],
            ['XDP_DROP', 'XDP_PASS', 'XDP_DROP', 'XDP_PASS', 'XDP_PASS'],
            'uxdp-run --set drop_udp_dport=53 (rc %d %s)' % (rc, err))


def fates(preds):
    by = {}
    for i, p in enumerate(preds):
        by.setdefault(p['action'], []).append(i)
    return by


def check_map_dump_btf(f, name, prefix, port):
    """map_dump with 'btf': the hex columns as without it, plus keys_btf and
    values_btf, one JSON text per entry ("null" when too long), integers
    equal to the hex they format."""
    maps = t.telemetry(prefix, '/uxdp/maps,%d' % port)
    for i, m in enumerate(maps['name']):
        if 'percpu' in maps['type'][i] or maps['key_size'][i] == 0 or \
                maps['value_size'][i] > 63:
            continue
        plain = t.telemetry(prefix, '/uxdp/map_dump,%d,%s' % (port, m))
        fmt = t.telemetry(prefix, '/uxdp/map_dump,%d,%s,0,64,btf' % (port, m))
        if not f.check('keys_btf' in fmt and 'keys_btf' not in plain,
                       '%s: map_dump %s btf: %s' % (name, m, fmt)):
            continue
        f.equal([fmt['keys'], fmt['values']], [plain['keys'], plain['values']],
                '%s: map_dump %s: hex unchanged by btf' % (name, m))
        for col in ('keys', 'values'):
            for hexs, text in zip(fmt[col], fmt[col + '_btf']):
                v = json.loads(text)
                if isinstance(v, int) and not isinstance(v, bool):
                    f.equal(v % (1 << (4 * len(hexs))),
                            int.from_bytes(bytes.fromhex(hexs), 'little'),
                            '%s: map_dump %s: %s %s' % (name, m, col, text))
    if not maps['name']:
        return
    bad = t.telemetry(prefix, '/uxdp/map_dump,%d,%s,0,64,xml' % (port, maps['name'][0]))
    f.check('error' in bad and 'format' in bad['error'],
            '%s: map_dump with a bad format: %s' % (name, bad))


def run_case(f, name, prog, frames, nb_queues=1, dedicated=True, consts=()):
    """One testpmd run. Frames are dealt round-robin over nb_queues pcap
    RX queues; each queue's fates are predicted by uxdp-run separately.
    consts: NAME=VALUE settings, given to uxdp-run as --set and to the
    PMD as const=NAME:VALUE devargs."""
    set_args = [a for c in consts for a in ('--set', c)]
    work = t.private_dir('e2e-%s' % name)
    plugin = t.stage_plugin(work)
    obj = t.prog_obj(prog)
    queues = [frames[q::nb_queues] for q in range(nb_queues)]
    preds = []
    for q, qframes in enumerate(queues):
        pin = os.path.join(work, 'in%d.pcap' % q)
        t.write_pcap(pin, qframes)
        rc, lines, err = t.uxdp_run(obj, pin, ['--rxq', str(q)] + set_args)
        if not f.check(rc == 0 and len(lines) == len(qframes),
                       '%s: uxdp-run on queue %d: rc %d, %d lines: %s'
                       % (name, q, rc, len(lines), err)):
            return
        preds.append(lines)
    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])
    # App TX queues first, then (dedicated) one XDP_TX queue per RX queue.
    n_tx = 2 * nb_queues if dedicated else nb_queues
    pcap0 = ['net_pcap0'] + ['rx_pcap=' + os.path.join(work, 'in%d.pcap' % q)
                             for q in range(nb_queues)] + \
        ['tx_pcap=' + os.path.join(work, 'sub_tx%d.pcap' % q) for q in range(n_tx)]
    pcap1 = ['net_pcap1'] + ['rx_pcap=' + empty] * nb_queues + \
        ['tx_pcap=' + os.path.join(work, 'passed%d.pcap' % q) for q in range(nb_queues)]
    uxdp0 = 'net_uxdp0,dev=net_pcap0,prog=' + obj + \
        ''.join(',const=' + c.replace('=', ':', 1) for c in consts)
    vdevs = [','.join(pcap0), uxdp0, ','.join(pcap1)]
    prefix = 'uxdp_e2e_%s_%d' % (name, os.getpid())
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs),
                    ['--rxq=%d' % nb_queues, '--txq=%d' % nb_queues])
    if not f.check(pmd.ready, '%s: testpmd did not start:\n%s' % (name, pmd.output())):
        pmd.quit()
        return
    summary = pmd.cmd('show port summary all')
    f.check('Number of available ports: 2' in summary,
            '%s: testpmd sees 2 ports:\n%s' % (name, summary))
    f.equal(t.telemetry(prefix, '/uxdp/list')['port'], [1], '%s: /uxdp/list' % name)
    f.equal(t.telemetry(prefix, '/ethdev/list'), [1, 2],
            '%s: ports the app sees (sub-port 0 hidden)' % name)
    pmd.cmd('set fwd io')
    in_use = t.mbufs_in_use(pmd)
    pmd.cmd('start')
    n_total = len(frames)

    def all_seen():
        x = t.xstats(prefix, 1)
        return x if sum(x[k] for k in ('xdp_pass', 'xdp_drop', 'xdp_tx', 'xdp_aborted',
                                        'xdp_nonlinear_drops',
                                        'xdp_redirect_errors')) >= n_total else None
    xs = t.wait_for(all_seen, timeout=20)
    # The io forwarding of PASSed frames to port 2 happens in the same poll.
    t.wait_for(lambda: t.xstats(prefix, 2)['tx_good_packets'] >=
               sum(len(fates(p).get('XDP_PASS', [])) for p in preds), timeout=10)
    pmd.cmd('stop')
    f.equal(t.mbufs_in_use(pmd), in_use, '%s: mbufs in use back to baseline' % name)
    check_map_dump_btf(f, name, prefix, 1)
    shown = pmd.cmd('show port xstats 1')
    rc = pmd.quit()
    f.equal(rc, 0, '%s: testpmd exit code' % name)

    want = {'xdp_pass': 0, 'xdp_drop': 0, 'xdp_tx': 0, 'xdp_aborted': 0,
            'xdp_tx_errors': 0, 'xdp_nonlinear_drops': 0,
            'xdp_redirect': 0, 'xdp_redirect_errors': 0}
    for q, qpreds in enumerate(preds):
        by = fates(qpreds)
        jumbo = [i for i in range(len(queues[q])) if len(queues[q][i]) > 2048]
        for a in list(by):
            by[a] = [i for i in by[a] if i not in jumbo]
        want['xdp_nonlinear_drops'] += len(jumbo)
        want['xdp_pass'] += len(by.get('XDP_PASS', []))
        want['xdp_drop'] += len(by.get('XDP_DROP', []))
        want['xdp_tx'] += len(by.get('XDP_TX', []))
        # XDP_REDIRECT without bpf_redirect*(): no target, a redirect error
        want['xdp_redirect_errors'] += len(by.get('XDP_REDIRECT', []))
        want['xdp_aborted'] += sum(len(v) for k, v in by.items()
                                   if k not in ('XDP_PASS', 'XDP_DROP', 'XDP_TX',
                                                'XDP_REDIRECT'))
        passed = t.read_pcap(os.path.join(work, 'passed%d.pcap' % q))
        f.equal([p.hex() for p in passed],
                [qpreds[i]['data'] for i in by.get('XDP_PASS', [])],
                '%s q%d: frames passed to testpmd' % (name, q))
        txq = nb_queues + q if dedicated else q
        txed = t.read_pcap(os.path.join(work, 'sub_tx%d.pcap' % txq))
        f.equal([p.hex() for p in txed],
                [qpreds[i]['data'] for i in by.get('XDP_TX', [])],
                '%s q%d: frames sent back by XDP_TX' % (name, q))
        if dedicated:
            app_tx = t.read_pcap(os.path.join(work, 'sub_tx%d.pcap' % q))
            f.equal(len(app_tx), 0, '%s q%d: nothing on the app TX queue' % (name, q))
    if f.check(xs is not None, '%s: counters never reached %d packets' % (name, n_total)):
        for k, v in want.items():
            f.equal(xs[k], v, '%s: xstat %s' % (name, k))
        f.equal(xs.get('sub_rx_good_packets'), n_total,
                '%s: sub-port received (sub_ xstats forwarded)' % name)
    for k in ('xdp_pass', 'xdp_drop', 'xdp_tx', 'xdp_aborted', 'xdp_tx_errors'):
        f.check(k in shown, '%s: testpmd "show port xstats" lists %s' % (name, k))
    print('%s: %d frames, %s' % (name, n_total, want), flush=True)


def tail_call_frames():
    """One frame per path of tail_calls' dispatcher: TCP (slot 0, XDP_TX),
    UDP through the two-stage chain from a subprogram (DNS dropped, other
    UDP passed), ICMP (empty slot), protocol 253 (33 chained calls of one
    program), protocol 254 (slot beyond the array) and IPv6 (no call)."""
    ip = IP(src='192.0.2.1', dst='198.51.100.1')
    eth = Ether(src=MAC_A, dst=MAC_B)
    return [bytes(eth / ip / TCP(dport=80) / Raw(b't' * 10)),
            bytes(eth / ip / UDP(dport=53) / Raw(b'd' * 10)),
            bytes(eth / ip / UDP(dport=123) / Raw(b'u' * 10)),
            bytes(eth / ip / ICMP() / Raw(b'i' * 10)),
            bytes(eth / IP(src='192.0.2.1', dst='198.51.100.1', proto=253) /
                  Raw(b'\x00' + b'l' * 20)),
            bytes(eth / IP(src='192.0.2.1', dst='198.51.100.1', proto=254) /
                  Raw(b'x' * 20)),
            bytes(eth / IPv6() / UDP(dport=53) / Raw(b'6' * 10))] * 3


def main():
    f = t.Failures('testpmd_pcap')
    vf = verdict_frames()
    run_case(f, 'verdicts', 'verdict_from_pkt', vf + [
        bytes(Ether(src=MAC_A, dst=MAC_B, type=ETH_VERDICT) /
              Raw(b'\x02' + b'J' * (JUMBO_LEN - 15)))])
    run_case(f, 'shared_txq', 'verdict_from_pkt', vf, dedicated=False)
    run_case(f, 'two_queues', 'verdict_from_pkt', vf + vf, nb_queues=2)
    run_case(f, 'adjust', 'adjust_head_tail', adjust_frames())
    run_case(f, 'demo_nf', 'demo_nf', demo_frames())
    run_case(f, 'tail_calls', 'tail_calls', tail_call_frames())
    check_const_matters(f)
    # repeated: the PMD applies const= devargs in order, the last wins
    run_case(f, 'demo_nf_const', 'demo_nf', demo_const_frames(),
             consts=['drop_udp_dport=7', 'drop_udp_dport=53'])
    f.finish()


if __name__ == '__main__':
    sys.exit(main())
