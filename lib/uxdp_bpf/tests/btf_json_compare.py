#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Compare bpftool's "formatted" map dump with uxdp's BTF JSON.

Input (from test_btf_json_bpftool): a JSON list of
{"map": NAME, "bpftool": <bpftool -j map dump>, "uxdp": [{"key", "value"}]}.
Keys and values must be equal as parsed JSON, with one allowance: bpftool
prints bitfields as "0x.." strings of their raw bits, uxdp as numbers
(sign-extended when signed).
"""

import json
import sys


def same(b, u):
    if isinstance(b, str) and b.startswith("0x") and isinstance(u, int) \
            and not isinstance(u, bool):
        raw = int(b, 16)
        # A negative signed bitfield: raw bits are u modulo 2**width.
        return raw == u or (u < 0 and any(raw == u + (1 << w)
                                          for w in range(1, 65)))
    if isinstance(b, dict) and isinstance(u, dict):
        return list(b) == list(u) and all(same(b[k], u[k]) for k in b)
    if isinstance(b, list) and isinstance(u, list):
        return len(b) == len(u) and all(same(x, y) for x, y in zip(b, u))
    return type(b) is type(u) and b == u


def main():
    with open(sys.argv[1]) as f:
        maps = json.load(f)
    failed = compared = 0
    for m in maps:
        # Array maps list every index in bpftool: only the entries uxdp
        # rendered are compared, each must be there exactly once.
        kernel = [e["formatted"] for e in m["bpftool"]]
        for e in m["uxdp"]:
            compared += 1
            # Global data: bpftool formats no key (it has no type).
            match = [k for k in kernel
                     if "key" not in k or same(k["key"], e["key"])]
            if len(match) != 1 or not same(match[0]["value"], e["value"]):
                failed += 1
                print("FAIL %s: uxdp %s\n  bpftool %s" % (
                    m["map"], json.dumps(e), json.dumps(match or kernel)))
    print("%d entries compared with bpftool, %d failed" % (compared, failed))
    return 1 if failed or not compared else 0


if __name__ == "__main__":
    sys.exit(main())
