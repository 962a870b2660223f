# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""End-to-end part of devtools/bench-nf.py (issue #8, item 2): Debian's
dpdk-testpmd in rxonly mode over net_pcap with infinite_rx replaying a
traffic mix (the frames of app/test/pktset.py), one forwarding lcore, for
  plain   the net_pcap port alone (no program),
  jit     net_uxdp over it, JIT,
  interp  net_uxdp over it, interpreter,
  rte_bpf the plain port with `bpf-load rx 0 0 J` (DPDK's librte_bpf, JIT),
          where the object loads there.
Mpps is the port's RX rate from `show port stats` over a measured window;
cycles per packet is the TSC rate over that: the forwarding lcore polls
without pause, so every cycle it gets is spent on packets (on a busy
machine it gets fewer, which inflates both numbers alike in one run)."""

import os
import re
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def tsc_hz():
    try:
        with open('/proc/cpuinfo') as f:
            for l in f:
                if l.startswith('cpu MHz'):
                    return float(l.split(':')[1]) * 1e6
    except OSError:
        pass
    return None


def traffic(path):
    import pktset
    frames = [c.data for c in pktset.packets() if 60 <= len(c.data) <= 1514]
    import uxdp_testlib as t
    t.write_pcap(path, frames)
    return len(frames), sum(len(f) for f in frames) / len(frames)


def has_text(obj):
    """Whether the object has code in .text, the only section testpmd's
    bpf-load asks librte_bpf for."""
    from elftools.elf.elffile import ELFFile
    with open(obj, 'rb') as f:
        sec = ELFFile(f).get_section_by_name('.text')
        return sec is not None and sec.data_size > 0


def rx_pps(out):
    m = re.findall(r'Rx-pps:\s+(\d+)', out)
    return int(m[0]) if m else None


def measure(t, plugin, pcap, config, obj, secs, seq):
    """One testpmd run; returns (Mpps, note)."""
    prefix = 'bench_e2e_%d_%d' % (os.getpid(), seq)
    pcap_vdev = 'net_pcap0,rx_pcap=%s,infinite_rx=1' % pcap
    vdevs = [pcap_vdev]
    if config in ('jit', 'interp'):
        vdevs.append('net_uxdp0,dev=net_pcap0,prog=%s,mode=%s' % (obj, config))
    eal = t.eal_args(prefix, plugin, vdevs)
    eal = [x for x in eal if not x.startswith('--log-level')] + \
        ['--log-level=*:error']
    pmd = t.Testpmd(eal, app=['--forward-mode=rxonly'], timeout=60)
    try:
        if not pmd.ready:
            return None, 'testpmd did not start: %s' % pmd.output()[-200:]
        port = '1' if config in ('jit', 'interp') else '0'
        if config == 'rte_bpf':
            out = pmd.cmd('bpf-load rx 0 0 J %s' % obj)
            if not re.search(r'\b0:Success', out):
                return None, 'bpf-load: %s' % ' '.join(out.split())[:150]
        pmd.cmd('start')
        time.sleep(0.5)
        pmd.cmd('show port stats %s' % port)
        time.sleep(secs)
        pps = rx_pps(pmd.cmd('show port stats %s' % port))
        pmd.cmd('stop')
        return (pps / 1e6 if pps else None), ''
    finally:
        pmd.quit()


def run(a, progs, targets):
    sys.path.insert(0, os.path.join(ROOT, 'app', 'test'))
    os.environ.setdefault('UXDP_BUILD_DIR', a.build)
    import uxdp_testlib as t
    work = t.private_dir('bench-e2e')
    plugin = t.stage_plugin(work)
    pcap = os.path.join(work, 'mix.pcap')
    nframes, avg_len = traffic(pcap)
    secs = 1.0 if a.quick else 3.0
    hz = tsc_hz()
    drop = os.path.join(a.build, 'devtools', 'bench', 'parse_drop.bpf.o')
    cases = [('xdp_pass', progs['xdp_pass']), ('parse_drop', drop)]
    if not a.quick:
        cases += [(n, o) for n, o in progs.items() if n != 'xdp_pass']
    rounds = 1 if a.quick else 2
    samples = {'plain': []}
    notes = {}
    seq = 0
    # Rounds interleave every configuration, so that a burst of load from
    # other work on the machine hits all of them alike.
    for rnd in range(rounds):
        seq += 1
        pps, note = measure(t, plugin, pcap, 'plain', None, secs, seq)
        samples['plain'].append(pps)
        for name, obj in cases:
            for config in ('jit', 'interp', 'rte_bpf'):
                key = (name, config)
                if config == 'rte_bpf' and not has_text(obj):
                    notes[key] = ('no .text code: testpmd bpf-load loads '
                                  'only section .text (an XDP program sits '
                                  'in its own section)')
                    samples.setdefault(key, [])
                    continue
                seq += 1
                pps, note = measure(t, plugin, pcap, config, obj, secs, seq)
                samples.setdefault(key, []).append(pps)
                if note:
                    notes[key] = note
            print('  e2e round %d %-20s %s' % (rnd + 1, name, ' '.join(
                '%s=%s' % (c, samples[(name, c)][-1:] or '-')
                for c in ('jit', 'interp', 'rte_bpf'))),
                file=sys.stderr, flush=True)

    def med(vals):
        vals = [v for v in vals if v]
        return statistics.median(vals) if vals else None
    plain = med(samples['plain'])
    note = ''
    rows = {name: {c: (med(samples[(name, c)]), notes.get((name, c), ''))
                   for c in ('jit', 'interp', 'rte_bpf')}
            for name, _ in cases}
    L = ['Traffic: %d frames of app/test/pktset.py (60..1514 B, mean %.0f B), '
         'replayed by net_pcap infinite_rx; testpmd rxonly, one forwarding '
         'lcore, %.0f s windows, median of %d rounds. Cycles per packet = TSC Hz (%s) / pps. '
         'Plain net_pcap port: %s Mpps.\n'
         % (nframes, avg_len, secs, rounds, '%.0f MHz' % (hz / 1e6) if hz else '?',
            '%.3f' % plain if plain else '- (%s)' % note)]
    L.append('Targets: XDP_PASS through net_uxdp >= %.2fx the plain port; '
             'parse-and-drop (devtools/bench/parse_drop.bpf.c, the same parse '
             'for both) >= %.2fx librte_bpf.\n'
             % (targets['pass_plain'], targets['drop_bpf']))
    L.append('| program | net_uxdp JIT Mpps | interp Mpps | librte_bpf Mpps | '
             'JIT cyc/pkt | JIT/plain | JIT/librte_bpf | notes |')
    L.append('|---|---:|---:|---:|---:|---:|---:|---|')
    verdicts = []
    for name, r in rows.items():
        jit, interp, rb = (r[c][0] for c in ('jit', 'interp', 'rte_bpf'))
        notes = '; '.join('%s: %s' % (c, r[c][1]) for c in r if r[c][1])
        cyc = hz / (jit * 1e6) if hz and jit else None
        jp = jit / plain if jit and plain else None
        jr = jit / rb if jit and rb else None
        L.append('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
            name, *('%.3f' % v if v else '-' for v in (jit, interp, rb)),
            '%.0f' % cyc if cyc else '-', '%.2f' % jp if jp else '-',
            '%.2f' % jr if jr else '-', notes.replace('|', '\\|')))
        if name == 'xdp_pass' and jp is not None:
            verdicts.append('XDP_PASS JIT/plain %.2f (target %.2f): %s' % (
                jp, targets['pass_plain'],
                'met' if jp >= targets['pass_plain'] else 'MISSED'))
        if name == 'parse_drop' and jr is not None:
            verdicts.append('parse-and-drop JIT/librte_bpf %.2f (target '
                            '%.2f): %s' % (jr, targets['drop_bpf'], 'met'
                                           if jr >= targets['drop_bpf']
                                           else 'MISSED'))
    L.append('')
    L.append('Against the targets: %s.\n' % ('; '.join(verdicts) or
                                             'not measurable in this run'))
    return L
