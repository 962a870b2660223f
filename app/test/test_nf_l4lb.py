#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""The l4lb load balancer (xdp_progs/l4lb.c), configured by its control
plane (devtools/l4lb-ctl.py), checked three ways:

1. Model: a Python model of the program (parse, VIP lookup, connection
   table, Maglev ring from l4lb-ctl, hash, encapsulation) predicts every
   frame's verdict and output bytes and the counters; uxdp-run (interp and
   JIT) must match it.
2. Kernel: uxdp-kernel-run (BPF_PROG_TEST_RUN) with the same --map-update
   list, at -mcpu=v1/v3/v4: verdicts, bytes and every map identical to
   uxdp-run's.
3. testpmd: the pcap through net_pcap -> net_uxdp(l4lb) with the maps
   written by `l4lb-ctl.py apply` (uxdp-ctl map load) and one connection
   seeded with uxdp-ctl map update; every frame's fate and bytes as
   uxdp-run predicts, xstats, the per-VIP stats and connection table
   dumped over telemetry, the mbuf pool back to its baseline, and the
   program's load time (parse + checks + JIT) reported.
"""

import importlib.util
import ipaddress
import json
import os
import random
import re
import struct
import subprocess
import sys

from scapy.layers.inet import IP, TCP
from scapy.layers.l2 import Ether

import pktset
import uxdp_testlib as t

SPEC = importlib.util.spec_from_file_location(
    'l4lb_ctl', os.path.join(t.SOURCE, 'devtools', 'l4lb-ctl.py'))
ctl = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(ctl)

CTL = os.path.join(t.BUILD, 'app', 'uxdp-ctl', 'uxdp-ctl')
OUR_MAC, CLIENT_MAC = '02:00:00:00:00:0b', '02:00:00:00:00:0a'
ARRAY_LIKE = ('array', 'percpu_array', 'array_of_maps')
COUNTERS = ['not_vip', 'not_lb', 'conn_hit', 'conn_new', 'no_real', 'bad_family',
            'encap_fail', 'fallback_table']

CONFIG = {
    'gw_mac': '02:00:00:00:00:fe',
    'src_v4': '10.0.0.100',
    'src_v6': 'fc00::100',
    'reals': {'1': '10.2.0.1', '2': '10.2.0.2', '3': '10.2.0.3',
              '4': 'fc00::4', '5': 'fc00::5', '6': '10.2.0.6', '7': '10.2.0.7'},
    'vips': [
        # IPv4 web service, weighted: IPIP
        {'addr': '10.1.1.1', 'port': 80, 'proto': 'tcp', 'vip_num': 0,
         'reals': [{'id': 1, 'weight': 1}, {'id': 2, 'weight': 1},
                   {'id': 3, 'weight': 2}]},
        # every UDP port of an IPv4 address, to IPv6 reals: IPv4 in IPv6
        {'addr': '10.1.1.2', 'port': 0, 'proto': 'udp', 'vip_num': 1,
         'flags': ['no_src_port'],
         'reals': [{'id': 4, 'weight': 1}, {'id': 5, 'weight': 1}]},
        # IPv6 service: IP6IP6
        {'addr': '2001:db8:100::1', 'port': 443, 'proto': 'tcp', 'vip_num': 2,
         'reals': [{'id': 4, 'weight': 1}, {'id': 5, 'weight': 3}]},
        # IPv6 clients to an IPv4 real: dropped
        {'addr': '2001:db8:100::2', 'port': 53, 'proto': 'udp', 'vip_num': 3,
         'reals': [{'id': 6, 'weight': 1}]},
        # no reals: an empty ring, dropped
        {'addr': '10.1.1.3', 'port': 8080, 'proto': 'tcp', 'vip_num': 4, 'reals': []},
        # stateless
        {'addr': '10.1.1.4', 'port': 80, 'proto': 'tcp', 'vip_num': 5,
         'flags': ['no_conn_table'],
         'reals': [{'id': 1, 'weight': 1}, {'id': 7, 'weight': 1}]},
    ],
}
# A connection the table knows before the run (real 7 is in no ring of
# VIP 0): its non-SYN packets go to real 7, a SYN re-balances it.
SEEDED_CLIENT = pktset.L4LB_SEEDED_CLIENT


def flow_key(src, dst, sport, dport, proto):
    return src + dst + struct.pack('!HH', sport, dport) + bytes([proto, 0, 0, 0])


def seeded_entry():
    src, _ = ctl.addr16(SEEDED_CLIENT[0])
    dst, _ = ctl.addr16('10.1.1.1')
    return flow_key(src, dst, SEEDED_CLIENT[1], 80, 6), struct.pack('<I', 7)


# --- the model -------------------------------------------------------------

def _rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & 0xffffffff


def _round(h, v):
    v = (v * 0xcc9e2d51) & 0xffffffff
    v = _rotl(v, 15)
    v = (v * 0x1b873593) & 0xffffffff
    h ^= v
    h = _rotl(h, 13)
    return (h * 5 + 0xe6546b64) & 0xffffffff


def _final(h):
    h ^= h >> 16
    h = (h * 0x85ebca6b) & 0xffffffff
    h ^= h >> 13
    h = (h * 0xc2b2ae35) & 0xffffffff
    return h ^ (h >> 16)


def flow_hash(src, sport_be, proto, no_src_port):
    """The program's hash: words loaded from the packet in memory order
    (little-endian host)."""
    h = 0x4c344c42
    for i in range(4):
        h = _round(h, int.from_bytes(src[4 * i:4 * i + 4], 'little'))
    ports = proto
    if not no_src_port:
        ports |= int.from_bytes(sport_be, 'little') << 16
    return _final(_round(h, ports))


def csum16(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


class Model:
    def __init__(self, cfg, table=None):
        self.vips = {}
        self.rings = {}
        for v in cfg['vips']:
            a, _ = ctl.addr16(v['addr'])
            flags = sum(ctl.VIP_FLAGS[n] for n in v.get('flags', []))
            self.vips[(a, v.get('port', 0), ctl.PROTOS[v['proto']])] = (flags, v['vip_num'])
            self.rings[v['vip_num']] = ctl.ring_of(cfg, v['vip_num'])
        self.reals = {int(k): ctl.addr16(a) for k, a in cfg['reals'].items()}
        self.gw = bytes.fromhex(cfg['gw_mac'].replace(':', ''))
        self.src4 = ipaddress.ip_address(cfg['src_v4']).packed
        self.src6 = ipaddress.ip_address(cfg['src_v6']).packed
        self.entropy = cfg.get('src_entropy', False)
        self.table = dict(table or {})
        self.counters = [0] * len(COUNTERS)
        self.stats = {}
        self.real_stats = {}

    def parse(self, f):
        if len(f) < 14:
            return None
        et = f[12:14]
        if et == b'\x08\x00' and len(f) >= 34:
            ip = f[14:]
            if ip[0] != 0x45 or struct.unpack('!H', ip[6:8])[0] & 0x3fff:
                return None
            ip_len = struct.unpack('!H', ip[2:4])[0]
            if ip_len < 20 or 14 + ip_len > len(f):
                return None
            src, dst, proto, tos, l4, v6 = ip[12:16] + bytes(12), ip[16:20] + bytes(12), ip[9], ip[1], 34, False
        elif et == b'\x86\xdd' and len(f) >= 54:
            ip = f[14:]
            if ip[0] >> 4 != 6:
                return None
            ip_len = struct.unpack('!H', ip[4:6])[0] + 40
            if 14 + ip_len > len(f):
                return None
            src, dst, proto, l4, v6 = ip[8:24], ip[24:40], ip[6], 54, True
            tos = ((ip[0] & 0xf) << 4) | (ip[1] >> 4)
        else:
            return None
        if proto == 6 and len(f) >= l4 + 20:
            syn = (f[l4 + 13] & 0x12) == 0x02
        elif proto == 17 and len(f) >= l4 + 8:
            syn = False
        else:
            return None
        return dict(src=src, dst=dst, proto=proto, tos=tos, v6=v6, ip_len=ip_len,
                    sport=f[l4:l4 + 2], dport=f[l4 + 2:l4 + 4], syn=syn)

    def count(self, name):
        self.counters[COUNTERS.index(name)] += 1

    def run(self, f):
        p = self.parse(f)
        if p is None:
            self.count('not_lb')
            return 'XDP_PASS', f
        dport = struct.unpack('!H', p['dport'])[0]
        vip = self.vips.get((p['dst'], dport, p['proto'])) or \
            self.vips.get((p['dst'], 0, p['proto']))
        if vip is None:
            self.count('not_vip')
            return 'XDP_PASS', f
        flags, num = vip
        st = self.stats.setdefault(num, [0, 0])
        st[0] += 1
        st[1] += len(f)
        key = p['src'] + p['dst'] + p['sport'] + p['dport'] + bytes([p['proto'], 0, 0, 0])
        # one hash for the ring and the outer header
        h = flow_hash(p['src'], p['sport'], p['proto'], flags & ctl.VIP_FLAGS['no_src_port'])
        rid = None
        use_table = not flags & ctl.VIP_FLAGS['no_conn_table']
        if use_table and not p['syn'] and key in self.table:
            self.count('conn_hit')
            rid = self.table[key]
        if rid is None:
            rid = self.rings[num][h % ctl.RING_SIZE]
            if rid and use_table:
                self.table[key] = rid
                self.count('conn_new')
        if not rid or rid not in self.reals:
            self.count('no_real')
            return 'XDP_DROP', f
        addr, real_v6 = self.reals[rid]
        if p['v6'] and not real_v6:
            self.count('bad_family')
            return 'XDP_DROP', f
        inner = f[14:]
        if real_v6:
            word = (6 << 28) | (p['tos'] << 20) | (h & 0xfffff)
            src = self.src6[:14] + struct.pack('!H', h & 0xffff) if self.entropy else self.src6
            outer = struct.pack('!IHBB', word, p['ip_len'], 41 if p['v6'] else 4, 64) + \
                src + addr
            et = b'\x86\xdd'
        else:
            src = self.src4[:2] + struct.pack('!H', h & 0xffff) if self.entropy else self.src4
            outer = struct.pack('!BBHHHBBH', 0x45, p['tos'], p['ip_len'] + 20, 0, 0, 64, 4, 0) + \
                src + addr[:4]
            outer = outer[:10] + struct.pack('!H', csum16(outer)) + outer[12:]
            et = b'\x08\x00'
        rs = self.real_stats.setdefault(rid, [0, 0])
        rs[0] += 1
        rs[1] += len(f)
        return 'XDP_TX', self.gw + f[0:6] + et + outer + inner


# --- running the tools -------------------------------------------------------

def pin_cpu0():
    """The kernel's test run uses the connection table of the CPU it
    runs on; uxdp-run always uses slot 0 (main() checks CPU 0 is ours)."""
    os.sched_setaffinity(0, {0})


def tool_run(binary, obj, pcap, ups, engine=None):
    args = [binary] + (['--engine', engine] if engine else [])
    if binary == t.uxdp_run_bin():
        args += ['--ifindex', '1', '--rxq', '0']
    args += ups + ['--dump-maps', '--in', pcap, obj]
    p = subprocess.run(args, capture_output=True, text=True, timeout=300,
                       preexec_fn=pin_cpu0 if binary == t.kernel_run_bin() else None)
    lines = p.stdout.splitlines()
    maps = json.loads(lines[-1])['maps'] if lines and lines[-1].startswith('{"maps"') else None
    return p.returncode, [json.loads(x) for x in lines[:-1]] if maps else [], maps, p.stderr


def normal_maps(maps, types):
    """Comparable map dumps: hashes as sets, per-CPU values reduced to
    the slots written (the kernel has one per possible CPU), maps of maps
    by their keys (their values are registry ids)."""
    out = {}
    for name, entries in maps.items():
        norm = []
        for e in entries:
            e = dict(e)
            if 'values' in e:
                e['values'] = [v for v in e['values'] if any(c != '0' for c in v)]
            if types.get(name) == 'array_of_maps':
                e.pop('value', None)
            norm.append(json.dumps(e, sort_keys=True))
        out[name] = norm if types.get(name) in ARRAY_LIKE else sorted(norm)
    return out


def map_types(obj):
    p = subprocess.run([t.kernel_run_bin(), '--list', obj], capture_output=True, text=True)
    return {m['name']: m['type'] for m in json.loads(p.stdout.splitlines()[0])['maps']}


def percpu_slot0(maps, name, n, fmt):
    vals = {int.from_bytes(bytes.fromhex(e['key']), 'little'): e['values'][0]
            for e in maps.get(name, [])}
    return [struct.unpack(fmt, bytes.fromhex(vals[i])) if i in vals else None
            for i in range(n)]


def check_offline(f, work, data, ups, model):
    """Model vs uxdp-run (interp, JIT) vs kernel, at every ISA level."""
    pcap = os.path.join(work, 'l4lb.pcap')
    t.write_pcap(pcap, data)
    want = [model.run(d) for d in data]
    kernel_ok = True
    for v in ('', '.v3', '.v4'):
        obj = os.path.join(t.BUILD, 'xdp_progs', 'l4lb%s.o' % v)
        name = os.path.basename(obj)
        types = map_types(obj)
        runs = {}
        for label, binary, engine in (('interp', t.uxdp_run_bin(), 'interp'),
                                      ('jit', t.uxdp_run_bin(), 'jit'),
                                      ('kernel', t.kernel_run_bin(), None)):
            if label == 'kernel' and 0 not in os.sched_getaffinity(0):
                continue
            rc, lines, maps, err = tool_run(binary, obj, pcap, ups, engine)
            if rc == t.SKIP and label == 'kernel':
                print('%s: kernel not compared: %s' % (name, err.strip()))
                kernel_ok = False
                continue
            if not f.check(rc == 0 and len(lines) == len(data) and maps is not None,
                           '%s %s: rc %d, %d lines: %s' % (name, label, rc, len(lines), err[-500:])):
                continue
            runs[label] = (lines, maps)
        if 'interp' not in runs:
            continue
        lines, maps = runs['interp']
        bad = [i for i, (w, got) in enumerate(zip(want, lines))
               if (got['action'], got['data']) != (w[0], w[1].hex())]
        if bad:
            i = bad[0]
            f.check(False, '%s: %d frames differ from the model; first #%d:\n  in:    %s\n'
                    '  model: %s %s\n  uxdp:  %s %s' %
                    (name, len(bad), i, data[i].hex(), want[i][0], want[i][1].hex(),
                     lines[i]['action'], lines[i]['data']))
        else:
            f.check(True, 'model')
        cnt = [c[0] if c else 0 for c in percpu_slot0(maps, 'counters', len(COUNTERS), '<Q')]
        f.equal(dict(zip(COUNTERS, cnt)), dict(zip(COUNTERS, model.counters)),
                '%s: counters against the model' % name)
        st = percpu_slot0(maps, 'vip_stats', 6, '<QQ')
        f.equal({i: list(s) for i, s in enumerate(st) if s and s != (0, 0)},
                model.stats, '%s: per-VIP stats against the model' % name)
        st = percpu_slot0(maps, 'real_stats', 8, '<QQ')
        f.equal({i: list(s) for i, s in enumerate(st) if s and s != (0, 0)},
                model.real_stats, '%s: per-real stats against the model' % name)
        conn = {bytes.fromhex(e['key']): struct.unpack('<I', bytes.fromhex(e['value']))[0]
                for e in maps.get('conn_cpu0', [])}
        f.equal(conn, model.table, '%s: connection table against the model' % name)
        ref = normal_maps(maps, types)
        for label in ('jit', 'kernel'):
            if label not in runs:
                continue
            other_lines, other_maps = runs[label]
            diff = [i for i, (a, b) in enumerate(zip(lines, other_lines)) if a != b]
            f.check(not diff, '%s: %s differs from interp at frames %s; first:\n  interp: %s\n  %s: %s' %
                    (name, label, diff[:10], lines[diff[0]] if diff else '', label,
                     other_lines[diff[0]] if diff else ''))
            other = normal_maps(other_maps, types)
            for m in sorted(set(ref) | set(other)):
                f.check(ref.get(m) == other.get(m), '%s: map %s: interp %s, %s %s' %
                        (name, m, str(ref.get(m))[:600], label, str(other.get(m))[:600]))
        if not v:
            check_semantics(f, data, lines, model)
        hist = {}
        for line in lines:
            hist[line['action']] = hist.get(line['action'], 0) + 1
        print('%-10s %d frames: %s; compared with model, %s' %
              (name, len(data), hist, ', '.join(sorted(runs))), flush=True)
    return want, kernel_ok


def outer_dst(frame_hex):
    b = bytes.fromhex(frame_hex)
    if b[12:14] == b'\x08\x00':
        return str(ipaddress.ip_address(b[30:34]))
    return str(ipaddress.ip_address(b[38:54]))


def check_semantics(f, data, lines, model):
    """What the model and the tools could agree on wrongly: stated
    directly. Every path was taken; the seeded connection went to real 7
    until its SYN; connections stay with their real; tunnels by family."""
    for name, c in zip(COUNTERS, model.counters):
        if name not in ('encap_fail', 'fallback_table'):
            f.check(c > 0, 'the packet set takes path %s' % name)
    seeded = [i for i, d in enumerate(data) if d[26:30] == ipaddress.ip_address(SEEDED_CLIENT[0]).packed
              and d[34:36] == struct.pack('!H', SEEDED_CLIENT[1])]
    dsts = [outer_dst(lines[i]['data']) for i in seeded]
    f.check(len(dsts) == 3 and dsts[0] == '10.2.0.7' and dsts[1] != '10.2.0.7' and dsts[2] == dsts[1],
            'seeded connection: table (real 7), then SYN re-balances and sticks: %s' % dsts)
    reals_of = {}
    for d, line in zip(data, lines):
        if line['action'] != 'XDP_TX':
            continue
        p = model.parse(d)
        if p['src'][:4] == ipaddress.ip_address(SEEDED_CLIENT[0]).packed:
            continue
        reals_of.setdefault((p['src'], p['sport'], p['dst'], p['dport']), set()).add(
            outer_dst(line['data']))
        out = bytes.fromhex(line['data'])
        f.check(out[:6] == bytes.fromhex('0200000000fe') and out[6:12] == d[:6],
                'tunnel MACs: next hop, then our MAC')
        want_et = {'v4': b'\x08\x00', 'v6': b'\x86\xdd'}
        f.check(out[12:14] == (want_et['v6'] if ':' in outer_dst(line['data']) else want_et['v4']),
                'outer ethertype by the real\'s family')
    f.check(all(len(v) == 1 for v in reals_of.values()),
            'every connection stays on one real: %s' %
            [v for v in reals_of.values() if len(v) != 1])
    used = set().union(*reals_of.values())
    f.check({'10.2.0.1', '10.2.0.2', '10.2.0.3', 'fc00::4', 'fc00::5', '10.2.0.7'} <= used | set(dsts),
            'traffic reaches every real in a ring: %s' % sorted(used))


# --- testpmd -----------------------------------------------------------------

# (name, EAL lcore option, RX queues). testpmd forwards on every lcore but
# the main one; each has its own connection table, lcores above 3 share
# conn_fallback.
LAYOUTS = [
    ('one lcore', ('-l', '0-1'), 1),
    ('two lcores', ('--lcores=0@0,1@0,2@1',), 2),
    ('lcore 5, fallback table', ('--lcores=0@0,5@1',), 1),
]


def table_of(lcore):
    return 'conn_cpu%d' % lcore if lcore < 4 else 'conn_fallback'


def queue_of(frame):
    """By client, as RSS would: a connection stays on one queue."""
    src = frame[26:30] if frame[12:14] == b'\x08\x00' else frame[22:38]
    return sum(src) & 1


def sum_percpu(dump, n, words):
    total = []
    for i in range(n):
        acc = [0] * words
        for cpu in dump['cpus']:
            raw = bytes.fromhex(dump['values_cpu%d' % cpu][i])
            for j in range(words):
                acc[j] += struct.unpack_from('<Q', raw, 8 * j)[0]
        total.append(acc)
    return total


def table_uses(frames_, seeded):
    """Frames that look up a connection table (VIP found, table used):
    what the fallback counter counts on an lcore without its own table."""
    m = Model(CONFIG, {seeded[0]: 7})
    n = 0
    for d in frames_:
        p = m.parse(d)
        if p is None:
            continue
        dport = struct.unpack('!H', p['dport'])[0]
        vip = m.vips.get((p['dst'], dport, p['proto'])) or m.vips.get((p['dst'], 0, p['proto']))
        if vip and not vip[0] & ctl.VIP_FLAGS['no_conn_table']:
            n += 1
    return n


def check_testpmd(f, work, data, ups, seeded, layout):
    """One testpmd run: l4lb-ctl apply, the seeded connection written into
    the table of the lcore polling queue 0, then the pcap(s)."""
    label, lcores, nbq = layout
    work = os.path.join(work, label.split(',')[0].replace(' ', '_'))
    os.makedirs(work, exist_ok=True)
    obj = t.prog_obj('l4lb')
    plugin = t.stage_plugin(work)
    queues = [[d for d in data if queue_of(d) == q] if nbq > 1 else data for q in range(nbq)]
    seed_ups = ['--map-update', 'conn_cpu0:%s:%s' % (seeded[0].hex(), seeded[1].hex())]
    preds, umaps = [], []
    for q, qframes in enumerate(queues):
        pin = os.path.join(work, 'in%d.pcap' % q)
        t.write_pcap(pin, qframes)
        # uxdp-run predicts each queue on its own: one lcore, one table
        rc, lines, maps, err = tool_run(t.uxdp_run_bin(), obj, pin,
                                        ups + (seed_ups if q == 0 else []))
        if not f.check(rc == 0 and len(lines) == len(qframes),
                       '%s: uxdp-run prediction q%d: rc %d %s' % (label, q, rc, err)):
            return
        preds.append(lines)
        umaps.append(maps)
    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])
    pcap0 = ['net_pcap0'] + ['rx_pcap=' + os.path.join(work, 'in%d.pcap' % q) for q in range(nbq)] + \
        ['tx_pcap=' + os.path.join(work, 'sub_tx%d.pcap' % q) for q in range(2 * nbq)]
    pcap1 = ['net_pcap1'] + ['rx_pcap=' + empty] * nbq + \
        ['tx_pcap=' + os.path.join(work, 'passed%d.pcap' % q) for q in range(nbq)]
    uxdp0 = 'net_uxdp0,dev=net_pcap0,prog=%s,mode=jit' % obj
    prefix = 'uxdp_l4lb_%d_%d' % (nbq, os.getpid())
    pmd = t.Testpmd(t.eal_args(prefix, plugin, [','.join(pcap0), uxdp0, ','.join(pcap1)],
                               lcores=lcores),
                    ['--rxq=%d' % nbq, '--txq=%d' % nbq, '--nb-cores=%d' % nbq])
    if not f.check(pmd.ready, '%s: testpmd did not start:\n%s' % (label, pmd.output())):
        pmd.quit()
        return
    try:
        info = t.telemetry(prefix, '/uxdp/info,1')
        print('%s: l4lb load in the PMD: %.1f ms (parse + checks + JIT; JIT alone %.1f ms), '
              '%d instructions, engine %s' % (label, info['load_ns'] / 1e6, info['jit_ns'] / 1e6,
                                              info['insns'], info['engine']), flush=True)
        fwd = pmd.cmd('show config fwd')
        lcore_of = {}
        for m in re.finditer(r'Logical Core (\d+) .*?\n((?:\s+RX P=.*\n?)+)', fwd):
            for q in re.findall(r'RX P=1/Q=(\d+)', m.group(2)):
                lcore_of[int(q)] = int(m.group(1))
        if not f.check(sorted(lcore_of) == list(range(nbq)),
                       '%s: each queue of port 1 polled by one lcore:\n%s' % (label, fwd)):
            return
        cfg_path = os.path.join(work, 'l4lb.json')
        with open(cfg_path, 'w') as fh:
            json.dump(CONFIG, fh)
        p = subprocess.run([sys.executable, os.path.join(t.SOURCE, 'devtools', 'l4lb-ctl.py'),
                            'apply', cfg_path, '-f', prefix, '--ctl', CTL],
                           capture_output=True, text=True, timeout=300)
        f.check(p.returncode == 0, '%s: l4lb-ctl apply: rc %d %s %s' %
                (label, p.returncode, p.stdout, p.stderr))
        seed_table = table_of(lcore_of[0])
        p = subprocess.run([CTL, '-f', prefix, 'map', 'update', seed_table, 'key', 'hex',
                            seeded[0].hex(), 'value', 'hex', seeded[1].hex()],
                           capture_output=True, text=True)
        f.check(p.returncode == 0, '%s: uxdp-ctl map update %s: %s %s' %
                (label, seed_table, p.stdout, p.stderr))
        pmd.cmd('set fwd io')
        in_use = t.mbufs_in_use(pmd)
        pmd.cmd('start')
        by = [{} for _ in range(nbq)]
        for q in range(nbq):
            for i, pr in enumerate(preds[q]):
                by[q].setdefault(pr['action'], []).append(i)

        def n_of(action):
            return sum(len(b.get(action, [])) for b in by)

        def done():
            x = t.xstats(prefix, 1)
            return x if x['xdp_pass'] + x['xdp_drop'] + x['xdp_tx'] + x['xdp_aborted'] >= len(data) \
                else None
        xs = t.wait_for(done, timeout=30)
        t.wait_for(lambda: t.xstats(prefix, 2)['tx_good_packets'] >= n_of('XDP_PASS'), timeout=10)
        pmd.cmd('stop')
        f.equal(t.mbufs_in_use(pmd), in_use, '%s: mbufs in use back to baseline' % label)
        if f.check(xs is not None, '%s: xstats never reached %d frames' % (label, len(data))):
            for k, a in (('xdp_pass', 'XDP_PASS'), ('xdp_drop', 'XDP_DROP'), ('xdp_tx', 'XDP_TX')):
                f.equal(xs[k], n_of(a), '%s: xstat %s' % (label, k))
            f.equal(xs['xdp_aborted'] + xs['xdp_tx_errors'], 0, '%s: no aborts, no TX errors' % label)
        # each lcore's table holds exactly its queue's connections
        for q in range(nbq):
            conn = t.telemetry(prefix, '/uxdp/map_dump,1,%s,0,1000' % table_of(lcore_of[q]))
            f.equal(sorted(zip(conn['keys'], conn['values'])),
                    sorted((e['key'], e['value']) for e in umaps[q]['conn_cpu0']),
                    '%s: %s (lcore %d, queue %d) against uxdp-run\'s conn_cpu0' %
                    (label, table_of(lcore_of[q]), lcore_of[q], q))
        for name, n, words, fmt in (('vip_stats', 6, 2, '<QQ'), ('real_stats', 8, 2, '<QQ'),
                                    ('counters', len(COUNTERS), 1, '<Q')):
            dump = t.telemetry(prefix, '/uxdp/map_dump,1,%s,0,%d' % (name, n))
            got = sum_percpu(dump, n, words)
            want = [[0] * words for _ in range(n)]
            for q in range(nbq):
                for i, r in enumerate(percpu_slot0(umaps[q], name, n, fmt)):
                    for j in range(words):
                        want[i][j] += r[j] if r else 0
            if name == 'counters':
                fb = COUNTERS.index('fallback_table')
                want[fb][0] = sum(table_uses(queues[q], seeded) for q in range(nbq)
                                  if lcore_of[q] >= 4)
            f.equal(got, want, '%s: %s summed over the lcores (telemetry)' % (label, name))
    finally:
        rc = pmd.quit()
    f.equal(rc, 0, '%s: testpmd exit code' % label)
    for q in range(nbq):
        passed = t.read_pcap(os.path.join(work, 'passed%d.pcap' % q))
        f.equal([x.hex() for x in passed], [preds[q][i]['data'] for i in by[q].get('XDP_PASS', [])],
                '%s q%d: frames passed to testpmd' % (label, q))
        txed = t.read_pcap(os.path.join(work, 'sub_tx%d.pcap' % (nbq + q)))
        f.equal([x.hex() for x in txed], [preds[q][i]['data'] for i in by[q].get('XDP_TX', [])],
                '%s q%d: frames sent back encapsulated by XDP_TX' % (label, q))
        f.equal(len(t.read_pcap(os.path.join(work, 'sub_tx%d.pcap' % q))), 0,
                '%s q%d: nothing on the app TX queue' % (label, q))
    print('%s: %s frames on lcores %s: %s' %
          (label, '+'.join(str(len(q)) for q in queues), [lcore_of[q] for q in range(nbq)],
           [{k: len(v) for k, v in b.items()} for b in by]), flush=True)


def check_ring():
    """Maglev's promises, on the control plane alone: weights respected,
    few slots move when a real leaves."""
    ok = True
    ring = ctl.maglev_ring([(1, 1), (2, 1), (3, 2)])
    share = {r: ring.count(r) for r in (1, 2, 3)}
    ok &= abs(share[3] - 2 * share[1]) < 0.1 * ctl.RING_SIZE and 0 not in ring
    smaller = ctl.maglev_ring([(1, 1), (3, 2)])
    moved = sum(1 for a, b in zip(ring, smaller) if a != b and a != 2)
    print('ring: shares %s; removing real 2 moves %d of the %d other slots' %
          (share, moved, ctl.RING_SIZE - share[2]))
    ok &= moved < 0.1 * ctl.RING_SIZE
    return ok


def check_ctl_errors(f, work):
    """The control plane refuses bad services with a message and exit
    status 1, and writes nothing."""
    bad = [
        ({'reals': {}, 'vips': [{'addr': '10.1.1.1', 'port': 80, 'proto': 'tcp', 'vip_num': 0,
                                 'reals': [{'id': 9}]}]}, 'real 9 is not in'),
        ({'reals': {'1': '10.2.0.1'}, 'vips': [{'addr': '10.1.1.1', 'port': 80, 'proto': 'tcp',
                                                'vip_num': 64, 'reals': [{'id': 1}]}]}, 'vip_num 64'),
        ({'reals': {'0': '10.2.0.1'}, 'vips': []}, 'real id 0'),
        ({'reals': {'1': '10.2.0.300'}, 'vips': []}, 'does not appear to be'),
        ({'reals': {}, 'vips': [{'addr': '10.1.1.1', 'port': 80, 'proto': 'sctp', 'vip_num': 0,
                                 'reals': []}]}, 'protocol sctp: must be tcp or udp'),
        ({'reals': {}, 'vips': [{'addr': '10.1.1.1', 'port': 80, 'proto': 'tcp', 'vip_num': 0,
                                 'flags': ['sticky'], 'reals': []}]}, 'unknown flag sticky'),
    ]
    for i, (cfg, want) in enumerate(bad):
        path = os.path.join(work, 'bad%d.json' % i)
        with open(path, 'w') as fh:
            json.dump(cfg, fh)
        p = subprocess.run([sys.executable, os.path.join(t.SOURCE, 'devtools', 'l4lb-ctl.py'),
                            'entries', path], capture_output=True, text=True)
        f.check(p.returncode == 1 and want in p.stderr and p.stderr.startswith('Error:')
                and not p.stdout,
                'l4lb-ctl entries with a bad service (%s): rc %d, stdout %r, stderr %r' %
                (want, p.returncode, p.stdout[:200], p.stderr))


def check_drain(f, work, table):
    """Katran's promise when a real leaves a ring: connections the table
    knows stay where they are, new ones avoid it. Real 3 (weight 2) is
    removed from VIP 0; the maps start with the new rings and the
    connection table the first run left (table). Model, interpreter, JIT
    and kernel must agree, and the promise is checked directly."""
    cfg = json.loads(json.dumps(CONFIG))
    # tunnels from a /16 (and a /112), their low bits from the flow hash
    cfg.update(src_v4='172.16.0.0', src_v6='fc00::1:0', src_entropy=True)
    cfg['vips'][0]['reals'] = [r for r in cfg['vips'][0]['reals'] if r['id'] != 3]
    vip0, _ = ctl.addr16('10.1.1.1')
    old = {k: rid for k, rid in table.items() if k[16:32] == vip0}
    eth = Ether(src=CLIENT_MAC, dst=OUR_MAC)
    data, kinds = [], []
    for k in sorted(old):
        src = str(ipaddress.ip_address(k[:4]))
        sport, dport = struct.unpack('!HH', k[32:36])
        data.append(bytes(eth / IP(src=src, dst='10.1.1.1') / TCP(sport=sport, dport=dport, flags='PA')))
        kinds.append(('old', old[k]))
    on3 = [k for k in sorted(old) if old[k] == 3]
    for k in on3[:3]:   # these clients reconnect: the new ring decides
        src = str(ipaddress.ip_address(k[:4]))
        sport, _ = struct.unpack('!HH', k[32:36])
        data.append(bytes(eth / IP(src=src, dst='10.1.1.1') / TCP(sport=sport, dport=80, flags='S')))
        kinds.append(('syn', None))
    rng = random.Random(77)
    for _ in range(30):
        data.append(bytes(eth / IP(src='198.18.%d.%d' % (rng.randrange(256), rng.randrange(1, 255)),
                                   dst='10.1.1.1') /
                          TCP(sport=rng.randrange(1024, 65536), dport=80, flags='S')))
        kinds.append(('syn', None))
    ups = []
    for name, k, v in ctl.entries(cfg):
        ups += ['--map-update', '%s:%s:%s' % (name, k.hex(), v.hex())]
    for k, rid in sorted(table.items()):
        ups += ['--map-update', 'conn_cpu0:%s:%s' % (k.hex(), struct.pack('<I', rid).hex())]
    pcap = os.path.join(work, 'drain.pcap')
    t.write_pcap(pcap, data)
    model = Model(cfg, table)
    want = [model.run(d) for d in data]
    obj = t.prog_obj('l4lb')
    types = map_types(obj)
    runs = {}
    for label, binary, engine in (('interp', t.uxdp_run_bin(), 'interp'),
                                  ('jit', t.uxdp_run_bin(), 'jit'),
                                  ('kernel', t.kernel_run_bin(), None)):
        if label == 'kernel' and 0 not in os.sched_getaffinity(0):
            continue
        rc, lines, maps, err = tool_run(binary, obj, pcap, ups, engine)
        if rc == t.SKIP and label == 'kernel':
            print('drain: kernel not compared: %s' % err.strip())
            continue
        if f.check(rc == 0 and len(lines) == len(data) and maps is not None,
                   'drain %s: rc %d, %d lines: %s' % (label, rc, len(lines), err[-500:])):
            runs[label] = (lines, normal_maps(maps, types))
    if 'interp' not in runs:
        return
    lines = runs['interp'][0]
    f.equal([(l['action'], l['data']) for l in lines], [(a, d.hex()) for a, d in want],
            'drain: uxdp-run against the model')
    for label in ('jit', 'kernel'):
        if label in runs:
            f.equal(runs[label], runs['interp'], 'drain: %s against interp (frames, maps)' % label)
    reals = {str(ipaddress.ip_address(a[:16] if v6 else a[:4])): rid
             for rid, (a, v6) in model.reals.items()}
    got = [reals[outer_dst(l['data'])] if l['action'] == 'XDP_TX' else None for l in lines]
    f.check(all(g == rid for (kind, rid), g in zip(kinds, got) if kind == 'old'),
            'drain: known connections stay on their real: %s' % got)
    f.check(all(g in (1, 2) for (kind, _), g in zip(kinds, got) if kind == 'syn'),
            'drain: new connections avoid the drained real 3: %s' % got)
    f.check(len(on3) >= 3, 'drain: the first run put %d connections on real 3' % len(on3))
    srcs = {bytes.fromhex(l['data'])[26:30] for l in lines
            if l['action'] == 'XDP_TX' and bytes.fromhex(l['data'])[12:14] == b'\x08\x00'}
    f.check(len(srcs) > 20 and all(x[:2] == bytes([172, 16]) for x in srcs),
            'drain: outer IPv4 sources spread over 172.16.0.0/16: %d distinct' % len(srcs))
    print('drain real 3 from VIP 0: %d known connections kept (%d of them on real 3), '
          '%d new connections on reals 1 and 2; compared with model, %s' %
          (len(old), len(on3), sum(1 for k, _ in kinds if k == 'syn'), ', '.join(sorted(runs))),
          flush=True)


def main():
    f = t.Failures('nf_l4lb')
    for b in (t.uxdp_run_bin(), t.kernel_run_bin(), t.prog_obj('l4lb')):
        if not os.path.exists(b):
            f.check(False, '%s is not built' % b)
            f.finish()
    f.check(check_ring(), 'Maglev ring shares and disruption')
    work = t.private_dir('nf-l4lb')
    check_ctl_errors(f, work)
    ups = []
    for name, k, v in ctl.entries(CONFIG):
        ups += ['--map-update', '%s:%s:%s' % (name, k.hex(), v.hex())]
    key, val = seeded_entry()
    data = [c.data for c in pktset.l4lb_cases()]
    model = Model(CONFIG, {key: 7})
    if 0 not in os.sched_getaffinity(0):
        print('CPU 0 is not ours: the kernel would run on another CPU and use its '
              'connection table, not conn_cpu0 as uxdp-run does: kernel not compared')
    check_offline(f, work, data, ups + ['--map-update', 'conn_cpu0:%s:%s' % (key.hex(), val.hex())],
                  model)
    check_drain(f, work, model.table)
    for layout in LAYOUTS:
        check_testpmd(f, work, data, ups, (key, val), layout)
    f.finish()


if __name__ == '__main__':
    main()
