#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""The /uxdp/ telemetry commands against a running dpdk-testpmd, and a hot
program swap under traffic.

net_pcap0 (two RX queues, each infinite_rx over in.pcap) is the sub-port
of net_uxdp0 (port 1), which runs xdp_progs/flow_filter.o; testpmd
receives (rxonly; its forwarding lcore polls both queues, two QSBR
threads of the swap). Checked:
  - every command through the stock dpdk-telemetry.py (non-interactive);
  - 10k rules written with map_update, read back with paginated map_dump
    (every key once, every reply under 16 KiB), BTF-decoded struct keys
    and values, JSON keys and values accepted by lookup/update/delete;
  - rule updates that change the verdicts of live traffic;
  - per-CPU counters (verdict_count) that add up to the verdict xstats;
  - malformed parameters: an error naming the parameter, nothing crashes;
  - prog_swap under traffic: after the reply the old program runs no more,
    the kept maps keep counting, and sub-port RX = sum of verdicts = what
    the programs counted; failed swaps keep the running program.
"""

import json
import os
import struct
import subprocess
import time

from scapy.all import IP, UDP, TCP, Ether, Raw

import uxdp_testlib as t

PORT = 1
XDP_DROP, XDP_PASS = 1, 2
N_RULES = 10000
SRC_A, SRC_B, SRC_C, DST = '192.0.2.1', '192.0.2.2', '192.0.2.3', '198.51.100.1'


def ip4(a):
    return bytes(int(x) for x in a.split('.'))


def flow_key(saddr, daddr, dport, proto):
    return (ip4(saddr) + ip4(daddr) + struct.pack('!H', dport) +
            bytes([proto, 0])).hex()


def rule(action, hits=0):
    return struct.pack('<IIQ', action, 0, hits).hex()


# The traffic: one cycle of the pcap, repeated by infinite_rx.
CYCLE = [('A', Ether() / IP(src=SRC_A, dst=DST) / UDP(dport=53) / Raw(b'a' * 20)),
         ('B', Ether() / IP(src=SRC_B, dst=DST) / TCP(dport=80) / Raw(b'b' * 20)),
         ('C', Ether() / IP(src=SRC_C, dst=DST) / UDP(dport=53) / Raw(b'c' * 20)),
         ('A', Ether() / IP(src=SRC_A, dst=DST) / UDP(dport=53) / Raw(b'd' * 30))]
KEY_A = flow_key(SRC_A, DST, 53, 17)
KEY_B = flow_key(SRC_B, DST, 80, 6)
KEY_C = flow_key(SRC_C, DST, 53, 17)


def bulk_keys():
    """N_RULES flows that the traffic never matches (10.x.y.z sources)."""
    return [flow_key('10.%d.%d.%d' % (i >> 16, (i >> 8) & 255, i & 255),
                     DST, 9000, 17) for i in range(N_RULES)]


def check_via_telemetry_py(f, prefix):
    cmds = ['/uxdp/list', '/uxdp/info,%d' % PORT, '/uxdp/maps,%d' % PORT,
            '/uxdp/map_dump,%d,flows,0,2,btf' % PORT,
            '/uxdp/map_update,%d,flows,%s,%s' % (PORT, KEY_B, rule(XDP_PASS)),
            '/uxdp/map_lookup,%d,flows,%s' % (PORT, KEY_B),
            '/uxdp/map_delete,%d,flows,%s' % (PORT, KEY_B),
            '/uxdp/map_lookup,%d,verdict_count,02000000' % PORT,
            '/uxdp/prog_swap,%d' % PORT]
    replies = t.telemetry_py(prefix, cmds)
    if not f.equal(len(replies), len(cmds), 'dpdk-telemetry.py: one reply per command'):
        return
    r = dict((c.split(',')[0] + '#' + str(i), rep[c.split(',')[0]])
             for i, (c, rep) in enumerate(zip(cmds, replies)))
    f.equal(r['/uxdp/list#0'], {'port': [PORT], 'sub_port': [0],
                                'sub_device': ['net_pcap0'],
                                'program': ['flow_filter'], 'engine': ['jit']},
            'dpdk-telemetry.py /uxdp/list')
    info = r['/uxdp/info#1']
    f.check(info.get('program') == 'flow_filter' and info.get('section') == 'xdp'
            and info.get('insns', 0) > 10 and info.get('load_ns', 0) > 0
            and info.get('jit_ns', 0) > 0 and info.get('engine') == 'jit'
            and len(info.get('rxq_pass', [])) == 2,
            'dpdk-telemetry.py /uxdp/info: %s' % info)
    maps = r['/uxdp/maps#2']
    f.equal([maps['name'], maps['type'], maps['key_type'], maps['value_type'],
             maps['key_size'], maps['value_size'], maps['max_entries']],
            [['drops', 'flows', 'verdict_count'], ['ringbuf', 'hash', 'percpu_array'],
             ['', 'struct flow_key', '__u32'], ['', 'struct flow_rule', '__u64'],
             [0, 12, 4], [0, 16, 8], [16384, 131072, 5]], 'dpdk-telemetry.py /uxdp/maps')
    f.check(all(z.startswith('uxdp_map_') for z in maps['memzone']),
            'memzone names: %s' % maps['memzone'])
    f.check('keys_btf' in r['/uxdp/map_dump#3'], 'dpdk-telemetry.py map_dump btf: %s'
            % r['/uxdp/map_dump#3'])
    f.equal(r['/uxdp/map_update#4'].get('result'), 'updated', 'dpdk-telemetry.py map_update')
    f.equal(r['/uxdp/map_lookup#5'].get('value'), rule(XDP_PASS), 'dpdk-telemetry.py map_lookup')
    f.equal(r['/uxdp/map_delete#6'].get('result'), 'deleted', 'dpdk-telemetry.py map_delete')
    f.equal(r['/uxdp/map_lookup#7'].get('cpus'), [0, 1],
            'dpdk-telemetry.py per-CPU lookup shows slots 0 and 1')
    f.check('usage' in r['/uxdp/prog_swap#8'].get('error', ''),
            'dpdk-telemetry.py prog_swap without a file: %s' % r['/uxdp/prog_swap#8'])


def flows_entries(conn):
    maps, _ = conn.request('/uxdp/maps,%d' % PORT)
    names = maps.get('name', [])
    return maps['entries'][names.index('flows')] if 'flows' in names else None


def check_bulk_and_pages(f, conn):
    """10k rules in, every one out again through the pages."""
    keys = bulk_keys()
    t0 = time.time()
    bad = 0
    for k in keys:
        rep, _ = conn.request('/uxdp/map_update,%d,flows,%s,%s' % (PORT, k, rule(XDP_DROP)))
        bad += rep.get('result') != 'updated'
    print('%d map_update requests in %.2f s' % (N_RULES, time.time() - t0), flush=True)
    f.equal(bad, 0, 'bulk map_update failures')
    seen, cursor, pages, biggest = [], 0, 0, 0
    while cursor != -1 and pages < 1000:
        rep, size = conn.request('/uxdp/map_dump,%d,flows,%d,4096' % (PORT, cursor))
        biggest = max(biggest, size)
        if not f.check('keys' in rep, 'map_dump page at %d: %s' % (cursor, rep)):
            return
        seen += rep['keys']
        f.equal(len(rep['keys']), len(rep['values']), 'page %d: columns' % cursor)
        cursor = rep['next_cursor']
        pages += 1
    print('map_dump: %d entries in %d pages, largest reply %d bytes'
          % (len(seen), pages, biggest), flush=True)
    f.equal(len(seen), len(set(seen)), 'pagination: no key twice')
    f.equal(set(seen), set(keys), 'pagination: every key once')
    f.check(biggest < 16384, 'every page under 16 KiB (%d)' % biggest)
    # Same with BTF columns, smaller pages.
    cursor, n_btf, pages = 0, 0, 0
    while cursor != -1 and pages < 2000:
        rep, size = conn.request('/uxdp/map_dump,%d,flows,%d,4096,btf' % (PORT, cursor))
        if not f.check(size < 16384 and 'keys_btf' in rep,
                       'btf page at %d (%d bytes)' % (cursor, size)):
            return
        n_btf += len(rep['keys_btf'])
        cursor = rep['next_cursor']
        pages += 1
    f.equal(n_btf, N_RULES, 'btf pagination: every entry (%d pages)' % pages)
    # Delete them all again, through JSON keys for one of them.
    rep, _ = conn.request('/uxdp/map_dump,%d,flows,0,1,btf' % PORT)
    key_json = json.loads(rep['keys_btf'][0])
    f.check(set(key_json) == {'saddr', 'daddr', 'dport', 'proto', 'pad'},
            'BTF-decoded struct key: %s' % key_json)
    val_json = json.loads(rep['values_btf'][0])
    f.equal(val_json, {'action': 'XDP_DROP', 'pad': 0, 'hits': 0},
            'BTF-decoded struct value (enum by name)')
    look, _ = conn.request('/uxdp/map_lookup,%d,flows,%s' % (PORT, rep['keys_btf'][0]))
    f.equal(look.get('key'), rep['keys'][0], 'lookup by a JSON key finds the hex key')
    upd, _ = conn.request('/uxdp/map_update,%d,flows,%s,%s,exist' % (
        PORT, rep['keys_btf'][0], '{"action":"XDP_TX","pad":0,"hits":7}'))
    f.equal(upd.get('result'), 'updated', 'update with a JSON key and value: %s' % upd)
    look, _ = conn.request('/uxdp/map_lookup,%d,flows,%s' % (PORT, rep['keys'][0]))
    f.equal(look.get('value'), rule(3, 7), 'the JSON value landed')
    f.equal(look.get('value_btf'), '{"action":"XDP_TX","pad":0,"hits":7}', 'value_btf')
    bad = 0
    for k in keys:
        r, _ = conn.request('/uxdp/map_delete,%d,flows,%s' % (PORT, k))
        bad += r.get('result') != 'deleted'
    f.equal(bad, 0, 'bulk map_delete failures')
    f.equal(flows_entries(conn), 0, 'flows is empty again')


MALFORMED = [
    ('/uxdp/list,3', 'params:'),
    ('/uxdp/info', 'port:'),
    ('/uxdp/info,abc', "port: expected a port id, got 'abc'"),
    ('/uxdp/info,99', 'port: 99 is not a net_uxdp port'),
    ('/uxdp/info,0', 'port: 0 is not a net_uxdp port'),
    ('/uxdp/maps,-1', 'port:'),
    ('/uxdp/map_dump,1', 'usage'),
    ('/uxdp/map_dump,1,nosuch', "map: port 1 has no map 'nosuch'"),
    ('/uxdp/map_dump,1,flows,x', 'cursor:'),
    ('/uxdp/map_dump,1,flows,0,0', 'count:'),
    ('/uxdp/map_dump,1,flows,0,5,xml', 'format:'),
    ('/uxdp/map_lookup,1,flows', 'usage'),
    ('/uxdp/map_lookup,1,flows,zz' + '00' * 11, "key: 'zz' at byte 0 is not hex"),
    ('/uxdp/map_lookup,1,flows,00', 'key: expected 12 bytes'),
    ('/uxdp/map_lookup,1,flows,{"nosuch":1}', 'key:'),
    ('/uxdp/map_lookup,1,flows,{"saddr":', 'key:'),
    ('/uxdp/map_lookup,1,flows,' + '00' * 12, 'key: lookup in \'flows\': no such entry'),
    ('/uxdp/map_update,1,flows,' + '00' * 12 + ',0102', 'value: expected 16 bytes'),
    ('/uxdp/map_update,1,flows,' + '00' * 12 + ',{"action":"XDP_NOPE"}', 'value:'),
    ('/uxdp/map_update,1,flows,' + '00' * 12 + ',' + '00' * 16 + ',sometimes', 'flags:'),
    ('/uxdp/map_update,1,flows,' + '00' * 12 + ',' + '00' * 16 + ',exist', 'no such entry'),
    ('/uxdp/map_update,1,verdict_count,09000000,' + '00' * 8, 'map: update of'),
    ('/uxdp/map_delete,1,verdict_count,00000000', 'key: delete in'),
    ('/uxdp/map_delete,1,flows,' + '00' * 12, 'no such entry'),
    ('/uxdp/map_delete,1,flows,' + '00' * 12 + ',5', 'usage'),
    ('/uxdp/prog_swap,1', 'usage'),
    ('/uxdp/prog_swap,1,', 'file:'),
    ('/uxdp/prog_swap,1,/nonexistent/x.o', 'file: /nonexistent/x.o'),
    ('/uxdp/prog_swap,x,/nonexistent/x.o', 'port:'),
]


def check_malformed(f, conn, work):
    not_elf = os.path.join(work, 'not_elf.o')
    with open(not_elf, 'w') as fh:
        fh.write('not an object\n')
    cases = MALFORMED + [
        ('/uxdp/prog_swap,1,%s' % not_elf, 'file: %s' % not_elf),
        ('/uxdp/prog_swap,1,%s,nosuchprog' % t.prog_obj('flow_filter'),
         'no XDP program or section named nosuchprog')]
    # Objects the loader refuses: no XDP program; an unresolvable kfunc.
    tests_dir = os.path.join(t.BUILD, 'lib', 'uxdp_bpf', 'tests')
    for obj, want in (('test_loader_noxdp.o', 'no XDP program'),
                      ('test_loader_kfunc.o', "undefined symbol 'uxdp_test_missing_kfunc'")):
        path = os.path.join(tests_dir, obj)
        if os.path.exists(path):
            cases.append(('/uxdp/prog_swap,1,%s' % path, want))
        else:
            print('%s not built: that refused swap is not tried' % path)
    for cmd, want in cases:
        rep, size = conn.request(cmd)
        text = ''.join(rep.get('error_full', [])) or rep.get('error', '') \
            if isinstance(rep, dict) else ''
        f.check(want in text,
                '%s: want an error with %r, got %s' % (cmd, want, rep))
    long_path = os.path.join(work, 'x' * 150 + '.o')
    rep, size = conn.request('/uxdp/prog_swap,1,%s' % long_path)
    f.check(rep.get('error', '').endswith('...') and
            long_path in ''.join(rep.get('error_full', [])),
            'a long error: cut in error, whole in error_full: %s' % rep)
    info, _ = conn.request('/uxdp/info,%d' % PORT)
    f.equal((info['program'], info['swaps']), ('flow_filter', 0),
            'failed swaps keep the running program')
    f.check(info['last_swap_error'] != '', 'info reports the last swap error')


def counters(conn):
    info, _ = conn.request('/uxdp/info,%d' % PORT)
    return info


def percpu_sum(conn, verdict):
    rep, _ = conn.request('/uxdp/map_lookup,%d,verdict_count,%s'
                          % (PORT, struct.pack('<I', verdict).hex()))
    return sum(struct.unpack('<Q', bytes.fromhex(v))[0] for v in rep['values'])


def grows(conn, key, timeout=10):
    a = counters(conn)[key]
    return t.wait_for(lambda: counters(conn)[key] > a + 100, timeout=timeout)


def check_live(f, pmd, conn, prefix):
    """Verdict changes by map updates, then the swap, under traffic. Rule
    A (pass) is never rewritten, so its hit count is exact; C and B change
    the verdicts."""
    for key, act in ((KEY_A, XDP_PASS), (KEY_C, XDP_DROP)):
        rep, _ = conn.request('/uxdp/map_update,%d,flows,%s,%s,noexist' % (PORT, key, rule(act)))
        f.equal(rep.get('result'), 'updated', 'rule %s' % key)
    pmd.cmd('set fwd rxonly')
    pmd.cmd('start')
    f.check(grows(conn, 'xdp_drop'), 'flow C dropped under traffic')
    # Rule C now passes: the drops stop.
    rep, _ = conn.request('/uxdp/map_update,%d,flows,%s,%s,exist' % (PORT, KEY_C, rule(XDP_PASS)))
    f.equal(rep.get('result'), 'updated', 'rule C: pass')
    time.sleep(0.2)
    d0 = counters(conn)['xdp_drop']
    time.sleep(0.5)
    f.equal(counters(conn)['xdp_drop'], d0, 'no drops once rule C passes')
    # Rule B drops: TCP frames dropped now.
    conn.request('/uxdp/map_update,%d,flows,%s,%s' % (PORT, KEY_B, rule(XDP_DROP)))
    f.check(grows(conn, 'xdp_drop'), 'flow B dropped after its rule')
    # The swap, under traffic: flow_count passes everything.
    swap, _ = conn.request('/uxdp/prog_swap,%d,%s,flow_count' % (PORT, t.prog_obj('flow_filter')))
    f.check(swap.get('program') == 'flow_count' and
            swap.get('maps_kept') == ['drops', 'flows', 'verdict_count'] and
            swap.get('old_program') == 'freed',
            'swap to flow_count: %s' % swap)
    d1 = counters(conn)['xdp_drop']
    f.check(grows(conn, 'xdp_pass'), 'traffic goes on after the swap')
    f.equal(counters(conn)['xdp_drop'], d1, 'no drop after the swap returned')
    info = counters(conn)
    f.equal((info['program'], info['section'], info['swaps'], info['retired_programs']),
            ('flow_count', 'xdp/count', 1, 0), '/uxdp/info after the swap')
    # Twenty more swaps under traffic, between the object's two programs:
    # every one frees its predecessor, the maps stay shared throughout.
    freed = 0
    for i in range(20):
        swap, _ = conn.request('/uxdp/prog_swap,%d,%s,%s' % (
            PORT, t.prog_obj('flow_filter'), 'flow_filter' if i % 2 == 0 else 'flow_count'))
        freed += swap.get('old_program') == 'freed' and \
            swap.get('maps_kept') == ['drops', 'flows', 'verdict_count']
    f.equal(freed, 20, 'back-to-back swaps under traffic, each freed its predecessor')
    f.equal(counters(conn)['swaps'], 21, 'swap count')
    stopped = pmd.cmd('stop')
    time.sleep(0.3)
    info = counters(conn)
    f.equal(t.stream_rx_packets(stopped), info['xdp_pass'],
            'testpmd\'s own per-stream RX counts = xdp_pass (every passed frame '
            'delivered once)')
    sub, _ = conn.request('/ethdev/stats,0')
    total = info['xdp_pass'] + info['xdp_drop'] + info['xdp_tx'] + info['xdp_aborted']
    f.check(total > 1000, 'traffic ran (%d frames)' % total)
    f.equal(sub['ipackets'], total, 'sub-port RX = sum of verdicts (none lost or doubled)')
    f.equal(percpu_sum(conn, XDP_PASS), info['xdp_pass'],
            'per-CPU verdict_count[PASS] (kept across the swap) = xdp_pass')
    f.equal(percpu_sum(conn, XDP_DROP), info['xdp_drop'],
            'per-CPU verdict_count[DROP] = xdp_drop')
    # Hits of A: its frames among the first n of the cycle on each queue,
    # counted by both programs in the kept map.
    want = 0
    f.equal(len(sub['q_ipackets']) >= 2 and sum(sub['q_ipackets'][:2]), total,
            'per-queue RX adds up')
    f.check(all(q > 0 for q in sub['q_ipackets'][:2]), 'both queues received')
    for n in sub['q_ipackets'][:2]:
        full, rest = divmod(n, len(CYCLE))
        want += full * sum(1 for name, _ in CYCLE if name == 'A') + \
            sum(1 for name, _ in CYCLE[:rest] if name == 'A')
    f.equal(sum(info['rxq_pass']) + sum(info['rxq_drop']), total,
            'per-queue verdict counters add up')
    rep, _ = conn.request('/uxdp/map_lookup,%d,flows,%s' % (PORT, KEY_A))
    hits = struct.unpack('<Q', bytes.fromhex(rep['value'])[8:])[0]
    f.equal(hits, want, 'flow A hits over both programs')
    # The same per-CPU counters through a dump: one column per slot.
    dump, size = conn.request('/uxdp/map_dump,%d,verdict_count,0,5,btf' % PORT)
    f.check(dump.get('cpus') == [0, 1] and 'values' not in dump and
            len(dump.get('values_cpu1', [])) == 5 and len(dump.get('values_btf_cpu0', [])) == 5,
            'per-CPU dump columns: %s' % dump)
    if dump.get('cpus') == [0, 1]:
        col_sum = sum(int.from_bytes(bytes.fromhex(dump['values_cpu%d' % c][XDP_PASS]), 'little')
                      for c in (0, 1))
        f.equal(col_sum, info['xdp_pass'], 'per-CPU dump columns add up to xdp_pass')
        f.equal(int(dump['values_btf_cpu1'][XDP_PASS]),
                int.from_bytes(bytes.fromhex(dump['values_cpu1'][XDP_PASS]), 'little'),
                'per-CPU BTF column')
    # A per-CPU update writes every slot.
    rep, _ = conn.request('/uxdp/map_update,%d,verdict_count,04000000,%s'
                          % (PORT, struct.pack('<Q', 7).hex()))
    look, _ = conn.request('/uxdp/map_lookup,%d,verdict_count,04000000' % PORT)
    f.equal(look.get('values'), [struct.pack('<Q', 7).hex()] * 2,
            'per-CPU update fills every slot: %s' % rep)
    print('swap under traffic: %d frames, pass %d, drop %d, flow A %d' %
          (total, info['xdp_pass'], info['xdp_drop'], hits), flush=True)
    # Forwarding paused, port started: the replaced program waits until
    # the queue is polled again.
    swap, _ = conn.request('/uxdp/prog_swap,%d,%s' % (PORT, t.prog_obj('xdp_pass')))
    f.check(swap.get('program') == 'xdp_pass' and swap.get('maps_kept') == [] and
            swap.get('old_program', '').startswith('freed once'),
            'swap to xdp_pass.o while not polled: %s' % swap)
    f.equal(counters(conn)['retired_programs'], 1, 'one replaced program waits')
    pmd.cmd('start')
    f.check(t.wait_for(lambda: counters(conn)['retired_programs'] == 0, timeout=10),
            'freed once the queue is polled again')
    swap, _ = conn.request('/uxdp/prog_swap,%d,%s' % (PORT, t.prog_obj('flow_filter')))
    f.check(swap.get('program') == 'flow_filter' and swap.get('maps_kept') == [] and
            'flows' in swap.get('maps_fresh', []) and swap.get('old_program') == 'freed',
            'swap back under traffic: %s' % swap)
    pmd.cmd('stop')
    f.equal(flows_entries(conn), 0, 'flows starts fresh after a swap through xdp_pass')


def check_concurrent_clients(f, pmd, prefix):
    """Under traffic, one client swaps back and forth while another
    dumps, looks up and reads info: every reply whole, counts still add
    up."""
    import threading
    before = t.telemetry(prefix, '/ethdev/stats,0')['ipackets']
    info0 = t.telemetry(prefix, '/uxdp/info,%d' % PORT)
    pmd.cmd('start')
    bad = []

    def swapper():
        c = t.TelemetryConn(prefix)
        for i in range(10):
            rep, _ = c.request('/uxdp/prog_swap,%d,%s,%s' % (
                PORT, t.prog_obj('flow_filter'), 'flow_count' if i % 2 == 0 else 'flow_filter'))
            if rep.get('old_program') != 'freed':
                bad.append(('swap', rep))
        c.close()

    def reader():
        c = t.TelemetryConn(prefix)
        for i in range(150):
            cmd = ('/uxdp/map_dump,%d,flows,0,64,btf' % PORT, '/uxdp/info,%d' % PORT,
                   '/uxdp/map_lookup,%d,verdict_count,02000000' % PORT,
                   '/uxdp/maps,%d' % PORT)[i % 4]
            rep, size = c.request(cmd)
            if not isinstance(rep, dict) or 'error' in rep or size >= 16384:
                bad.append((cmd, rep))
        c.close()

    threads = [threading.Thread(target=swapper), threading.Thread(target=reader)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(120)
    stopped = pmd.cmd('stop')
    time.sleep(0.3)
    f.equal(bad, [], 'concurrent clients: every reply whole')
    info = t.telemetry(prefix, '/uxdp/info,%d' % PORT)
    sub = t.telemetry(prefix, '/ethdev/stats,0')['ipackets']
    verdicts = sum(info[k] - info0[k] for k in ('xdp_pass', 'xdp_drop', 'xdp_tx', 'xdp_aborted'))
    f.check(sub - before > 0, 'traffic ran during the concurrent phase')
    f.equal(verdicts, sub - before, 'concurrent phase: sub-port RX = sum of verdicts')
    f.equal(t.stream_rx_packets(stopped), info['xdp_pass'] - info0['xdp_pass'],
            'concurrent phase: testpmd received every passed frame once')


def check_keyless(f, conn):
    """Maps without keys through telemetry: maps_mix.o's QUEUE 'lengths'
    (traffic is stopped): update pushes, lookup peeks, in FIFO order."""
    swap, _ = conn.request('/uxdp/prog_swap,%d,%s' % (PORT, t.prog_obj('maps_mix')))
    if not f.check(swap.get('program') is not None, 'swap to maps_mix.o: %s' % swap):
        return
    for v in (11, 22):
        rep, _ = conn.request('/uxdp/map_update,%d,lengths,-,%s' % (PORT, struct.pack('<I', v).hex()))
        f.equal(rep.get('result'), 'updated', 'queue push %d: %s' % (v, rep))
    rep, _ = conn.request('/uxdp/map_lookup,%d,lengths,-' % PORT)
    f.equal(rep.get('value'), struct.pack('<I', 11).hex(), 'queue peek gives the oldest')
    rep, _ = conn.request('/uxdp/map_lookup,%d,lengths,0b000000' % PORT)
    f.check('key:' in rep.get('error', ''), 'a key for a keyless map: %s' % rep)
    swap, _ = conn.request('/uxdp/prog_swap,%d,%s' % (PORT, t.prog_obj('flow_filter')))
    f.equal(swap.get('program'), 'flow_filter', 'swap back to flow_filter')


def check_random_params(f, conn):
    """Junk parameters (fixed seed) for every command: each gets a reply
    (an error, or a result for the rare valid one) and the app lives on."""
    import random
    rnd = random.Random(6)
    cmds = ['/uxdp/list', '/uxdp/info', '/uxdp/maps', '/uxdp/map_dump', '/uxdp/map_lookup',
            '/uxdp/map_update', '/uxdp/map_delete', '/uxdp/prog_swap']
    atoms = ['1', '0', '-1', '65536', '99999999999999999999', 'flows', 'verdict_count',
             'drops', '', '{', '}', '[', ']', '"', '\\', '{"saddr":', '"x,y"', 'json:',
             'json:{', '00' * 12, '00' * 16, 'zz', 'btf', 'exist', 'lock', '0x', '-',
             'a' * 300, '%s%n%x', '\u00e9', ' ', '{"action":"XDP_DROP","pad":0,"hits":0}']
    replies = 0
    for _ in range(400):
        cmd = rnd.choice(cmds)
        params = ','.join(rnd.choice(atoms) for _ in range(rnd.randint(0, 6)))
        text = cmd + (',' + params if params else '')
        if len(text.encode()) >= 1000 or cmd == '/uxdp/prog_swap' and 'flows' in params:
            continue
        rep, _ = conn.request(text)
        replies += isinstance(rep, (dict, list))
        if isinstance(rep, dict) and 'result' in rep and cmd == '/uxdp/map_update':
            pass  # a valid random update; harmless
    f.check(replies > 300, 'random parameters: %d replies' % replies)
    info, _ = conn.request('/uxdp/info,%d' % PORT)
    f.equal(info.get('program'), 'flow_filter', 'the app answers after junk requests')


def check_ctl_fallback(f, prefix, work):
    """uxdp-ctl map load on a --no-huge instance: no secondary process is
    possible, so it falls back to one telemetry update per entry."""
    ctl = os.path.join(t.BUILD, 'app', 'uxdp-ctl', 'uxdp-ctl')
    path = os.path.join(work, 'rules.txt')
    keys = bulk_keys()[:500]
    with open(path, 'w') as fh:
        for k in keys:
            fh.write('%s %s\n' % (k, rule(XDP_DROP)))
    out = subprocess.run(['/usr/bin/python3', ctl, '-f', prefix, '--json', 'map', 'load',
                          'flows', path], capture_output=True, text=True, timeout=120)
    r = json.loads(out.stdout) if out.returncode == 0 else {}
    f.check(r.get('updated') == len(keys) and r.get('via') == 'telemetry',
            'uxdp-ctl map load falls back to telemetry: %s %s' % (out.stdout, out.stderr))
    conn = t.TelemetryConn(prefix)
    f.equal(flows_entries(conn), len(keys), 'entries after the fallback load')
    for k in keys:
        conn.request('/uxdp/map_delete,%d,flows,%s' % (PORT, k))
    conn.close()


def main():
    f = t.Failures('telemetry')
    work = t.private_dir('telemetry')
    plugin = t.stage_plugin(work)
    pin = os.path.join(work, 'in.pcap')
    t.write_pcap(pin, [bytes(p) for _, p in CYCLE])
    pcap0 = 'net_pcap0,rx_pcap=%s,rx_pcap=%s,infinite_rx=1,%s' % (
        pin, pin, ','.join('tx_pcap=' + os.path.join(work, 'tx%d.pcap' % q)
                           for q in range(4)))
    uxdp0 = 'net_uxdp0,dev=net_pcap0,prog=' + t.prog_obj('flow_filter')
    prefix = 'uxdp_tel_%d' % os.getpid()
    pmd = t.Testpmd(t.eal_args(prefix, plugin, [pcap0, uxdp0]),
                    ['--rxq=2', '--txq=2'])
    if not f.check(pmd.ready, 'testpmd did not start:\n%s' % pmd.output()):
        pmd.quit()
        f.finish()
    conn = t.TelemetryConn(prefix)
    try:
        check_via_telemetry_py(f, prefix)
        check_bulk_and_pages(f, conn)
        check_malformed(f, conn, work)
        check_ctl_fallback(f, prefix, work)
        check_random_params(f, conn)
        check_live(f, pmd, conn, prefix)
        check_concurrent_clients(f, pmd, prefix)
        check_keyless(f, conn)
    finally:
        conn.close()
        rc = pmd.quit()
    f.equal(rc, 0, 'testpmd exit code')
    out = pmd.output()
    f.check('Segmentation' not in out and 'PANIC' not in out, 'no crash')
    f.finish()


if __name__ == '__main__':
    main()
