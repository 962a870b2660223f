#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
#
# The test command: set up (install what is missing, build), then run every
# test with meson, one at a time (the testpmd tests use both cores).
# Extra arguments go to `meson test` (e.g. a test name or --suite).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
uxdp_setup
cd "$UXDP_BUILD"
rc=0
meson test --print-errorlogs --num-processes 1 "$@" || rc=$?
# One plain closing line, whatever the runner printed above.
/usr/bin/python3 - meson-logs/testlog.json <<'PY'
import json, sys
counts = {'OK': 0, 'FAIL': 0, 'SKIP': 0}
for line in open(sys.argv[1]):
    r = json.loads(line)['result']
    key = 'OK' if r in ('OK', 'EXPECTEDFAIL') else 'SKIP' if r == 'SKIP' else 'FAIL'
    counts[key] += 1
print('%d passed, %d failed, %d skipped' % (counts['OK'], counts['FAIL'], counts['SKIP']))
PY
exit $rc
