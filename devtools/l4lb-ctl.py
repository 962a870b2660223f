#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Control plane of the l4lb load balancer (xdp_progs/l4lb.c).

Reads a JSON description of the service (VIPs, their reals and weights,
the balancer's own addresses), builds each VIP's consistent-hash ring with
Maglev's permutation fill, and writes the program's maps:

  l4lb-ctl.py entries CONFIG            MAP KEYHEX VALHEX per line
  l4lb-ctl.py run-args CONFIG           --map-update arguments (uxdp-run,
                                        uxdp-kernel-run), one per line
  l4lb-ctl.py apply CONFIG [-f PREFIX] [--port N] [--ctl PATH]
                                        uxdp-ctl map load per map into a
                                        running instance
  l4lb-ctl.py ring CONFIG VIP_NUM       the ring as JSON (real id per slot)

Config (doc/nf/l4lb.md has an example):
  {"gw_mac": "02:00:00:00:00:fe", "src_v4": "10.0.0.100",
   "src_v6": "fc00::100", "src_entropy": false,
   "reals": {"1": "10.2.0.1", "2": "fc00::2"},
   "vips": [{"addr": "10.1.1.1", "port": 80, "proto": "tcp", "vip_num": 0,
             "flags": ["no_src_port", "no_conn_table"],
             "reals": [{"id": 1, "weight": 1}, {"id": 2, "weight": 2}]}]}

src_entropy: the low 16 bits of the tunnels' outer source address come
from the flow hash (src_v4/src_v6 then name a /16 or /112 prefix), so
that the reals' NICs spread the tunnels over their RX queues.

Layouts must match xdp_progs/include/l4lb.h.
"""

import argparse
import hashlib
import ipaddress
import json
import os
import struct
import subprocess
import sys
import tempfile

RING_SIZE = 1021
MAX_VIPS = 64
MAX_REALS = 4096
VIP_FLAGS = {'no_src_port': 0x1, 'no_conn_table': 0x2}
REAL_IPV6 = 0x1
CFG_SRC_ENTROPY = 0x1
PROTOS = {'tcp': 6, 'udp': 17}


def addr16(text):
    """An address as the program stores it: 16 bytes, IPv4 in the first
    four. Returns (bytes, is_v6)."""
    a = ipaddress.ip_address(text)
    if a.version == 4:
        return a.packed + bytes(12), False
    return a.packed, True


def _hash64(name, salt):
    return int.from_bytes(hashlib.sha256((salt + name).encode()).digest()[:8], 'little')


def maglev_ring(backends, size=RING_SIZE):
    """Maglev's fill: every backend walks its own permutation of the slots
    (offset + j * skip mod size, size prime) and takes its next free slot
    in turn; a backend of weight w takes w turns per round. The result
    moves few slots when a backend comes or goes. backends: list of
    (real_id, weight). Returns size real ids."""
    backends = [(rid, w) for rid, w in backends if w > 0]
    if not backends:
        return [0] * size
    perms = []
    for rid, _ in backends:
        offset = _hash64(str(rid), 'offset') % size
        skip = _hash64(str(rid), 'skip') % (size - 1) + 1
        perms.append((offset, skip))
    ring = [0] * size
    nexts = [0] * len(backends)
    filled = 0
    while filled < size:
        for i, (rid, weight) in enumerate(backends):
            for _ in range(weight):
                offset, skip = perms[i]
                while True:
                    slot = (offset + nexts[i] * skip) % size
                    nexts[i] += 1
                    if ring[slot] == 0:
                        break
                ring[slot] = rid
                filled += 1
                if filled == size:
                    return ring
    return ring


def entries(cfg):
    """Every map entry the configuration needs: (map, key bytes, value
    bytes), in the order to write them (reals and rings before the VIP that
    makes them reachable)."""
    out = []
    mac = bytes.fromhex(cfg.get('gw_mac', '00:00:00:00:00:00').replace(':', ''))
    src4 = ipaddress.IPv4Address(cfg.get('src_v4', '0.0.0.0')).packed
    src6 = ipaddress.IPv6Address(cfg.get('src_v6', '::')).packed
    flags = CFG_SRC_ENTROPY if cfg.get('src_entropy') else 0
    out.append(('lb_config', struct.pack('<I', 0), mac + bytes([flags, 0]) + src4 + src6))
    for rid, text in sorted(cfg.get('reals', {}).items(), key=lambda kv: int(kv[0])):
        rid = int(rid)
        if not 0 < rid < MAX_REALS:
            raise ValueError('real id %d: must be 1..%d' % (rid, MAX_REALS - 1))
        a, v6 = addr16(text)
        out.append(('reals', struct.pack('<I', rid), a + struct.pack('<I', REAL_IPV6 if v6 else 0)))
    vips = []
    for vip in cfg.get('vips', []):
        num = int(vip['vip_num'])
        if not 0 <= num < MAX_VIPS:
            raise ValueError('vip_num %d: must be 0..%d' % (num, MAX_VIPS - 1))
        for r in vip.get('reals', []):
            if str(r['id']) not in cfg.get('reals', {}):
                raise ValueError('VIP %s: real %s is not in "reals"' % (vip['addr'], r['id']))
        ring = maglev_ring([(int(r['id']), int(r.get('weight', 1)))
                            for r in vip.get('reals', [])])
        for pos, rid in enumerate(ring):
            out.append(('ch_rings', struct.pack('<I', num * RING_SIZE + pos),
                        struct.pack('<I', rid)))
        a, _ = addr16(vip['addr'])
        proto = PROTOS.get(vip.get('proto', 'tcp').lower())
        if proto is None:
            raise ValueError('VIP %s: protocol %s: must be tcp or udp' % (vip['addr'], vip['proto']))
        flags = 0
        for name in vip.get('flags', []):
            if name not in VIP_FLAGS:
                raise ValueError('VIP %s: unknown flag %s (known: %s)' %
                                 (vip['addr'], name, ', '.join(sorted(VIP_FLAGS))))
            flags |= VIP_FLAGS[name]
        key = a + struct.pack('!H', int(vip.get('port', 0))) + bytes([proto, 0])
        vips.append(('vip_map', key, struct.pack('<II', flags, num)))
    return out + vips


def ring_of(cfg, vip_num):
    for vip in cfg.get('vips', []):
        if int(vip['vip_num']) == vip_num:
            return maglev_ring([(int(r['id']), int(r.get('weight', 1)))
                                for r in vip.get('reals', [])])
    raise ValueError('no VIP with vip_num %d' % vip_num)


def apply(cfg, prefix, port, ctl):
    """One `uxdp-ctl map load` per map (a batch file each): shared memory
    when the instance runs on hugepages, else telemetry, as uxdp-ctl
    decides."""
    by_map = {}
    for name, k, v in entries(cfg):
        by_map.setdefault(name, []).append('%s %s' % (k.hex(), v.hex()))
    base = [ctl, '-f', prefix] + (['--port', str(port)] if port is not None else [])
    # vip_map last: a VIP becomes reachable once its ring and reals exist
    for name in sorted(by_map, key=lambda n: n == 'vip_map'):
        with tempfile.NamedTemporaryFile('w', suffix='.batch', delete=False) as f:
            f.write('\n'.join(by_map[name]) + '\n')
        try:
            p = subprocess.run(base + ['map', 'load', name, f.name],
                               capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        sys.stdout.write(p.stdout)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            return p.returncode
    return 0


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('command', choices=('entries', 'run-args', 'apply', 'ring'))
    p.add_argument('config')
    p.add_argument('vip_num', nargs='?', type=int)
    p.add_argument('-f', '--file-prefix', default='rte')
    p.add_argument('--port', type=int)
    p.add_argument('--ctl', default='uxdp-ctl')
    a = p.parse_args(argv)
    with open(a.config) as f:
        cfg = json.load(f)
    try:
        if a.command == 'entries':
            for name, k, v in entries(cfg):
                print('%s %s %s' % (name, k.hex(), v.hex()))
        elif a.command == 'run-args':
            for name, k, v in entries(cfg):
                print('--map-update %s:%s:%s' % (name, k.hex(), v.hex()))
        elif a.command == 'ring':
            if a.vip_num is None:
                p.error('ring needs VIP_NUM')
            print(json.dumps(ring_of(cfg, a.vip_num)))
        else:
            return apply(cfg, a.file_prefix, a.port, a.ctl)
    except (ValueError, KeyError) as e:
        print('Error: %s' % e, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
