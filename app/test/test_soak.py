#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Soak (issue #9): stock dpdk-testpmd forwarding with two lcores through
net_uxdp over net_pcap (two RX queues, infinite_rx) for a bounded time,
on a mix of valid network-function traffic and garbage frames, while the
control plane works on the running port:

  - program swaps over telemetry every few seconds, between flow_filter,
    its flow_count program (maps kept) and demo_nf (other maps), plus
    swaps to files that are not BPF objects (refused, the old program
    keeps running);
  - map updates and deletes over telemetry on the live flows map, with
    random keys and verdicts, interleaved with malformed requests (bad
    port ids, map names, hex, JSON, huge parameters) that must each get
    an error reply;
  - a second process: uxdp-ctl's shared-memory path (the uxdp-ctl-mp
    DPDK secondary) bulk-loading and dumping the flows map, when 2 MiB
    hugepages can be reserved (else that part is skipped with the reason
    printed, and testpmd runs with --no-huge).

Frames: UDP/TCP flows the rules drop, transmit or pass, ICMP echo
requests (demo_nf answers them), IPv6, VLAN, and garbage: runts of 1..13
bytes, Ethernet headers announcing IP with truncated or lying headers,
random bytes of random lengths, and 9000 and 9600 byte jumbo frames
(testpmd's mbufs are 10 KiB so that net_pcap's infinite_rx, which takes
single-segment frames only, can hold them).

Checked afterwards: testpmd never died and exits with 0; every frame the
sub-port received ended in exactly one verdict counter (pass + drop + tx
+ tx_errors + aborted + redirect + redirect_errors + nonlinear_drops ==
the sub-port's ipackets); the frames testpmd's forwarding loop received
are the xdp_pass count; the mbufs in use are back to their baseline.

Length: UXDP_SOAK_SECONDS (default 60). UXDP_SOAK_PLUGIN: another build
of librte_net_uxdp.so (devtools/soak-asan.sh passes its ASan build), and
UXDP_SOAK_PRELOAD: a library to preload into testpmd (libasan)."""

import os
import random
import shutil
import struct
import subprocess
import threading
import time

from scapy.all import Dot1Q, Ether, ICMP, IP, IPv6, Raw, TCP, UDP

import uxdp_testlib as t
from test_uxdp_ctl import Hugepages, CTL

PORT = 1          # net_uxdp; the sub-port net_pcap0 is port 0, hidden
SECONDS = int(os.environ.get('UXDP_SOAK_SECONDS', '60'))
SWAP_EVERY = 3.0
MP_EVERY = 10.0
DST = '198.51.100.1'
XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX = 0, 1, 2, 3
VERDICT_SUM = ('xdp_pass', 'xdp_drop', 'xdp_tx', 'xdp_tx_errors',
               'xdp_aborted', 'xdp_redirect', 'xdp_redirect_errors',
               'xdp_nonlinear_drops')


def ip4(a):
    return bytes(int(x) for x in a.split('.'))


def flow_key(saddr, dport, proto):
    return ip4(saddr) + ip4(DST) + struct.pack('!H', dport) + bytes([proto, 0])


def rule(verdict, hits=0):
    return struct.pack('<IIQ', verdict, 0, hits)


FLOWS = [('192.0.2.1', 53, 17), ('192.0.2.2', 80, 6), ('192.0.2.3', 53, 17),
         ('192.0.2.4', 443, 6)]


def valid_frames(rng):
    frames = []
    for saddr, dport, proto in FLOWS:
        l4 = UDP(dport=dport) if proto == 17 else TCP(dport=dport)
        frames.append(bytes(Ether() / IP(src=saddr, dst=DST) / l4 /
                            Raw(b'v' * rng.randrange(0, 200))))
    frames.append(bytes(Ether(dst='02:00:00:00:00:01') /
                        IP(src='192.0.2.9', dst=DST) / ICMP(type=8) / Raw(b'ping')))
    frames.append(bytes(Ether() / IPv6(src='2001:db8::1', dst='2001:db8::2') /
                        UDP(dport=53) / Raw(b'six')))
    frames.append(bytes(Ether() / Dot1Q(vlan=7) / IP(src='192.0.2.1', dst=DST) /
                        UDP(dport=53) / Raw(b'tagged')))
    return frames


def garbage_frames(rng):
    frames = [bytes(rng.randrange(256) for _ in range(n)) for n in range(1, 14)]
    eth_ip = bytes(Ether())[:12] + b'\x08\x00'
    # IP headers that lie: IHL past the frame, total length past it,
    # options cut short, a fragment, a UDP header cut short.
    frames += [eth_ip + b'\x4f' + bytes(5),
               eth_ip + bytes(IP(src='192.0.2.1', dst=DST, len=1500) / UDP()),
               eth_ip + bytes(IP(src='192.0.2.1', dst=DST) / UDP())[:24],
               eth_ip + bytes(IP(src='192.0.2.1', dst=DST, flags='MF', frag=5) /
                              UDP(dport=53)),
               bytes(Ether() / IPv6(nh=17))[:40],
               bytes(Ether() / Dot1Q() / Dot1Q() / Dot1Q() / IP() / UDP())]
    for _ in range(20):
        frames.append(bytes(rng.randrange(256)
                            for _ in range(rng.randrange(14, 1600))))
    for size in (9000, 9600):
        frames.append(bytes(Ether() / IP(src='192.0.2.1', dst=DST) / UDP(dport=53) /
                            Raw(bytes(size - 42))))
        frames.append(bytes(rng.randrange(256) for _ in range(size)))
    return frames


BAD_REQUESTS = [
    '/uxdp/map_update,65535,flows,00,00',
    '/uxdp/map_update,99999999999999999999,flows,00,00',
    '/uxdp/map_update,-1,flows,00,00',
    '/uxdp/map_update,%d,nosuchmap,00,00' % PORT,
    '/uxdp/map_update,%d,flows,zz,00' % PORT,
    '/uxdp/map_update,%d,flows,%s,0' % (PORT, '00' * 12),
    '/uxdp/map_update,%d,flows,%s,%s,sometimes' % (PORT, '00' * 12, '00' * 16),
    '/uxdp/map_update,%d,flows,{"saddr":,%s' % (PORT, '00' * 16),
    '/uxdp/map_update,%d,flows,json:[[[[[[[[[[,%s' % (PORT, '00' * 16),
    '/uxdp/map_lookup,%d,flows,%s' % (PORT, 'ab' * 3000),
    '/uxdp/map_delete,%d,flows' % PORT,
    '/uxdp/map_dump,%d,flows,-5' % PORT,
    '/uxdp/map_dump,%d,flows,0,0' % PORT,
    '/uxdp/map_dump,%d,verdict_count,0,1,xml' % PORT,
    '/uxdp/info,%s' % ('9' * 300),
    '/uxdp/maps,\x01\x02',
]


class Control:
    """The control plane's work during the soak, on its own thread."""

    def __init__(self, f, prefix, work, hp_ok):
        self.f = f
        self.prefix = prefix
        self.work = work
        self.hp_ok = hp_ok
        self.rng = random.Random(9)
        self.stats = dict(swaps=0, swaps_refused=0, updates=0, update_errors=0,
                          deletes=0, bad_requests=0, mp_loads=0, mp_errors=0,
                          mp_dumps=0, mp_attach_failed=0)
        self.problems = []
        self.stop = threading.Event()
        self.program = 'flow_filter'
        self.not_elf = os.path.join(work, 'not_elf.o')
        with open(self.not_elf, 'wb') as fh:
            fh.write(b'\x7fELF' + bytes(self.rng.randrange(256) for _ in range(500)))
        self.batch = os.path.join(work, 'batch.txt')
        with open(self.batch, 'w') as fh:
            for i in range(2000):
                key = flow_key('10.9.%d.%d' % (i >> 8, i & 255), 9, 17)
                fh.write('%s %s\n' % (key.hex(), rule(XDP_DROP).hex()))

    def problem(self, what):
        self.problems.append(what)

    def swap(self, conn):
        choice = self.rng.randrange(6)
        if choice == 5:
            rep, _ = conn.request('/uxdp/prog_swap,%d,%s' % (PORT, self.not_elf))
            if 'error' not in rep:
                self.problem('a swap to a broken file was not refused: %s' % rep)
            self.stats['swaps_refused'] += 1
            return
        target = [('flow_filter', 'flow_filter'), ('flow_filter', 'flow_count'),
                  ('demo_nf', 'demo_nf')][choice % 3]
        rep, _ = conn.request('/uxdp/prog_swap,%d,%s,%s' % (
            PORT, t.prog_obj(target[0]), target[1]))
        if rep.get('program') != target[1]:
            self.problem('swap to %s: %s' % (target[1], rep))
            return
        self.program = target[1]
        self.stats['swaps'] += 1

    def update(self, conn):
        if self.rng.randrange(8) == 0:
            req = self.rng.choice(BAD_REQUESTS)
            rep, size = conn.request(req)
            if 'error' not in rep:
                self.problem('no error for %r: %s' % (req[:80], rep))
            self.stats['bad_requests'] += 1
            return
        if self.rng.randrange(4) == 0:
            key = flow_key(*self.rng.choice(FLOWS))
        else:
            key = flow_key('10.%d.%d.%d' % tuple(self.rng.randrange(256)
                                                 for _ in range(3)), 53, 17)
        if self.rng.randrange(5) == 0:
            rep, _ = conn.request('/uxdp/map_delete,%d,flows,%s' % (PORT, key.hex()))
            self.stats['deletes'] += 1
            return
        verdict = self.rng.choice([XDP_ABORTED, XDP_DROP, XDP_PASS, XDP_TX, 7])
        rep, _ = conn.request('/uxdp/map_update,%d,flows,%s,%s' % (
            PORT, key.hex(), rule(verdict).hex()))
        if 'error' in rep:
            # demo_nf has no flows map: a clear refusal is right.
            if self.program in ('flow_filter', 'flow_count') or \
                    'no map' not in rep['error']:
                self.problem('update under %s: %s' % (self.program, rep))
            self.stats['update_errors'] += 1
        else:
            self.stats['updates'] += 1

    def second_process(self):
        for what, args, ok in (('map load', ['load', 'flows', self.batch], 'mp_loads'),
                               ('map dump --shm', ['dump', 'flows', '--shm'], 'mp_dumps')):
            out = subprocess.run(['/usr/bin/python3', CTL, '-f', self.prefix, 'map'] + args,
                                 capture_output=True, text=True, timeout=120)
            if out.returncode == 0:
                self.stats[ok] += 1
            elif 'Cannot get a virtual area' in out.stderr:
                # DPDK's multi-process limit: the secondary must map the
                # primary's memory at the same addresses, and address
                # space layout randomisation sometimes has put something
                # there. Not uxdp's to fix: counted and printed.
                self.stats['mp_attach_failed'] += 1
            elif 'flows' in out.stderr:
                # demo_nf runs: no flows map, a clear refusal
                self.stats['mp_errors'] += 1
            else:
                self.problem('uxdp-ctl %s: rc %d %s' % (what, out.returncode, out.stderr))

    def run(self):
        try:
            conn = t.TelemetryConn(self.prefix)
            next_swap = time.time() + SWAP_EVERY
            next_mp = time.time() + MP_EVERY / 2
            while not self.stop.is_set():
                now = time.time()
                if now >= next_swap:
                    self.swap(conn)
                    next_swap = now + SWAP_EVERY
                elif self.hp_ok and now >= next_mp:
                    self.second_process()
                    next_mp = time.time() + MP_EVERY
                else:
                    self.update(conn)
                    time.sleep(0.002)
            conn.close()
        except Exception as e:  # the test reports it, the soak ends
            self.problem('control thread: %r' % e)


def main():
    f = t.Failures('soak')
    rng = random.Random(1)
    work = t.private_dir('soak')
    plugin = t.stage_plugin(work)
    if os.environ.get('UXDP_SOAK_PLUGIN'):
        # A private copy, as stage_plugin() makes (EAL refuses plugins
        # below world-writable directories).
        shutil.copyfile(os.environ['UXDP_SOAK_PLUGIN'], plugin)
    valid, garbage = valid_frames(rng), garbage_frames(rng)
    pcaps = []
    for q in range(2):
        mix = valid * (3 + q) + garbage
        rng.shuffle(mix)
        path = os.path.join(work, 'rx%d.pcap' % q)
        t.write_pcap(path, mix)
        pcaps.append(path)
    print('soak: %d s, %d valid and %d garbage frame kinds per queue'
          % (SECONDS, len(valid), len(garbage)), flush=True)
    prefix = 'uxdp_soak_%d' % os.getpid()
    pcap0 = 'net_pcap0,' + ','.join('rx_pcap=' + p for p in pcaps) + ',infinite_rx=1'
    uxdp0 = 'net_uxdp0,dev=net_pcap0,prog=' + t.prog_obj('flow_filter')
    eal = t.eal_args(prefix, plugin, [pcap0, uxdp0],
                     lcores=('--lcores=0@0,1@0,2@1',))
    hp = Hugepages('uxdp_soak')
    if hp.reason is None:
        i = eal.index('--no-huge')
        eal[i:i + 3] = ['--huge-dir', hp.dir, '-m', '384']
    else:
        print('SKIP (second process through shared memory): %s' % hp.reason,
              flush=True)
    preload = os.environ.get('UXDP_SOAK_PRELOAD')
    if preload:
        os.environ['LD_PRELOAD'] = preload
    try:
        pmd = t.Testpmd(eal, ['--rxq=2', '--txq=2', '--nb-cores=2',
                              '--forward-mode=rxonly', '--mbuf-size=10240'],
                        timeout=60)
    finally:
        os.environ.pop('LD_PRELOAD', None)
    try:
        if not f.check(pmd.ready, 'testpmd did not start:\n%s' % pmd.output()):
            return
        soak(f, pmd, prefix, work, hp.reason is None)
    finally:
        rc = pmd.quit(timeout=60)
        hp.close()
        f.equal(rc, 0, 'testpmd exit code:\n%s' % pmd.output()[-3000:])
        f.finish()


def soak(f, pmd, prefix, work, hp_ok):
    baseline = t.mbufs_in_use(pmd)
    ctl = Control(f, prefix, work, hp_ok)
    worker = threading.Thread(target=ctl.run, daemon=True)
    pmd.cmd('start')
    worker.start()
    t0 = time.time()
    alive = True
    while time.time() - t0 < SECONDS:
        if pmd.proc.poll() is not None:
            alive = False
            break
        time.sleep(0.5)
    ctl.stop.set()
    worker.join(180)
    f.check(alive, 'testpmd died during the soak:\n%s' % pmd.output()[-3000:])
    if not alive:
        return
    stop = pmd.cmd('stop', timeout=60)
    time.sleep(0.5)
    for p in ctl.problems[:20]:
        f.check(False, p)
    f.check(not ctl.problems, '%d control-plane problems' % len(ctl.problems))
    print('control plane: %s' % ctl.stats, flush=True)
    # A swap JIT-compiles in testpmd, on CPUs its two lcores keep busy,
    # and the secondary's runs hold the control thread: ask only that
    # swaps kept happening, not for a rate.
    f.check(ctl.stats['swaps'] >= min(3, SECONDS // 10),
            'swaps happened: %s' % ctl.stats)
    f.check(ctl.stats['updates'] > 0 and ctl.stats['bad_requests'] > 0,
            'updates and malformed requests happened: %s' % ctl.stats)

    xs = t.xstats(prefix, PORT)
    sub = t.telemetry(prefix, '/ethdev/stats,0')
    counted = sum(xs.get(k, 0) for k in VERDICT_SUM)
    print('frames: %d received by the sub-port; %s' % (
        sub['ipackets'], {k: xs.get(k, 0) for k in VERDICT_SUM}), flush=True)
    f.check(sub['ipackets'] > 0, 'traffic flowed')
    f.equal(counted, sub['ipackets'], 'every frame in exactly one verdict counter')
    f.check(xs.get('xdp_drop', 0) > 0 and xs.get('xdp_pass', 0) > 0 and
            xs.get('xdp_tx', 0) > 0, 'drops, passes and transmits all happened')
    fwd = t.stream_rx_packets(stop)
    f.equal(fwd, xs.get('xdp_pass'), 'frames testpmd received == xdp_pass')
    f.equal(t.mbufs_in_use(pmd), baseline, 'mbufs in use back to baseline')


if __name__ == '__main__':
    main()
