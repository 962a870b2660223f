#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Benchmark harness of issue #8: every xdp_progs program, found in the
build tree when the harness runs, measured in the same run by

  1. cost per run (ns): uxdp interpreter, uxdp JIT, the kernel's JIT
     (BPF_PROG_TEST_RUN) and the same C built natively as a host shared
     object with the shim header devtools/bench/native/bpf/bpf_helpers.h,
     each minus its own XDP_PASS baseline;
  2. end to end in dpdk-testpmd over net_pcap (infinite_rx): the plain
     port, net_uxdp JIT, net_uxdp interp and DPDK's librte_bpf (bpf-load)
     where the program loads there (devtools/bench_e2e.py);
  3. load time: uxdp's loader (parse, relocate, check, maps) and JIT.

Writes doc/bench/README.md (tables, machine, command, date, load average)
and doc/bench/*.png. Not a test: numbers depend on the machine and its
load. Usage:
  devtools/bench-nf.py [--build DIR] [--progs a,b] [--quick] [--out DIR]
"""

import argparse
import datetime
import glob
import importlib.util
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, 'app', 'test'))
import pktset  # noqa: E402

TARGETS = {'jit_kernel': 0.7, 'jit_native': 1.15, 'pass_plain': 0.95,
           'drop_bpf': 1.2, 'lb_load_ms': 250.0}
# Net figures below this (ns) on both sides are at the timers' resolution
# (uxdp-run and the kernel report whole ns): their ratios are not judged.
NOISE_NS = 3.0
LB_NAMES = ('l4lb', 'katran')


def load_module(name, file):
    spec = importlib.util.spec_from_file_location(name, file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


engine_bench = load_module('bench_engine', os.path.join(HERE, 'bench-engine.py'))


def run_json(cmd, timeout=600):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError('exit %d: %s' % (p.returncode,
                                            p.stderr.strip()[-300:]))
    return [json.loads(l) for l in p.stdout.splitlines() if l.startswith('{')]


def first_prog(uxdp_run, obj):
    return run_json([uxdp_run, '--list', obj])[0]['programs'][0]['name']


def build_native(src, out):
    """Host build of one program; returns None or the compiler's first
    error, which the table shows as the reason."""
    cmd = ['clang-19', '-O2', '-march=native', '-fPIC', '-shared', '-w',
           '-I' + os.path.join(HERE, 'bench', 'native'),
           '-I' + os.path.join(ROOT, 'xdp_progs', 'include'),
           '-I/usr/include/x86_64-linux-gnu', src, '-o', out]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode == 0:
        return None
    helpers = sorted(set(re.findall(r"undeclared function '(\w+)'", p.stderr)))
    if helpers:
        return 'uses %s, not in the shim' % ', '.join(helpers)
    errs = [l for l in p.stderr.splitlines() if 'error:' in l]
    why = (errs[0] if errs else p.stderr.strip()[:200]).split('error:', 1)[-1]
    return why.strip()[:120]


def median_ns(rows):
    vals = [r['ns_per_run'] for r in rows if 'ns_per_run' in r]
    if not vals:
        raise RuntimeError('no ns_per_run in the output')
    return statistics.median(vals)


def verdicts(rows):
    return [r.get('ret') for r in rows]


def per_run(a, progs, tmp, pcap):
    """Item 1: ns per run per engine, and the verdicts for a sanity check
    of the native build against the JIT."""
    b = a.build
    uxdp_run = os.path.join(b, 'app', 'uxdp-run', 'uxdp-run')
    kernel_run = os.path.join(b, 'app', 'test', 'oracle', 'uxdp-kernel-run')
    nf_bench = os.path.join(b, 'devtools', 'bench', 'nf-bench')
    rep = ['--repeat', str(a.repeat)]
    res = {}
    for name, obj in progs.items():
        r = {'notes': []}
        res[name] = r
        cmds = {'interp': [uxdp_run, '--engine', 'interp'] + rep + ['--in', pcap, obj],
                'jit': [uxdp_run, '--engine', 'jit'] + rep + ['--in', pcap, obj]}
        if not a.no_kernel:
            cmds['kernel'] = [kernel_run] + rep + ['--in', pcap, obj]
        src = os.path.join(ROOT, 'xdp_progs', name + '.c')
        so = os.path.join(tmp, name + '.so')
        why = build_native(src, so) if os.path.exists(src) else 'no source'
        if why is None:
            try:
                cmds['native'] = [nf_bench, 'native', so, obj,
                                  first_prog(uxdp_run, obj), pcap, str(a.repeat)]
            except (RuntimeError, IndexError) as e:
                r['notes'].append('native: %s' % e)
        else:
            r['notes'].append('native not built: %s' % why)
        out = {}
        for eng, cmd in cmds.items():
            try:
                out[eng] = run_json(cmd)
                r[eng] = median_ns(out[eng])
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                r[eng] = None
                why = str(e)[:160]
                if why.startswith('exit -'):
                    why = 'killed by signal %s (the shim has no maps of ' \
                        'maps; other causes are bugs)' % why[6:].split(':')[0]
                r['notes'].append('%s: %s' % (eng, why))
        if 'native' in out and 'jit' in out:
            vn, vj = verdicts(out['native']), verdicts(out['jit'])
            diff = sum(1 for x, y in zip(vn, vj) if x != y)
            if len(vn) != len(vj):
                r['notes'].append('native ran %d packets, the JIT %d'
                                  % (len(vn), len(vj)))
            elif diff:
                r['notes'].append('native verdicts differ from the JIT on %d '
                                  'of %d packets (the shim\'s helpers are not '
                                  'the kernel\'s)' % (diff, len(vj)))
        print('  %-22s %s' % (name, ' '.join(
            '%s=%s' % (k, '%.1f' % v if v is not None else '-')
            for k, v in r.items() if k != 'notes')), file=sys.stderr, flush=True)
    return res


def load_times(a, progs):
    nf_bench = os.path.join(a.build, 'devtools', 'bench', 'nf-bench')
    res = {}
    for name, obj in progs.items():
        runs = []
        err = None
        for _ in range(a.load_runs):
            try:
                runs.append(run_json([nf_bench, 'load', obj])[0])
            except RuntimeError as e:
                err = str(e)[:160]
                break
        if not runs:
            res[name] = {'error': err}
            continue
        res[name] = {k: statistics.median(r[k] for r in runs)
                     for k in ('load_ms', 'jit_ms', 'total_ms', 'insns')}
    return res


def machine():
    cpu = '?'
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(l.split(':', 1)[1].strip() for l in f
                       if l.startswith('model name'))
    except (OSError, StopIteration):
        pass
    return '%s, %d CPUs, Linux %s' % (cpu, os.cpu_count(), platform.release())


def fmt(v, nd=1):
    return '%.*f' % (nd, v) if v is not None else '-'


def paren(text, floor):
    return '(%s)' % text if floor and text != '-' else text


def ratio(x, y):
    if x is None or y is None or y <= 0.5:
        return None
    return x / y


def write_report(a, res, base, loads, e2e, meta, out):
    L = []
    L.append('# uxdp benchmarks (issue #8)\n')
    L.append('Generated by `devtools/bench-nf.py`; regenerate, do not edit.\n')
    L.append('- Date: %s' % meta['date'])
    L.append('- Machine: %s' % meta['machine'])
    L.append('- Command: `%s`' % meta['command'])
    L.append('- Load average before / after: %s / %s. **The machine is shared '
             'and busy** (other builds and tests run beside the benchmark): '
             'absolute numbers are noisy; ratios taken in the same run are '
             'what to read.' % (meta['load_before'], meta['load_after']))
    L.append('- Packets: %d frames of app/test/pktset.py; a program\'s figure '
             'is the median over packets of the mean of %d in-place runs.'
             % (meta['packets'], a.repeat))
    L.append('')
    L.append('## Method\n')
    L.append('- **interp / uxdp JIT**: `uxdp-run --repeat N`; **kernel JIT**: '
             '`uxdp-kernel-run --repeat N` (BPF_PROG_TEST_RUN, the kernel\'s '
             'JIT); each the mean of N runs on the same buffer.')
    L.append('- **native**: the same `xdp_progs/*.c` built by the host clang '
             '(`-O2 -march=native`) as a shared object, with '
             '`devtools/bench/native/bpf/bpf_helpers.h` in place of libbpf\'s: '
             'maps are uxdp maps (`uxdp_map_lookup()` & co. through a function '
             'call, where uxdp\'s JIT inlines array and hash lookups), the '
             'context is a real `struct xdp_md` over a packet mapped below '
             '4 GiB. Programs calling helpers outside the shim are listed as '
             'not built, with the helpers. Its verdicts are compared with the '
             'JIT\'s packet by packet (a note says where they differ).')
    L.append('- **end to end**: see section 2. **load**: `nf-bench load` '
             '(`uxdp_obj_load()` then `uxdp_prog_set_engine(JIT)`) in a fresh '
             'process, maps on the heap.')
    L.append('')
    L.append('## 1. Cost per run (ns), minus each engine\'s XDP_PASS baseline\n')
    L.append('Baselines (xdp_pass, ns per run): %s.\n' % ', '.join(
        '%s %s' % (k, fmt(v)) for k, v in base.items()))
    L.append('Targets: JIT <= %.2fx kernel, JIT <= %.2fx native. Ratios where '
             'both figures are below %.0f ns are at the timers\' resolution '
             '(whole ns): shown in parentheses and not judged.\n'
             % (TARGETS['jit_kernel'], TARGETS['jit_native'], NOISE_NS))
    L.append('| program | interp | uxdp JIT | kernel JIT | native | '
             'JIT/kernel | JIT/native | notes |')
    L.append('|---|---:|---:|---:|---:|---:|---:|---|')
    miss = []
    for name, r in res.items():
        if name == 'xdp_pass':
            continue
        net = {k: (r[k] - base[k]) if r.get(k) is not None and
               base.get(k) is not None else None
               for k in ('interp', 'jit', 'kernel', 'native')}
        jk = ratio(net['jit'], net['kernel'])
        jn = ratio(net['jit'], net['native'])
        # Below the noise floor on both sides no ratio means anything:
        # shown in parentheses, not judged.
        jk_floor = max(net['jit'] or 0, net['kernel'] or 0) < NOISE_NS
        jn_floor = max(net['jit'] or 0, net['native'] or 0) < NOISE_NS
        if jk is not None and not jk_floor and jk > TARGETS['jit_kernel']:
            miss.append('%s: JIT/kernel %.2f (target %.2f)' % (
                name, jk, TARGETS['jit_kernel']))
        if jn is not None and not jn_floor and jn > TARGETS['jit_native']:
            miss.append('%s: JIT/native %.2f (target %.2f)' % (
                name, jn, TARGETS['jit_native']))
        L.append('| %s | %s | %s | %s | %s | %s | %s | %s |' % (
            name, fmt(net['interp']), fmt(net['jit']), fmt(net['kernel']),
            fmt(net['native']), paren(fmt(jk, 2), jk_floor),
            paren(fmt(jn, 2), jn_floor),
            '; '.join(r['notes']).replace('|', '\\|')))
    L.append('')
    L.append('Targets missed in this run: %s.\n' % (
        '; '.join(miss) if miss else 'none'))
    L.append('## 2. End to end: testpmd over net_pcap (infinite_rx)\n')
    if e2e is None:
        L.append('Not run (--no-e2e).\n')
    else:
        L.extend(e2e)
    L.append('## 3. Load time (ms): loader (parse, relocate, check, maps) '
             'and JIT\n')
    L.append('Median of %d loads in a fresh process each. Target: the '
             'Katran-like LB (l4lb) under %.0f ms.\n'
             % (a.load_runs, TARGETS['lb_load_ms']))
    L.append('| program | insns | load | JIT | total |')
    L.append('|---|---:|---:|---:|---:|')
    for name, r in loads.items():
        if 'error' in r:
            L.append('| %s | - | - | - | error: %s |' % (name, r['error']))
            continue
        flag = ''
        if any(n in name for n in LB_NAMES):
            flag = ' (target < %.0f: %s)' % (TARGETS['lb_load_ms'],
                                            'met' if r['total_ms'] <
                                            TARGETS['lb_load_ms'] else 'MISSED')
        L.append('| %s | %d | %.2f | %.2f | %.2f%s |' % (
            name, r['insns'], r['load_ms'], r['jit_ms'], r['total_ms'], flag))
    if not any(any(n in p for n in LB_NAMES) for p in loads):
        L.append('\nNo Katran-like LB (xdp_progs/l4lb.c) in this build: its '
                 'load-time target is not measured here.')
    L.append('')
    L.append('![ns per run](ns_per_run.png)\n')
    L.append('![load time](load_time.png)\n')
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'README.md'), 'w') as f:
        f.write('\n'.join(L))


def plot(res, base, loads, out):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        print('no matplotlib: no plots', file=sys.stderr)
        return
    names = [n for n in res if n != 'xdp_pass']
    engines = ['interp', 'jit', 'kernel', 'native']
    fig, ax = plt.subplots(figsize=(max(8, len(names) * 0.7), 5))
    w = 0.2
    for i, eng in enumerate(engines):
        vals = []
        for n in names:
            v, b = res[n].get(eng), base.get(eng)
            vals.append(max(v - b, 0.1) if v is not None and b is not None
                        else 0)
        ax.bar([x + i * w for x in range(len(names))], vals, w, label=eng)
    ax.set_yscale('log')
    ax.set_ylabel('ns per run minus XDP_PASS baseline (log)')
    ax.set_xticks([x + 1.5 * w for x in range(len(names))])
    ax.set_xticklabels(names, rotation=45, ha='right')
    ax.legend()
    ax.set_title('uxdp engines vs kernel JIT vs native C (busy shared machine)')
    fig.tight_layout()
    fig.savefig(os.path.join(out, 'ns_per_run.png'), dpi=90)
    plt.close(fig)
    ok = [n for n in loads if 'error' not in loads[n]]
    fig, ax = plt.subplots(figsize=(max(8, len(ok) * 0.6), 4))
    ax.bar(ok, [loads[n]['load_ms'] for n in ok], label='loader')
    ax.bar(ok, [loads[n]['jit_ms'] for n in ok],
           bottom=[loads[n]['load_ms'] for n in ok], label='JIT')
    ax.set_ylabel('ms')
    ax.set_xticks(range(len(ok)))
    ax.set_xticklabels(ok, rotation=45, ha='right')
    ax.legend()
    ax.set_title('load time per program')
    fig.tight_layout()
    fig.savefig(os.path.join(out, 'load_time.png'), dpi=90)
    plt.close(fig)


def find_progs(build, variant, only):
    objs = {}
    for p in sorted(glob.glob(os.path.join(build, 'xdp_progs', '*.o'))):
        base = os.path.basename(p)[:-2]
        name, _, var = base.partition('.')
        if ('.' + var if var else '') != variant:
            continue
        if only and name not in only and name != 'xdp_pass':
            continue
        objs[name] = p
    if 'xdp_pass' in objs:  # the baseline first
        objs = dict([('xdp_pass', objs.pop('xdp_pass'))] + list(objs.items()))
    return objs


def loadavg():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(ROOT, 'build'))
    ap.add_argument('--progs', help='comma-separated program names (xdp_pass, '
                    'the baseline, is always run)')
    ap.add_argument('--variant', default='.v4',
                    help="BPF object variant: '' (v1), .v3 or .v4")
    ap.add_argument('--quick', action='store_true',
                    help='few packets, short repeats, one load, short e2e')
    ap.add_argument('--repeat', type=int)
    ap.add_argument('--no-kernel', action='store_true')
    ap.add_argument('--no-e2e', action='store_true')
    ap.add_argument('--no-plot', action='store_true')
    ap.add_argument('--out', default=os.path.join(ROOT, 'doc', 'bench'))
    a = ap.parse_args()
    a.build = os.path.abspath(a.build)
    a.repeat = a.repeat or (300 if a.quick else 2000)
    a.load_runs = 1 if a.quick else 3
    only = set(a.progs.split(',')) if a.progs else None
    meta = {'date': datetime.datetime.now(datetime.timezone.utc)
            .strftime('%Y-%m-%d %H:%M UTC'),
            'machine': machine(), 'load_before': loadavg(),
            'command': ' '.join(['devtools/bench-nf.py'] +
                                [shlex.quote(x) for x in sys.argv[1:]])}
    progs = find_progs(a.build, a.variant, only)
    if 'xdp_pass' not in progs:
        sys.exit('no xdp_pass%s.o under %s/xdp_progs: build first'
                 % (a.variant, a.build))
    cases = [c for c in pktset.packets() if len(c.data) >= 14]
    if a.quick:
        cases = cases[:16]
    meta['packets'] = len(cases)
    with tempfile.TemporaryDirectory(prefix='uxdp-bench-nf-') as tmp:
        pcap = os.path.join(tmp, 'pkts.pcap')
        pktset.write_pcap(pcap, cases)
        print('per-run cost, %d programs' % len(progs), file=sys.stderr)
        res = per_run(a, progs, tmp, pcap)
    base = {k: v for k, v in res['xdp_pass'].items() if k != 'notes'}
    print('load time', file=sys.stderr)
    loads = load_times(a, progs)
    e2e = None
    if not a.no_e2e:
        print('end to end', file=sys.stderr)
        e2e_mod = load_module('bench_e2e', os.path.join(HERE, 'bench_e2e.py'))
        e2e = e2e_mod.run(a, progs, TARGETS)
    meta['load_after'] = loadavg()
    write_report(a, res, base, loads, e2e, meta, a.out)
    if not a.no_plot:
        plot(res, base, loads, a.out)
    print('wrote %s' % os.path.join(a.out, 'README.md'), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
