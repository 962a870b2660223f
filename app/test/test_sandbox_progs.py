#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""The sandbox changes nothing for programs that stay in their regions:
every program of xdp_progs runs over the pktset packets (and the
multi-buffer frames) in uxdp-run under --verify none and --verify sandbox, at -mcpu=v4
(which has every instruction class v1 and v3 have, and sign-extending
loads besides), in both engines: every level took the test past a minute
on a loaded machine. Verdicts, output bytes, metadata and final map
contents must be identical, and no run may be counted as a sandbox fault.
Kernel agreement of the unchecked runs is test oracle_progs' business.
"""

import glob
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pktset  # noqa: E402

BUILD = os.environ.get('UXDP_BUILD_DIR') or sys.exit('UXDP_BUILD_DIR is not set')
UXDP_RUN = os.path.join(BUILD, 'app', 'uxdp-run', 'uxdp-run')
PROG_DIR = os.path.join(BUILD, 'xdp_progs')

failures = []


def run(args):
    p = subprocess.run([UXDP_RUN] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=300)
    return p.returncode, p.stdout.splitlines(), p.stderr


def split(lines):
    if lines and lines[-1].startswith('{"maps"'):
        maps = json.loads(lines[-1])['maps']
        # hash maps dump in bucket order, which a random seed decides
        maps = {name: sorted(json.dumps(e, sort_keys=True) for e in entries)
                for name, entries in maps.items()}
        return lines[:-1], maps
    return lines, None


def check(obj, engine, pcap, n_cases):
    base = ['--engine', engine, '--dump-maps', '--in', pcap, obj]
    rc_p, plain, err_p = run(['--verify', 'none'] + base)
    rc_s, boxed, err_s = run(['--verify', 'sandbox'] + base)
    name = '%s --engine %s' % (os.path.basename(obj), engine)
    if rc_p != rc_s:
        failures.append('%s: exit status %d unchecked, %d sandboxed: %s %s' %
                        (name, rc_p, rc_s, err_p.strip(), err_s.strip()))
        return 0, 0
    plines, pmaps = split(plain)
    slines, smaps = split(boxed)
    if len(plines) != n_cases or len(slines) != n_cases:
        failures.append('%s: %d packets, %d unchecked lines, %d sandboxed: %s' %
                        (name, n_cases, len(plines), len(slines), err_s.strip()))
        return 0, 0
    faults = 0
    for i, (p, s) in enumerate(zip(plines, slines)):
        sd = json.loads(s)
        if 'error' not in sd:
            if 'sandbox_faults' not in sd:
                failures.append('%s: packet %d: no sandbox_faults in %s' % (name, i + 1, s))
                return 0, 0
            faults += sd.pop('sandbox_faults')
        if json.loads(p) != sd:
            failures.append('%s: packet %d differs\n  unchecked: %s\n  sandboxed: %s' %
                            (name, i + 1, p[:300], s[:300]))
            return 0, 0
    if faults != 0:
        failures.append('%s: %d sandbox faults' % (name, faults))
    if pmaps != smaps:
        failures.append('%s: maps differ\n  unchecked: %s\n  sandboxed: %s' %
                        (name, json.dumps(pmaps)[:500], json.dumps(smaps)[:500]))
    return n_cases, faults


def main():
    runs = []
    for o in sorted(glob.glob(os.path.join(PROG_DIR, '*.o'))):
        if o.endswith('.v4.o'):
            runs += [(o, 'interp'), (o, 'jit')]
    if not runs:
        sys.exit('no objects in %s' % PROG_DIR)
    cases = pktset.packets() + pktset.frags_cases()
    start = time.monotonic()
    compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, 'pktset.pcap')
        pktset.write_pcap(pcap, cases)
        for obj, engine in runs:
            n, _ = check(obj, engine, pcap, len(cases))
            compared += n
    for f in failures:
        print('FAIL ' + f)
    print('%d object/engine pairs, %d packet runs compared with and without '
          'the sandbox, %d failures, %.1f s' %
          (len(runs), compared, len(failures), time.monotonic() - start))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
