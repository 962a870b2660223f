#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""uxdp-ctl against a running dpdk-testpmd (net_pcap infinite_rx ->
net_uxdp running xdp_progs/flow_filter.o in the interpreter): every command over the
telemetry socket, and the shared-memory paths (map load of 100k entries,
map events) through uxdp-ctl-mp, a DPDK secondary process.

A secondary needs the primary in hugepages (DPDK 22.11 refuses secondaries
of --no-huge primaries): 2 MiB pages are reserved on a private hugetlbfs
mount and given back at the end, as lib/uxdp_maps/tests/mp_env.c does.
When that is impossible the shared-memory checks are skipped with the
reason printed, and the rest runs with --no-huge."""

import json
import os
import struct
import subprocess
import time

from scapy.all import IP, UDP, TCP, Ether, Raw

import uxdp_testlib as t

PORT = 1
HP = '/sys/kernel/mm/hugepages/hugepages-2048kB/'
HP_NEEDED = 192
N_LOAD = 100000
CTL = os.path.join(t.BUILD, 'app', 'uxdp-ctl', 'uxdp-ctl')
SRC_A, SRC_B, DST = '192.0.2.1', '192.0.2.2', '198.51.100.1'


def ip4(a):
    return bytes(int(x) for x in a.split('.'))


def flow_key(saddr, daddr, dport, proto):
    return ip4(saddr) + ip4(daddr) + struct.pack('!H', dport) + bytes([proto, 0])


KEY_A = flow_key(SRC_A, DST, 53, 17)
KEY_B = flow_key(SRC_B, DST, 80, 6)
CYCLE = [Ether() / IP(src=SRC_A, dst=DST) / UDP(dport=53) / Raw(b'a' * 20),
         Ether() / IP(src=SRC_B, dst=DST) / TCP(dport=80) / Raw(b'b' * 20)]


class Hugepages:
    """Free 2 MiB pages on a private hugetlbfs mount, or a reason why not."""

    def __init__(self, tag):
        self.saved = None
        self.dir = None
        self.reason = None
        try:
            nr = int(open(HP + 'nr_hugepages').read())
            free = int(open(HP + 'free_hugepages').read())
        except OSError:
            self.reason = 'no 2 MiB hugepage support in this kernel'
            return
        if free < HP_NEEDED:
            if os.geteuid() != 0:
                self.reason = 'too few free 2 MiB hugepages, and not root'
                return
            self.saved = nr
            with open(HP + 'nr_hugepages', 'w') as f:
                f.write(str(nr + HP_NEEDED - free))
            if int(open(HP + 'free_hugepages').read()) < HP_NEEDED:
                self.reason = 'the kernel could not reserve %d free hugepages' % HP_NEEDED
                self.close()
                return
        self.dir = '/run/%s_huge_%d' % (tag, os.getpid())
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        r = subprocess.run(['mount', '-t', 'hugetlbfs', '-o', 'pagesize=2M',
                            'nodev', self.dir], capture_output=True, text=True)
        if r.returncode != 0:
            self.reason = 'cannot mount hugetlbfs: %s' % r.stderr.strip()
            os.rmdir(self.dir)
            self.dir = None
            self.close()

    def close(self):
        if self.dir:
            # Unmounting deletes the page files EAL leaves for secondaries.
            subprocess.run(['umount', '-l', self.dir], capture_output=True)
            os.rmdir(self.dir)
            self.dir = None
        if self.saved is not None:
            with open(HP + 'nr_hugepages', 'w') as f:
                f.write(str(self.saved))
            self.saved = None


def ctl(prefix, *args, check=True, timeout=120):
    out = subprocess.run(['/usr/bin/python3', CTL, '-f', prefix] + list(args),
                         capture_output=True, text=True, timeout=timeout)
    return out.returncode, out.stdout, out.stderr


def ctl_json(f, prefix, *args):
    rc, out, err = ctl(prefix, '--json', *args)
    if not f.check(rc == 0, 'uxdp-ctl %s: rc %d, %s' % (' '.join(args), rc, err)):
        return None
    return json.loads(out)


def check_socket_commands(f, prefix):
    ports = ctl_json(f, prefix, 'port', 'list')
    f.equal(ports, [{'port': PORT, 'sub_port': 0, 'sub_device': 'net_pcap0',
                     'program': 'flow_filter', 'engine': 'interp'}], 'port list --json')
    rc, out, _ = ctl(prefix, 'prog', 'show')
    f.check(rc == 0 and 'flow_filter' in out and 'section xdp' in out,
            'prog show (text): %s' % out)
    maps = ctl_json(f, prefix, 'map', 'list')
    f.equal([m['name'] for m in maps or []], ['drops', 'flows', 'verdict_count'], 'map list')
    # bpftool-style bytes, "hex", and JSON keys and values
    key_words = [str(b) for b in KEY_B]
    rc, out, err = ctl(prefix, 'map', 'update', 'flows', 'key', *key_words,
                       'value', 'hex', struct.pack('<IIQ', 2, 0, 5).hex(), 'noexist')
    f.check(rc == 0 and 'updated' in out, 'map update with bytes: %s %s' % (out, err))
    e = ctl_json(f, prefix, 'map', 'lookup', 'flows', 'key', 'hex', KEY_B.hex())
    f.equal(e and e['formatted']['value'], {'action': 'XDP_PASS', 'pad': 0, 'hits': 5},
            'map lookup: BTF-formatted value')
    kjson = json.dumps(e['formatted']['key']) if e else '{}'
    e2 = ctl_json(f, prefix, 'map', 'lookup', 'flows', 'key', kjson)
    f.equal(e2 and e2['key'], KEY_B.hex(), 'map lookup by JSON key')
    rc, out, err = ctl(prefix, 'map', 'update', 'flows', 'key', kjson, 'value',
                       '{"action":"XDP_DROP","pad":0,"hits":0}', 'exist')
    f.check(rc == 0, 'map update with JSON key and value: %s' % err)
    rc, out, err = ctl(prefix, 'map', 'dump', 'flows')
    f.check(rc == 0 and 'Found 1 element' in out and '"XDP_DROP"' in out,
            'map dump (text): %s %s' % (out, err))
    rc, out, err = ctl(prefix, 'map', 'delete', 'flows', 'key', 'hex', KEY_B.hex())
    f.check(rc == 0 and 'deleted (0 entries)' in out, 'map delete: %s %s' % (out, err))
    # Errors: a message naming what is wrong, exit status 1.
    for args, want in ((['map', 'lookup', 'flows', 'key', '1', '2'], 'key: expected 12 bytes'),
                       (['map', 'lookup', 'flows', 'key', 'hex', KEY_B.hex()], 'no such entry'),
                       (['map', 'lookup', 'nosuch', 'key', '1'], "no map 'nosuch'"),
                       (['map', 'lookup', 'flows', 'key', '300'], 'does not fit a byte'),
                       (['map', 'update', 'flows', 'key', 'hex', KEY_B.hex()], 'value DATA'),
                       (['prog', 'swap', '/nonexistent.o'], 'file: /nonexistent.o'),
                       (['--port', '7', 'map', 'list'], 'port: 7 is not a net_uxdp port')):
        rc, out, err = ctl(prefix, *args)
        f.check(rc == 1 and want in err, 'uxdp-ctl %s: want rc 1 and %r, got %d %r'
                % (' '.join(args), want, rc, err))
    rc, _, err = ctl(prefix, 'frob', 'it')
    f.check(rc == 2 and 'unknown command' in err, 'unknown command: %d %s' % (rc, err))
    rc, _, err = ctl('uxdp_no_such_prefix', 'port', 'list')
    f.check(rc == 1 and 'cannot connect' in err, 'no such instance: %s' % err)


def check_bulk_load(f, prefix, work):
    path = os.path.join(work, 'rules.txt')
    with open(path, 'w') as fh:
        fh.write('# key value\n')
        for i in range(N_LOAD):
            k = flow_key('10.%d.%d.%d' % (i >> 16, (i >> 8) & 255, i & 255), DST, 9000, 17)
            fh.write('%s %s\n' % (k.hex(), struct.pack('<IIQ', 1, 0, i).hex()))
    t0 = time.time()
    r = ctl_json(f, prefix, 'map', 'load', 'flows', path)
    wall = time.time() - t0
    if not f.check(r is not None and r.get('updated') == N_LOAD, 'map load: %s' % r):
        return
    print('map load: %d entries through shared memory in %.3f s (%.2f s with process start)'
          % (N_LOAD, r['seconds'], wall), flush=True)
    maps = ctl_json(f, prefix, 'map', 'list')
    f.equal([m['entries'] for m in maps or [] if m['name'] == 'flows'], [N_LOAD],
            'entries after map load')
    # Spot checks over telemetry, and the per-entry telemetry rate for scale.
    conn = t.TelemetryConn(prefix)
    for i in (0, 4242, N_LOAD - 1):
        k = flow_key('10.%d.%d.%d' % (i >> 16, (i >> 8) & 255, i & 255), DST, 9000, 17)
        rep, _ = conn.request('/uxdp/map_lookup,%d,flows,%s' % (PORT, k.hex()))
        f.equal(rep.get('value'), struct.pack('<IIQ', 1, 0, i).hex(), 'entry %d loaded' % i)
    t0 = time.time()
    for i in range(2000):
        conn.request('/uxdp/map_lookup,%d,flows,%s' % (PORT, KEY_A.hex()))
    per = (time.time() - t0) / 2000
    conn.close()
    print('telemetry: %.1f us per request; %d single updates would take ~%.1f s'
          % (per * 1e6, N_LOAD, per * N_LOAD), flush=True)
    t0 = time.time()
    dump = ctl_json(f, prefix, 'map', 'dump', 'flows')
    print('map dump of %d entries over telemetry: %.2f s' % (len(dump or []), time.time() - t0),
          flush=True)
    f.equal(len(dump or []), N_LOAD, 'map dump returns every loaded entry')
    f.equal(len({e['key'] for e in dump or []}), N_LOAD, 'map dump: no key twice')
    t0 = time.time()
    shm = ctl_json(f, prefix, 'map', 'dump', 'flows', '--shm')
    print('map dump --shm of %d entries: %.2f s' % (len(shm or []), time.time() - t0),
          flush=True)
    f.equal(sorted((e['key'], e['value']) for e in shm or []),
            sorted((e['key'], e['value']) for e in dump or []),
            'map dump --shm equals the telemetry dump')
    pc = ctl_json(f, prefix, 'map', 'dump', 'verdict_count', '--shm')
    f.check(pc is not None and len(pc) == 5 and all(e['values'][0]['cpu'] == 0 for e in pc),
            'per-CPU dump through shared memory: %s' % pc)
    # Bad batch files: the line is named, nothing after it written.
    bad = os.path.join(work, 'bad.txt')
    with open(bad, 'w') as fh:
        fh.write('%s %s\nzz\n' % (KEY_A.hex(), struct.pack('<IIQ', 2, 0, 0).hex()))
    rc, out, err = ctl(prefix, 'map', 'update', 'flows', '--batch', bad)
    f.check(rc == 1 and 'bad.txt:2' in err, 'bad batch line named: %d %s' % (rc, err))
    rc, _, err = ctl(prefix, 'map', 'load', 'flows', os.path.join(work, 'missing.txt'))
    f.check(rc == 1 and 'missing.txt' in err, 'missing batch file: %s' % err)


def check_events_and_swap(f, pmd, prefix):
    """Drop events streamed from the ring buffer under traffic, then a swap
    through uxdp-ctl with counts that add up."""
    rc, _, err = ctl(prefix, 'map', 'update', 'flows', 'key', 'hex', KEY_A.hex(),
                     'value', 'hex', struct.pack('<IIQ', 1, 0, 0).hex())
    f.check(rc == 0, 'rule A drop: %s' % err)
    pmd.cmd('set fwd rxonly')
    pmd.cmd('start')
    rc, out, err = ctl(prefix, 'map', 'events', 'drops', '--count', '5',
                       '--timeout-ms', '10000', timeout=60)
    recs = [json.loads(l) for l in out.splitlines() if l.startswith('{')]
    f.check(rc == 0 and len(recs) == 5 and all(r['data'] == KEY_A.hex() and r['size'] == 12
                                               for r in recs),
            'map events: 5 records of flow A: rc %d %s %s' % (rc, recs, err))
    rc, _, err = ctl(prefix, 'map', 'events', 'flows', '--count', '1')
    f.check(rc == 1 and 'not a ringbuf' in err, 'events on a hash map: %s' % err)
    r = ctl_json(f, prefix, 'prog', 'swap', t.prog_obj('flow_filter'), 'flow_count')
    f.check(r is not None and r['program'] == 'flow_count' and r['engine'] == 'interp' and
            r['maps_kept'] == ['drops', 'flows', 'verdict_count'] and r['old_program'] == 'freed',
            'prog swap under traffic: %s' % r)
    time.sleep(0.5)
    pmd.cmd('stop')
    time.sleep(0.3)
    info = ctl_json(f, prefix, 'prog', 'show')[0]
    total = info['xdp_pass'] + info['xdp_drop']
    sub = t.telemetry(prefix, '/ethdev/stats,0')
    f.equal(sub['ipackets'], total, 'sub-port RX = pass + drop across the swap')
    for verdict, name in ((1, 'xdp_drop'), (2, 'xdp_pass')):
        e = ctl_json(f, prefix, 'map', 'lookup', 'verdict_count', 'key', str(verdict), '0', '0', '0')
        per_cpu = sum(struct.unpack('<Q', bytes.fromhex(v['value']))[0] for v in e['values'])
        f.equal(per_cpu, info[name], 'per-CPU verdict_count[%d] adds up to %s' % (verdict, name))
    print('events and swap: %d frames, drop %d' % (total, info['xdp_drop']), flush=True)


def main():
    f = t.Failures('uxdp_ctl')
    work = t.private_dir('uxdp-ctl')
    plugin = t.stage_plugin(work)
    pin = os.path.join(work, 'in.pcap')
    t.write_pcap(pin, [bytes(p) for p in CYCLE])
    prefix = 'uxdp_ctl_%d' % os.getpid()
    hp = Hugepages('uxdp_ctl')
    vdevs = ['net_pcap0,rx_pcap=%s,infinite_rx=1,tx_pcap=%s,tx_pcap=%s'
             % (pin, os.path.join(work, 'tx0.pcap'), os.path.join(work, 'tx1.pcap')),
             # The interpreter here (test_telemetry runs the JIT): a swap
             # keeps the port's engine.
             'net_uxdp0,dev=net_pcap0,mode=interp,prog=' + t.prog_obj('flow_filter')]
    eal = t.eal_args(prefix, plugin, vdevs)
    if hp.reason is None:
        i = eal.index('--no-huge')
        eal[i:i + 3] = ['--huge-dir', hp.dir, '-m', '256']
    else:
        print('SKIP (shared-memory checks): %s' % hp.reason, flush=True)
    try:
        pmd = t.Testpmd(eal)
        if f.check(pmd.ready, 'testpmd did not start:\n%s' % pmd.output()):
            check_socket_commands(f, prefix)
            if hp.reason is None:
                check_bulk_load(f, prefix, work)
                check_events_and_swap(f, pmd, prefix)
        rc = pmd.quit()
        f.equal(rc, 0, 'testpmd exit code')
    finally:
        hp.close()
    f.finish()


if __name__ == '__main__':
    main()
