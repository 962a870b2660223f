#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""uxdp-run --btf-json: map dumps formatted by BTF, default output unchanged.

Usage: test_run_btf_json.py UXDP_RUN MAPS_MIX.o
"""

import json
import subprocess
import sys

# IPv4/UDP packet: maps_mix counts it and passes it.
PKT = ("02fc0000000502fc000000010800450000210001000040110000c0a80001"
       "c0a800020035003500080000aa")
# src_nets: struct lpm_v4_key {u32 prefixlen; u8 addr[4]} -> u32
LPM_UPDATE = "src_nets:18000000c0a80100:07000000"

failed = 0


def check(cond, msg):
    global failed
    if not cond:
        failed += 1
        print("FAIL: " + msg)


def run(*args):
    return subprocess.run([sys.argv[1], *args], capture_output=True,
                          text=True)


def maps_line(res):
    return json.loads(res.stdout.strip().splitlines()[-1])["maps"]


def strip_formatted(maps):
    return {name: [{k: v for k, v in e.items() if k != "formatted"}
                   for e in entries] for name, entries in maps.items()}


def main():
    obj = sys.argv[2]
    common = ["--map-update", LPM_UPDATE, "--dump-maps", "--pkt", PKT, obj]
    plain = run(*common)
    fmt = run("--btf-json", *common)
    check(plain.returncode == 0 and fmt.returncode == 0,
          "exit %d / %d: %s%s" % (plain.returncode, fmt.returncode,
                                  plain.stderr, fmt.stderr))
    if failed:
        return 1
    pmaps, fmaps = maps_line(plain), maps_line(fmt)
    check("formatted" not in plain.stdout, "default output has 'formatted'")
    # The packet lines and the hex members are exactly the default's.
    check(plain.stdout.splitlines()[:-1] == fmt.stdout.splitlines()[:-1],
          "packet lines differ with --btf-json")
    check(strip_formatted(fmaps) == pmaps, "hex members differ")
    nets = [e for e in fmaps["src_nets"] if e["key"] == "18000000c0a80100"]
    check(len(nets) == 1 and nets[0].get("formatted") ==
          {"key": {"prefixlen": 24, "addr": [192, 168, 1, 0]}, "value": 7},
          "src_nets: %s" % json.dumps(fmaps["src_nets"]))
    # Per-CPU maps: one formatted value per CPU slot.
    for e in fmaps["verdict_count"]:
        f = e.get("formatted", {})
        check(f.get("key") == int.from_bytes(bytes.fromhex(e["key"]),
                                             "little") and
              len(f.get("values", [])) == len(e["values"]) and
              f["values"][0] == int.from_bytes(bytes.fromhex(e["values"][0]),
                                               "little"),
              "verdict_count: %s" % json.dumps(e)[:300])
    bad = run("--btf-json", "--pkt", PKT, obj)
    check(bad.returncode == 2 and "--btf-json" in bad.stderr,
          "--btf-json without --dump-maps: exit %d %s" % (bad.returncode,
                                                         bad.stderr))
    print("%s" % ("ok" if not failed else "%d failed" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
