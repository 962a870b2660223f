#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Kernel-differential test of the offline path: every program of xdp_progs,
at every ISA level built (<name>.o, .v3.o, .v4.o), runs over the pktset
packets in uxdp-run and in uxdp-kernel-run (BPF_PROG_TEST_RUN). Verdicts,
output bytes, metadata and final map contents must be identical.

Also checked: --list agreement, --repeat (in place, same results), a
--map-update case, --out pcaps, the CLI error contract, and the frames the
kernel cannot judge (runts under 14 bytes) against the programs' own spec.
Exit 77 (skip) only when the bpf() syscall is not permitted.
"""

import collections
import glob
import json
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pktset  # noqa: E402
import nf_forward_cases  # noqa: E402

SKIP = 77
BUILD = os.environ.get('UXDP_BUILD_DIR') or sys.exit('UXDP_BUILD_DIR is not set')
UXDP_RUN = os.path.join(BUILD, 'app', 'uxdp-run', 'uxdp-run')
KERNEL_RUN = os.path.join(BUILD, 'app', 'test', 'oracle', 'uxdp-kernel-run')
PROG_DIR = os.path.join(BUILD, 'xdp_progs')
VARIANTS = ('', '.v3', '.v4')
# BPF_PROG_TEST_RUN refuses shorter packets.
KERNEL_MIN_LEN = 14
ARRAY_LIKE = {'array', 'percpu_array', 'prog_array', 'perf_event_array',
              'cgroup_array', 'array_of_maps', 'devmap', 'cpumap', 'xskmap'}
# Maps whose values are object ids: program ids (prog arrays) and map ids
# (maps of maps). The kernel's ids and uxdp's come from different
# registries, so only the key sets are compared; the inner maps are maps
# of the object too and are compared by content under their own names.
ID_VALUED = {'prog_array', 'array_of_maps', 'hash_of_maps'}
# What each program does with a frame too short for an Ethernet header
# (see its source); the kernel cannot run such frames at all.
RUNT_SPEC = {
    'xdp_pass': 'XDP_PASS',
    'demo_nf': 'XDP_DROP',
    'verdict_from_pkt': 'XDP_PASS',
    'adjust_head_tail': 'XDP_PASS',
    'xdp_tx_swap': 'XDP_DROP',
    'isa_ops': 'XDP_PASS',
    'rodata_cfg': 'XDP_PASS',
    'tail_calls': 'XDP_PASS',
    'map_in_map': 'XDP_PASS',
    'core_parse': 'XDP_DROP',
    'maps_mix': 'XDP_PASS',
    'helper_bytes': 'XDP_PASS',
    'helper_fmt': 'XDP_PASS',
    'helper_misc': 'XDP_PASS',
    'redirect_map': 'XDP_PASS',
    'frags_len': 'XDP_PASS',
    'flow_filter': 'XDP_PASS',
    'loop_iter': 'XDP_PASS',
    'xdp_drop': 'XDP_PASS',
    'counter': 'XDP_PASS',
    'length': 'XDP_PASS',
    'csum': 'XDP_PASS',
    'hash_sum': 'XDP_PASS',
    'xdping': 'XDP_PASS',
    'adjust_tail': 'XDP_PASS',
    'xdp_fw': 'XDP_DROP',
    'acl': 'XDP_PASS',
    'firewall': 'XDP_DROP',
    'tx_iptunnel': 'XDP_PASS',
    'httpdump': 'XDP_PASS',
    'lb': 'XDP_PASS',
    'l4lb': 'XDP_PASS',
}
# CO-RE programs, built only where the kernel has BTF to generate their
# vmlinux.h from (xdp_progs/meson.build).
CORE_PROGS = ('core_parse',)
VMLINUX_BTF = '/sys/kernel/btf/vmlinux'


def core_cases():
    """Frames for the decisions of core_parse (TTL and hop limit, IP
    version, TCP data offset and flags, fragments), added to pktset's."""
    from scapy.layers.inet import IP, TCP, UDP
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    eth = Ether(src=pktset.MAC_A, dst=pktset.MAC_B)
    ip = dict(src=pktset.IP_A, dst=pktset.IP_B)
    ip6 = dict(src=pktset.IP6_A, dst=pktset.IP6_B)
    frames = [
        ('core v4 ttl 0', eth / IP(ttl=0, **ip) / UDP(dport=53)),
        ('core v4 ttl 1', eth / IP(ttl=1, **ip) / UDP(dport=53)),
        ('core v4 ttl 2', eth / IP(ttl=2, **ip) / UDP(dport=53)),
        ('core v6 hlim 1', eth / IPv6(hlim=1, **ip6) / UDP(dport=53)),
        ('core v6 hlim 2', eth / IPv6(hlim=2, **ip6) / TCP(dport=443)),
        ('core tcp syn fin', eth / IP(**ip) / TCP(dport=22, flags='SF')),
        ('core v6 tcp syn fin', eth / IPv6(**ip6) / TCP(dport=22, flags='SF')),
        ('core tcp rst', eth / IP(**ip) / TCP(dport=80, flags='R')),
        ('core tcp doff 4', eth / IP(**ip) / TCP(dport=80, dataofs=4)),
        ('core v4 later fragment', eth / IP(frag=100, proto=6, **ip) / bytes(20)),
        ('core v4 first fragment', eth / IP(flags='MF', **ip) / TCP(dport=8080)),
    ]
    out = [pktset.Case(name, bytes(f)) for name, f in frames]
    # an IPv6 header behind the IPv4 ethertype, and the other way round
    v6 = bytes(eth / IPv6(**ip6) / UDP())
    out.append(pktset.Case('core v6 header as v4', v6[:12] + b'\x08\x00' + v6[14:]))
    v4 = bytes(eth / IP(**ip) / UDP())
    out.append(pktset.Case('core v4 header as v6', v4[:12] + b'\x86\xdd' + v4[14:] + bytes(40)))
    return out


ETH_P_REDIRECT_TEST = 0x88B8


def redirect_cases():
    """Command frames of redirect_map (see its source): op, arg, flags,
    arg2 over every helper path, added to pktset's."""
    hdr = bytes.fromhex('020000000002020000000001') + struct.pack('!H', ETH_P_REDIRECT_TEST)
    bcast, excl = 1 << 3, 1 << 4
    cmds = []
    for flags in (0, 1, 2, 3, 4, 1 << 5, 1 << 63):
        cmds.append((1, 7, flags, 0))                 # bpf_redirect
    for op in (2, 3, 4):
        for key in (0, 1, 3, 5, 42, 0xffffffff):
            for flags in (0, 1, 2, 3, 4, bcast, bcast | excl, excl | 2, 1 << 5):
                cmds.append((op, key, flags, 0))
    for key in (1, 5):
        for flags in (0, 2, bcast):
            cmds.append((5, 9, flags, key))          # the last call wins
    cmds.append((9, 0, 0, 0))                         # unknown op
    out = [pktset.Case('redirect op %d arg %d flags %#x arg2 %d' % c,
                       hdr + struct.pack('<BxxxIII', c[0], c[1], c[2] & 0xffffffff, c[3]))
           for c in cmds]
    out.append(pktset.Case('redirect short command', hdr + b'\x02\x00'))
    return out


class Result:
    """Counts checks; a 'unit' is one program x variant."""

    def __init__(self):
        self.units_ok = 0
        self.units_bad = 0
        self.checks_failed = 0
        self.packets_compared = 0
        self.packets_identical = 0

    def fail(self, msg):
        self.checks_failed += 1
        print('FAIL: ' + msg, flush=True)


R = Result()


def loopback_ifindex():
    try:
        with open('/sys/class/net/lo/ifindex') as f:
            return int(f.read())
    except (OSError, ValueError):
        return 1


# BPF_PROG_TEST_RUN without an ifindex runs on the loopback device's queue
# 0, so programs there read lo's ifindex: uxdp-run is told the same.
UXDP_CTX_ARGS = ['--ifindex', str(loopback_ifindex()), '--rxq', '0']


def short(text, limit=400):
    """Long hex lines cut for failure messages."""
    text = str(text)
    return text if len(text) <= limit else text[:limit] + '...(%d chars)' % len(text)


def pin_to_one_cpu():
    """The kernel's per-CPU maps have a slot per possible CPU and a run
    writes the slot of the CPU it ran on: pinned to one CPU, every packet
    of a kernel run writes the same slot, as uxdp-run (no EAL lcore)
    always writes slot 0. See per_cpu_comparable()."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def run(tool, args):
    if tool == UXDP_RUN:
        args = UXDP_CTX_ARGS + args
    p = subprocess.run([tool] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=300,
                       preexec_fn=pin_to_one_cpu if tool == KERNEL_RUN else None)
    return p.returncode, p.stdout.splitlines(), p.stderr


def split_output(lines, want_maps):
    """Packet lines and the parsed map dump (None without --dump-maps)."""
    if want_maps:
        if not lines or not lines[-1].startswith('{"maps"'):
            return lines, None
        return lines[:-1], json.loads(lines[-1])['maps']
    return lines, None


def map_types(obj):
    rc, out, err = run(KERNEL_RUN, ['--list', obj])
    if rc != 0:
        raise RuntimeError('uxdp-kernel-run --list %s: %s' % (obj, err))
    return {m['name']: m['type'] for m in json.loads(out[0])['maps']}


def per_cpu_comparable(entries):
    """Per-CPU entries ("values": one hex string per CPU) as the slots in
    use: the kernel has one slot per possible CPU and the run used the one
    it was pinned to, uxdp has RTE_MAX_LCORE slots and used slot 0. What
    must agree is what was written: the non-zero slots, in order."""
    out = []
    for e in entries:
        if 'values' in e:
            e = dict(e)
            e['values'] = [v for v in e['values'] if any(c != '0' for c in v)]
        out.append(e)
    return out


def compare_maps(obj, kmaps, umaps, types):
    """Array-like maps compare as lists (index order), the others as sets:
    hash iteration order is the implementation's business."""
    ok = True
    if kmaps is None or umaps is None:
        R.fail('%s: missing map dump (kernel %s, uxdp %s)' %
               (obj, kmaps is not None, umaps is not None))
        return False
    if set(kmaps) != set(umaps):
        R.fail('%s: map names differ: kernel %s, uxdp %s' %
               (obj, sorted(kmaps), sorted(umaps)))
        return False
    for name in kmaps:
        k, u = kmaps[name], umaps[name]
        k, u = per_cpu_comparable(k), per_cpu_comparable(u)
        if types.get(name) in ID_VALUED:
            same = sorted(e['key'] for e in k) == sorted(e['key'] for e in u)
        elif types.get(name) in ARRAY_LIKE:
            same = k == u
        else:
            def as_set(entries):
                return {json.dumps(e, sort_keys=True) for e in entries}
            same = len(k) == len(u) and as_set(k) == as_set(u)
        if not same:
            ok = False
            R.fail('%s: map %s differs\n  kernel: %s\n  uxdp:   %s' %
                   (obj, name, short(json.dumps(k), 2000), short(json.dumps(u), 2000)))
    return ok


def without_timing(line):
    d = json.loads(line)
    d.pop('ns_per_run', None)
    return d


def compare_packets(obj, cases, klines, ulines, timed=False):
    """Line by line; returns (identical, action histogram)."""
    hist = collections.Counter()
    if len(klines) != len(cases) or len(ulines) != len(cases):
        R.fail('%s: %d packets in, %d kernel lines, %d uxdp lines' %
               (obj, len(cases), len(klines), len(ulines)))
        return False, hist
    first_bad = None
    for i, (case, k, u) in enumerate(zip(cases, klines, ulines)):
        R.packets_compared += 1
        if timed:
            for line in (k, u):
                ns = json.loads(line).get('ns_per_run')
                if not isinstance(ns, int) or ns < 0:
                    R.fail('%s: packet %d: no valid ns_per_run in %s' % (obj, i + 1, line))
            same = without_timing(k) == without_timing(u)
        else:
            same = k == u
        if same:
            R.packets_identical += 1
            hist[json.loads(k).get('action', 'error')] += 1
        elif first_bad is None:
            first_bad = (i, case, k, u)
    if first_bad is not None:
        i, case, k, u = first_bad
        n_bad = len(cases) - sum(hist.values())
        R.fail('%s: %d packet(s) differ; first: packet %d "%s" (%d bytes)\n'
               '  input:  %s\n  kernel: %s\n  uxdp:   %s' %
               (obj, n_bad, i + 1, case.name, len(case.data), short(case.data.hex()),
                short(k), short(u)))
        return False, hist
    return True, hist


def prog_name(obj):
    return os.path.basename(obj).split('.')[0]


def check_list(obj):
    rc_k, k, err_k = run(KERNEL_RUN, ['--list', obj])
    rc_u, u, err_u = run(UXDP_RUN, ['--list', obj])
    if rc_k != 0 or rc_u != 0:
        R.fail('%s: --list failed: kernel %d %s; uxdp %d %s' % (obj, rc_k, err_k, rc_u, err_u))
        return False
    kl, ul = json.loads(k[0]), json.loads(u[0])
    # map_refs index the linked code, whose subprogram layout differs
    # (libbpf depth-first, uxdp breadth-first): test_loader_elfview.py
    # compares them, each against its own layout.
    # verify is uxdp's own field (the mode each program got, here the
    # kernel's verifier, as uxdp-run's default auto resolves as root).
    for entry in kl['programs'] + ul['programs']:
        entry.pop('map_refs', None)
    for entry in ul['programs']:
        if entry.pop('verify', None) != 'kernel':
            R.fail('%s: uxdp-run --list: a program not verified by the kernel: %s'
                   % (obj, json.dumps(ul['programs'])))
            return False
    # maps in name order: the section order of user maps vs global data
    # maps is a loader detail
    for part in ('programs', 'maps'):
        ks = sorted(kl[part], key=lambda e: e['name'])
        us = sorted(ul[part], key=lambda e: e['name'])
        if ks != us:
            R.fail('%s: --list %s differ\n  kernel: %s\n  uxdp:   %s' %
                   (obj, part, json.dumps(ks), json.dumps(us)))
            return False
    return True


def check_runts(obj, runts_pcap, runts):
    """Kernel: refuses every runt. uxdp: the program's own rule."""
    ok = True
    rc, klines, _ = run(KERNEL_RUN, ['--in', runts_pcap, obj])
    if rc != 1 or len(klines) != len(runts) or \
            not all('"error"' in line for line in klines):
        R.fail('%s: the kernel was expected to refuse all %d runts (rc %d): %s' %
               (obj, len(runts), rc, short(klines)))
        ok = False
    want = RUNT_SPEC.get(prog_name(obj))
    if want is None:
        print('  %s: no runt rule for this program, runts not checked' % obj)
        return ok
    rc, ulines, err = run(UXDP_RUN, ['--in', runts_pcap, obj])
    if rc != 0 or len(ulines) != len(runts):
        R.fail('%s: uxdp-run over runts: rc %d, %d lines, %s' % (obj, rc, len(ulines), err))
        return False
    for case, line in zip(runts, ulines):
        d = json.loads(line)
        if d['action'] != want or d['data'] != case.data.hex() or d['meta'] != '':
            R.fail('%s: runt "%s": want %s with the frame unchanged, got %s' %
                   (obj, case.name, want, short(line)))
            ok = False
    return ok


def check_icmp_replies(obj, cases, klines):
    """The demo NF's echo replies must carry a valid ICMP checksum when the
    request did: a check of the program, which uxdp must reproduce."""
    def csum_ok(b):
        if len(b) % 2:
            b += b'\0'
        s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
        while s >> 16:
            s = (s & 0xffff) + (s >> 16)
        return s == 0xffff

    bad = 0
    for case, line in zip(cases, klines):
        d = json.loads(line)
        data = bytes.fromhex(d.get('data', ''))
        if d.get('action') != 'XDP_TX' or len(data) < 34 or data[12:14] != b'\x08\x00':
            continue
        ihl = (data[14] & 0xf) * 4
        if csum_ok(case.data[14 + ihl:]) and not csum_ok(data[14 + ihl:]):
            bad += 1
            R.fail('%s: echo reply to "%s" has a bad ICMP checksum: %s' %
                   (obj, case.name, d['data']))
    return bad == 0


def check_unit(obj, main_pcap, cases, runts_pcap, runts):
    types = map_types(obj)
    args = ['--dump-maps', '--in', main_pcap, obj]
    rc_k, kout, err_k = run(KERNEL_RUN, args)
    rc_u, uout, err_u = run(UXDP_RUN, args)
    ok = True
    ok &= check_jit_same(obj, args, rc_u, uout, types)
    if rc_k != 0 or rc_u != 0:
        R.fail('%s: exit status kernel %d, uxdp %d\n  kernel stderr: %s\n  uxdp stderr: %s' %
               (obj, rc_k, rc_u, err_k.strip(), err_u.strip()))
        ok = False
    klines, kmaps = split_output(kout, True)
    ulines, umaps = split_output(uout, True)
    same, hist = compare_packets(obj, cases, klines, ulines)
    maps_same = compare_maps(obj, kmaps, umaps, types)
    ok &= same and maps_same
    ok &= check_list(obj)
    ok &= check_runts(obj, runts_pcap, runts)
    if prog_name(obj) in ('demo_nf', 'xdping') and len(klines) == len(cases):
        ok &= check_icmp_replies(obj, cases, klines)
    if prog_name(obj) == 'adjust_tail' and len(klines) == len(cases):
        ok &= check_frag_needed_replies(obj, cases, klines, 600)
    print('%-28s %3d packets, %3d identical, maps %s; %s' %
          (os.path.basename(obj), len(cases), sum(hist.values()),
           'identical' if maps_same else 'DIFFER',
           ', '.join('%s %d' % kv for kv in sorted(hist.items()))), flush=True)
    return ok


def check_jit_same(obj, args, rc_interp, interp_out, types):
    """--engine jit must print exactly the interpreter's packet lines
    (verdicts, data, metadata) and the same map contents (hash maps as
    sets: their dump order is not part of the contract)."""
    rc_j, jout, err_j = run(UXDP_RUN, ['--engine', 'jit'] + args)
    if rc_j != rc_interp:
        R.fail('%s --engine jit: exit status %d, interp %d: %s' %
               (obj, rc_j, rc_interp, err_j.strip()))
        return False
    ilines, imaps = split_output(interp_out, True)
    jlines, jmaps = split_output(jout, True)
    diffs = [i for i, (a, b) in enumerate(zip(ilines, jlines)) if a != b]
    if len(jlines) != len(ilines) or diffs:
        first = diffs[0] if diffs else min(len(jlines), len(ilines))
        R.fail('%s --engine jit: output differs from the interpreter at line %d\n'
               '  interp: %s\n  jit:    %s' %
               (obj, first,
                short(ilines[first] if first < len(ilines) else '(none)'),
                short(jlines[first] if first < len(jlines) else '(none)')))
        return False
    return compare_maps(obj + ' --engine jit (kernel = interp, uxdp = jit)',
                        imaps, jmaps, types)


def check_repeat(obj, main_pcap, cases):
    """--repeat 10: ten runs in place on one frame; results and maps must
    still agree (timings are not compared)."""
    types = map_types(obj)
    args = ['--repeat', '10', '--dump-maps', '--in', main_pcap, obj]
    rc_k, kout, _ = run(KERNEL_RUN, args)
    rc_u, uout, _ = run(UXDP_RUN, args)
    klines, kmaps = split_output(kout, True)
    ulines, umaps = split_output(uout, True)
    ok = rc_k == 0 and rc_u == 0
    if not ok:
        R.fail('%s --repeat 10: exit status kernel %d, uxdp %d' % (obj, rc_k, rc_u))
    same, _ = compare_packets(obj + ' --repeat 10', cases, klines, ulines, timed=True)
    ok &= same
    ok &= compare_maps(obj + ' --repeat 10', kmaps, umaps, types)
    print('%-28s --repeat 10: %s' % (os.path.basename(obj), 'identical' if ok else 'DIFFER'))
    return ok


def run_with_updates(obj, label, ups, main_pcap, cases):
    """Both tools over the packets after the same --map-update list: exit
    status, packets and final maps compared. Returns (ok, action
    histogram, uxdp's maps, args, uxdp's exit status and output, types)."""
    types = map_types(obj)
    args = ups + ['--dump-maps', '--in', main_pcap, obj]
    rc_k, kout, err_k = run(KERNEL_RUN, args)
    rc_u, uout, err_u = run(UXDP_RUN, args)
    klines, kmaps = split_output(kout, True)
    ulines, umaps = split_output(uout, True)
    ok = rc_k == 0 and rc_u == 0
    if not ok:
        R.fail('%s %s: exit status kernel %d %s, uxdp %d %s' %
               (obj, label, rc_k, err_k, rc_u, err_u))
    same, hist = compare_packets(obj + ' ' + label, cases, klines, ulines)
    ok &= same
    ok &= compare_maps(obj + ' ' + label, kmaps, umaps, types)
    return ok, hist, umaps, args, rc_u, uout, types


def check_map_update(obj, main_pcap, cases):
    """Seeded counters: both tools apply the updates before the first
    packet, and the dump shows seed + count."""
    seed_pass = 1000
    ups = ['--map-update', 'verdicts:02000000:%s' % struct.pack('<Q', seed_pass).hex(),
           '--map-update', 'proto_count:11000000:0500000000000000',
           '--map-update', 'demo_nf.bss:00000000:0a00000000000000']
    ok, hist, umaps, _, _, _, _ = run_with_updates(obj, '--map-update', ups,
                                                   main_pcap, cases)
    if umaps is not None:
        got = {e['key']: e['value'] for e in umaps.get('verdicts', [])}.get('02000000')
        want = struct.pack('<Q', seed_pass + hist['XDP_PASS']).hex()
        if got != want:
            ok = False
            R.fail('%s --map-update: verdicts[XDP_PASS] is %s, want seed + passes = %s' %
                   (obj, got, want))
    print('%-28s --map-update: %s' % (os.path.basename(obj), 'identical' if ok else 'DIFFER'))
    return ok


def check_redirect_devmaps(obj, main_pcap, cases):
    """redirect_map with entries in both devmaps: the lookups that find
    them give XDP_REDIRECT. The kernel's devmaps hold real netdevs, so the
    entries name lo, the device its test run uses; uxdp stores the number."""
    lo = struct.pack('<I', loopback_ifindex()).hex()
    ups = ['--map-update', 'tx_ports:01000000:' + lo,
           '--map-update', 'tx_ports:03000000:' + lo,
           '--map-update', 'tx_ports_hash:2a000000:' + lo + '00000000',
           '--map-update', 'tx_ports_hash:05000000:' + lo + '00000000']
    ok, hist, _, args, rc_u, uout, types = run_with_updates(
        obj, 'devmap entries', ups, main_pcap, cases)
    ok &= check_jit_same(obj + ' devmap entries', args, rc_u, uout, types)
    print('%-28s devmap entries: %s; %s' %
          (os.path.basename(obj), 'identical' if ok else 'DIFFER',
           ', '.join('%s %d' % kv for kv in sorted(hist.items()))), flush=True)
    return ok


def check_nf_forward(ifindex, tmp):
    """The forwarding NFs (nf_forward_cases.py) configured through
    --map-update in both tools: the kernel's verdicts must be the NF's
    spec, uxdp's packets and maps the kernel's, the JIT the interpreter's."""
    ok = True
    for name, make_runs in sorted(nf_forward_cases.ORACLE_RUNS.items()):
        for label, entries, nf_cases in make_runs(ifindex):
            cases = [pktset.Case(n, f) for n, f, _ in nf_cases]
            pcap = os.path.join(tmp, 'nf-%s.pcap' % name)
            pktset.write_pcap(pcap, cases)
            ups = nf_forward_cases.map_update_args(entries)
            for v in VARIANTS:
                obj = os.path.join(PROG_DIR, name + v + '.o')
                if not os.path.exists(obj):
                    R.fail('%s is not built' % obj)
                    ok = False
                    continue
                same, hist, _, args, rc_u, uout, types = run_with_updates(
                    obj, label, ups, pcap, cases)
                same &= check_jit_same(obj + ' ' + label, args, rc_u, uout, types)
                _, klines, _ = run(KERNEL_RUN, args)
                for (n, _, want), line in zip(nf_cases, klines):
                    got = json.loads(line).get('action')
                    if got != nf_forward_cases.ACTION_NAMES[want]:
                        R.fail('%s %s: "%s": the kernel says %s, the spec %s' %
                               (obj, label, n, got, nf_forward_cases.ACTION_NAMES[want]))
                        same = False
                ok &= same
                print('%-28s %s: %s; %s' %
                      (os.path.basename(obj), label, 'identical' if same else 'DIFFER',
                       ', '.join('%s %d' % kv for kv in sorted(hist.items()))), flush=True)
    return ok


# --set cases: (program, settings). demo_nf drops only UDP to
# drop_udp_dport when set; rodata_cfg stamps its settings into frames of
# cfg_ethertype. Each must change some output, or it would prove nothing.
CONST_RUNS = [
    ('demo_nf', ['drop_udp_dport=53']),
    ('demo_nf', ['drop_udp_dport=hex:3500']),
    ('rodata_cfg', ['cfg_ethertype=0x0800', 'cfg_verdict=3',
                    'cfg_cookie=0xfedcba9876543210', 'cfg_delta=-2147483648',
                    'cfg_mode=1', 'cfg_ttl=255', 'cfg_s8=-128',
                    'cfg_mac=hex:0a0b0c0d0e0f']),
    ('rodata_cfg', ['cfg_ethertype=34525', 'cfg_mode=65536', 'cfg_verdict=1',
                    'cfg_delta=7', 'cfg_s8=127']),
    # a later setting of the same variable wins
    ('rodata_cfg', ['cfg_ethertype=0x86dd', 'cfg_ethertype=0x0800']),
]
# Refusals, identical in both tools: (settings, exit status, message part).
CONST_ERRORS = [
    ('demo_nf', ['no_such_var=1'], 1, "no .rodata variable named 'no_such_var'"),
    ('demo_nf', ['pkt_total=1'], 1, "'pkt_total' is in section '.bss'"),
    ('demo_nf', ['drop_udp_dport=65536'], 1, 'does not fit a 2-byte unsigned integer'),
    ('demo_nf', ['drop_udp_dport=-1'], 1, 'is negative'),
    ('demo_nf', ['drop_udp_dport=hex:01'], 1, 'has 1 bytes, the variable has 2'),
    ('rodata_cfg', ['cfg_mac=1'], 1, 'not an integer or enum'),
    ('rodata_cfg', ['cfg_s8=-129'], 1, 'does not fit a 1-byte signed integer'),
    ('demo_nf', ['drop_udp_dport'], 2, 'expected NAME=VALUE'),
    ('demo_nf', ['drop_udp_dport=5x'], 2, 'neither an integer'),
]


def check_consts(main_pcap, cases):
    """--set: uxdp writes the settings into its .rodata maps before the
    checks, the oracle into libbpf's .rodata image before load; verdicts,
    bytes and maps must agree, at every ISA level."""
    ok = True
    for name, sets in CONST_RUNS:
        set_args = [a for c in sets for a in ('--set', c)]
        for v in VARIANTS:
            obj = os.path.join(PROG_DIR, name + v + '.o')
            if not os.path.exists(obj):
                R.fail('%s is not built' % obj)
                ok = False
                continue
            types = map_types(obj)
            args = set_args + ['--dump-maps', '--in', main_pcap, obj]
            rc_k, kout, err_k = run(KERNEL_RUN, args)
            rc_u, uout, err_u = run(UXDP_RUN, args)
            what = '%s --set %s' % (os.path.basename(obj), ' '.join(sets))
            if rc_k != 0 or rc_u != 0:
                R.fail('%s: exit status kernel %d %s, uxdp %d %s' %
                       (what, rc_k, err_k.strip(), rc_u, err_u.strip()))
                ok = False
                continue
            klines, kmaps = split_output(kout, True)
            ulines, umaps = split_output(uout, True)
            same, hist = compare_packets(what, cases, klines, ulines)
            ok &= same and compare_maps(what, kmaps, umaps, types)
            _, plain, _ = run(KERNEL_RUN, ['--in', main_pcap, obj])
            if plain == klines:
                R.fail('%s: the kernel output equals the output without --set: '
                       'the case proves nothing' % what)
                ok = False
            print('%-28s %s: %s; %s' % (os.path.basename(obj), ' '.join(sets),
                                        'identical' if same else 'DIFFER',
                                        ', '.join('%s %d' % kv for kv in sorted(hist.items()))),
                  flush=True)
    for name, sets, want_rc, want_msg in CONST_ERRORS:
        obj = os.path.join(PROG_DIR, name + '.o')
        set_args = [a for c in sets for a in ('--set', c)]
        for tool in (UXDP_RUN, KERNEL_RUN):
            rc, out, err = run(tool, set_args + ['--pkt', '00' * 60, obj])
            if rc != want_rc or out or want_msg not in err:
                R.fail('%s --set %s: want exit %d and %r on stderr, got %d %r %s' %
                       (os.path.basename(tool), ' '.join(sets), want_rc, want_msg,
                        rc, err.strip(), short(out)))
                ok = False
    print('--set refusals: %s' % ('as specified' if ok else 'WRONG'), flush=True)
    return ok


def read_pcap(path):
    with open(path, 'rb') as f:
        blob = f.read()
    magic = struct.unpack('<I', blob[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    frames, off = [], 24
    while off < len(blob):
        _, _, caplen, _ = struct.unpack(endian + 'IIII', blob[off:off + 16])
        frames.append(blob[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return frames


def check_out_pcap(obj, main_pcap, tmp):
    """--out holds every output frame, in input order, equal to the JSON
    data; the kernel oracle's --out file is identical."""
    ok = True
    outs = {}
    for tool in (UXDP_RUN, KERNEL_RUN):
        path = os.path.join(tmp, os.path.basename(tool) + '.out.pcap')
        rc, lines, err = run(tool, ['--out', path, '--in', main_pcap, obj])
        frames = read_pcap(path) if rc == 0 else []
        datas = [bytes.fromhex(json.loads(line)['data']) for line in lines]
        if rc != 0 or frames != datas:
            R.fail('%s --out by %s: rc %d, %d frames for %d lines, equal %s' %
                   (obj, os.path.basename(tool), rc, len(frames), len(datas), frames == datas))
            ok = False
        with open(path, 'rb') as f:
            outs[tool] = f.read()
    if ok and outs[UXDP_RUN] != outs[KERNEL_RUN]:
        R.fail('%s --out: uxdp-run and uxdp-kernel-run files differ' % obj)
        ok = False
    print('%-28s --out: %s' % (os.path.basename(obj), 'identical' if ok else 'DIFFER'))
    return ok


def check_cli_errors(obj):
    """Errors of the contract, for both tools."""
    ok = True
    cases = [
        (['--map-update', 'no_such_map:00000000:0000000000000000'], 2, 'unknown map'),
        (['--map-update', 'verdicts:0000:0000000000000000'], 2, 'short key'),
        (['--map-update', 'verdicts:00000000:00'], 2, 'short value'),
        (['--map-update', 'verdicts:zz:00'], 2, 'non-hex key'),
        (['--repeat', '0'], 2, 'repeat 0'),
        (['--prog', 'no_such_prog'], 1, 'unknown program'),
    ]
    for tool in (UXDP_RUN, KERNEL_RUN):
        for extra, want, what in cases:
            rc, out, err = run(tool, extra + ['--pkt', '00' * 60, obj])
            if rc != want or not err.strip() or out:
                R.fail('%s %s: want exit %d and a message, got %d, stderr %r, stdout %s' %
                       (os.path.basename(tool), what, want, rc, err, short(out)))
                ok = False
        rc, out, err = run(tool, ['--pkt', '00' * 60, '/nonexistent.o'])
        if rc == 0 or not err.strip():
            R.fail('%s: a missing object must fail with a message' % os.path.basename(tool))
            ok = False
    # a packet longer than the kernel's test run takes (the linear part
    # and 17 page-sized fragments) is an error line, the next packet
    # still runs, the exit status says something failed
    too_long = pktset.MAX_LINEAR + 17 * 4096 + 1
    pcap_path = os.path.join(tempfile.gettempdir(), 'oracle-big-%d.pcap' % os.getpid())
    with open(pcap_path, 'wb') as f:   # a snaplen that keeps it whole
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        for i, data in enumerate((bytes(too_long), bytes(60))):
            f.write(struct.pack('<IIII', 0, i, len(data), len(data)) + data)
    rc, out, err = run(UXDP_RUN, ['--in', pcap_path, obj])
    os.unlink(pcap_path)
    if rc != 1 or len(out) != 2 or 'error' not in json.loads(out[0]) or \
            json.loads(out[1]).get('action') is None:
        R.fail('uxdp-run with a %d-byte packet: want an error line, a result line '
               'and exit 1; got %d %s' % (too_long, rc, short(out)))
        ok = False
    print('%-28s CLI errors: %s' % (os.path.basename(obj), 'as specified' if ok else 'WRONG'))
    return ok


def check_jit(obj, main_pcap, cases):
    """The JIT must match the kernel too once it exists; until then it
    must refuse with a message."""
    rc, uout, err = run(UXDP_RUN, ['--engine', 'jit', '--in', main_pcap, obj])
    if rc != 0:
        R.fail('uxdp-run --engine jit failed: %s' % err.strip())
        return False
    rc_k, kout, _ = run(KERNEL_RUN, ['--in', main_pcap, obj])
    same, _ = compare_packets(obj + ' --engine jit', cases, kout, uout)
    print('%-28s --engine jit: %s' % (os.path.basename(obj), 'identical' if same else 'DIFFER'))
    return same


def ones_complement_ok(b):
    """Does b sum to 0xffff in one's complement (a valid checksum)?"""
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s == 0xffff


def check_frag_needed_replies(obj, cases, klines, max_len):
    """adjust_tail's XDP_TX frames are whole ICMP "fragmentation needed"
    replies (see its source): addresses exchanged, both checksums valid,
    the next-hop MTU from the limit, the first 128 bytes of the datagram
    quoted. A check of the program, which uxdp must reproduce."""
    bad = 0
    for case, line in zip(cases, klines):
        d = json.loads(line)
        if d.get('action') != 'XDP_TX':
            continue
        out = bytes.fromhex(d['data'])
        want_hdr = case.data[6:12] + case.data[0:6] + b'\x08\x00'
        problems = []
        if len(out) != 14 + 20 + 8 + 128 or len(case.data) <= max_len:
            problems.append('length %d from %d' % (len(out), len(case.data)))
        else:
            if out[:14] != want_hdr:
                problems.append('Ethernet header')
            if out[26:30] != case.data[30:34] or out[30:34] != case.data[26:30]:
                problems.append('addresses')
            if not ones_complement_ok(out[14:34]) or not ones_complement_ok(out[34:]):
                problems.append('checksum')
            if out[34:36] != b'\x03\x04' or \
                    struct.unpack('!H', out[40:42])[0] != max_len - 14:
                problems.append('type, code or MTU')
            if out[42:] != case.data[14:14 + 128]:
                problems.append('quote')
        if problems:
            bad += 1
            R.fail('%s: reply to "%s": %s wrong: %s' %
                   (obj, case.name, ', '.join(problems), short(d['data'])))
    return bad == 0


def check_nf_basic_configured(main_pcap, cases):
    """The basic NFs with configuration in their maps before the first
    packet, the same in both tools: adjust_tail with a 200-byte limit for
    DF datagrams only (the replies change), length with a seeded entry
    (the update path adds to it), at every ISA level."""
    ok = True
    tail_cfg = struct.pack('<II', 200, 1).hex()
    seeded = struct.pack('<QQ', 1000, 7).hex()
    runs = [('adjust_tail', ['--map-update', 'adjust_tail_cfg:00000000:' + tail_cfg]),
            ('length', ['--map-update', 'length_hist:3c000000:' + seeded])]
    for name, ups in runs:
        for v in VARIANTS:
            obj = os.path.join(PROG_DIR, name + v + '.o')
            if not os.path.exists(obj):
                R.fail('%s is not built' % obj)
                ok = False
                continue
            good, hist, umaps, _, _, uout, _ = run_with_updates(
                obj, 'configured', ups, main_pcap, cases)
            if name == 'adjust_tail':
                ulines, _ = split_output(uout, True)
                if len(ulines) == len(cases):
                    good &= check_frag_needed_replies(obj + ' configured', cases,
                                                      ulines, 200)
                _, plain, _ = run(KERNEL_RUN, ['--in', main_pcap, obj])
                if plain == ulines:
                    R.fail('%s: configured output equals the default: the case '
                           'proves nothing' % obj)
                    good = False
            else:
                got = {e['key']: e['value'] for e in (umaps or {}).get('length_hist', [])}
                n60 = sum(1 for c in cases if len(c.data) == 60)
                want = struct.pack('<Q', 1000 + n60).hex()
                if got.get('3c000000', '')[:16] != want:
                    R.fail('%s: length_hist[60] is %s, want seed + %d frames = %s' %
                           (obj, got.get('3c000000'), n60, want))
                    good = False
            ok &= good
            print('%-28s configured: %s; %s' %
                  (os.path.basename(obj), 'identical' if good else 'DIFFER',
                   ', '.join('%s %d' % kv for kv in sorted(hist.items()))), flush=True)
    return ok


def main():
    for tool in (UXDP_RUN, KERNEL_RUN):
        if not os.access(tool, os.X_OK):
            print('FAIL: %s is not built' % tool)
            return 1
    rc, _, err = run(KERNEL_RUN, ['--pkt', '00' * 14,
                                  os.path.join(PROG_DIR, 'xdp_pass.o')])
    if rc == SKIP:
        print(err.strip() or 'SKIP: uxdp-kernel-run cannot use the bpf() syscall')
        return SKIP

    names = sorted({os.path.basename(p).split('.')[0]
                    for p in glob.glob(os.path.join(PROG_DIR, '*.o'))})
    for name in CORE_PROGS:
        if name not in names and not os.path.exists(VMLINUX_BTF):
            print('%s: not built, no %s to generate its vmlinux.h from: '
                  'CO-RE not compared with the kernel' % (name, VMLINUX_BTF))
    objs = []
    for name in names:
        for v in VARIANTS:
            path = os.path.join(PROG_DIR, name + v + '.o')
            if os.path.exists(path):
                objs.append(path)
            else:
                R.fail('%s is not built' % path)
    if not objs:
        print('FAIL: no program objects under %s' % PROG_DIR)
        return 1

    all_cases = pktset.packets() + core_cases() + redirect_cases() + pktset.frags_cases()
    all_cases += pktset.nf_basic_cases()
    cases = [c for c in all_cases if len(c.data) >= KERNEL_MIN_LEN]
    runts = [c for c in all_cases if len(c.data) < KERNEL_MIN_LEN]
    with tempfile.TemporaryDirectory(prefix='uxdp-oracle-') as tmp:
        main_pcap = os.path.join(tmp, 'pktset.pcap')
        runts_pcap = os.path.join(tmp, 'runts.pcap')
        pktset.write_pcap(main_pcap, cases)
        pktset.write_pcap(runts_pcap, runts)
        print('%d programs x %d variants, %d packets each (+%d runts checked '
              'against the programs\' spec)' %
              (len(names), len(VARIANTS), len(cases), len(runts)), flush=True)

        for obj in objs:
            if check_unit(obj, main_pcap, cases, runts_pcap, runts):
                R.units_ok += 1
            else:
                R.units_bad += 1

        extra_ok = True
        for name in ('demo_nf', 'adjust_head_tail', 'verdict_from_pkt', 'isa_ops'):
            obj = os.path.join(PROG_DIR, name + '.o')
            if os.path.exists(obj):
                extra_ok &= check_repeat(obj, main_pcap, cases)
        extra_ok &= check_consts(main_pcap, cases)
        demo = os.path.join(PROG_DIR, 'demo_nf.o')
        if os.path.exists(demo):
            extra_ok &= check_map_update(demo, main_pcap, cases)
            extra_ok &= check_cli_errors(demo)
            extra_ok &= check_jit(demo, main_pcap, cases)
        for v in VARIANTS:
            obj = os.path.join(PROG_DIR, 'redirect_map' + v + '.o')
            if os.path.exists(obj):
                extra_ok &= check_redirect_devmaps(obj, main_pcap, cases)
        extra_ok &= check_nf_basic_configured(main_pcap, cases)
        extra_ok &= check_nf_forward(loopback_ifindex(), tmp)
        geometry = os.path.join(PROG_DIR, 'adjust_head_tail.o')
        if os.path.exists(geometry):
            extra_ok &= check_out_pcap(geometry, main_pcap, tmp)

    print('%d packet runs compared, %d identical; %d other check(s) failed' %
          (R.packets_compared, R.packets_identical, R.checks_failed))
    print('%d passed, %d failed' % (R.units_ok, R.units_bad))
    return 0 if R.units_bad == 0 and R.checks_failed == 0 and extra_ok else 1


if __name__ == '__main__':
    sys.exit(main())
