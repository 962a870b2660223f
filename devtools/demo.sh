#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
#
# The main job: set up (install what is missing, build), then run the demo.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
uxdp_setup
exec /usr/bin/python3 "$UXDP_SRC/devtools/demo.py"
