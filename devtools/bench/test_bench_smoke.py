#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Smoke test of the benchmark harness (devtools/bench-nf.py): it runs in
quick mode on two programs and writes its report and plots. It checks
that every part produced a figure, never what the figures are: numbers
are measured, not asserted."""

import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ.get('UXDP_SOURCE_DIR',
                     os.path.join(os.path.dirname(__file__), '..', '..'))
BUILD = os.environ.get('UXDP_BUILD_DIR', os.path.join(SRC, 'build'))


def main():
    fails = []
    with tempfile.TemporaryDirectory(prefix='uxdp-bench-smoke-') as out:
        cmd = ['/usr/bin/python3', os.path.join(SRC, 'devtools', 'bench-nf.py'),
               '--build', BUILD, '--quick', '--progs', 'demo_nf,xdp_tx_swap',
               '--out', out]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            print('bench-nf.py failed (%d):\n%s' % (p.returncode, p.stderr))
            return 1
        with open(os.path.join(out, 'README.md')) as f:
            rep = f.read()
        num = r'\d+\.\d+'
        for prog in ('demo_nf', 'xdp_tx_swap'):
            # per-run table: interp and JIT figures present
            if not re.search(r'^\| %s \| -?%s \| -?%s \|' % (prog, num, num),
                             rep, re.M):
                fails.append('%s: no interp/JIT figures' % prog)
            # load table
            if not re.search(r'^\| %s \| \d+ \| %s \| %s \| %s' % (
                    prog, num, num, num), rep, re.M):
                fails.append('%s: no load time' % prog)
        if not re.search(r'^\| xdp_pass \| %s \|' % num, rep, re.M):
            fails.append('no end-to-end row for xdp_pass')
        for png in ('ns_per_run.png', 'load_time.png'):
            path = os.path.join(out, png)
            if not os.path.exists(path) or os.path.getsize(path) < 1000:
                fails.append('no plot %s' % png)
        if fails:
            print(rep)
    for f in fails:
        print('FAIL:', f)
    print('bench smoke: %d failures' % len(fails))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
