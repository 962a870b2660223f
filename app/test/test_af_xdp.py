#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""iface=: net_uxdp creates a net_af_xdp sub-port on one end of a veth pair;
a peer in its own network namespace sends ICMP echo requests and UDP with
scapy. demo_nf answers the echoes with XDP_TX (the peer must receive every
reply) and drops the UDP (counted, never seen by the application)."""

import json
import os
import subprocess
import sys

import uxdp_testlib as t

N_ECHO, N_UDP = 12, 7
PEER_SCRIPT = r'''
import json, sys, time
from scapy.all import AsyncSniffer, Ether, IP, ICMP, UDP, Raw, sendp, conf
conf.verb = 0
iface, dst_mac, n_echo, n_udp = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
src_mac = open('/sys/class/net/%s/address' % iface).read().strip()
sn = AsyncSniffer(iface=iface, store=True,
                  lfilter=lambda p: p.haslayer(ICMP) and p[ICMP].type == 0 and p[ICMP].id == 0x4242)
sn.start()
time.sleep(0.5)
eth = Ether(src=src_mac, dst=dst_mac)
pkts = [eth / IP(src='10.99.0.2', dst='10.99.0.1') / ICMP(type=8, id=0x4242, seq=i) / Raw(b'af_xdp' * 8)
        for i in range(n_echo)]
pkts += [eth / IP(src='10.99.0.2', dst='10.99.0.1') / UDP(dport=7000 + i) / Raw(b'u' * 20)
         for i in range(n_udp)]
for p in pkts:
    sendp(p, iface=iface)
    time.sleep(0.02)
deadline = time.time() + 5
while time.time() < deadline and len(sn.results or []) < n_echo:
    time.sleep(0.1)
res = sn.stop()
seqs = sorted(p[ICMP].seq for p in res)
ok = all(p[IP].src == '10.99.0.1' and p[IP].dst == '10.99.0.2' and p[Ether].dst == src_mac for p in res)
print(json.dumps({'replies': len(res), 'seqs': seqs, 'headers_ok': ok}))
'''


def main():
    if os.geteuid() != 0:
        t.skip('needs root for network namespaces and AF_XDP')
    f = t.Failures('af_xdp')
    tag = os.getpid() % 100000
    ns, host, peer = 'uxdp_ns%d' % tag, 'uxh%d' % tag, 'uxp%d' % tag
    work = t.private_dir('afxdp')
    plugin = t.stage_plugin(work)
    try:
        t.veth_netns_up(ns, host, peer)
        host_mac = open('/sys/class/net/%s/address' % host).read().strip()
        prefix = 'uxdp_afxdp_%d' % os.getpid()
        vdevs = ['net_uxdp0,iface=%s,prog=%s' % (host, t.prog_obj('demo_nf'))]
        pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs))
        if not f.check(pmd.ready, 'testpmd did not start:\n' + pmd.output()):
            pmd.quit()
            f.finish()
        f.equal(t.telemetry(prefix, '/uxdp/list')['port'], [0], 'net_uxdp is port 0')
        f.equal(t.telemetry(prefix, '/ethdev/list'), [0], 'the af_xdp sub-port is hidden')
        pmd.cmd('set fwd rxonly')
        pmd.cmd('start')
        out = subprocess.run(['ip', 'netns', 'exec', ns, '/usr/bin/python3', '-c', PEER_SCRIPT,
                              peer, host_mac, str(N_ECHO), str(N_UDP)],
                             capture_output=True, text=True, timeout=60)
        res = json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else {}
        f.check(res, 'peer script failed: %s' % out.stderr)
        xs = t.wait_for(lambda: (lambda x: x if x['xdp_tx'] + x['xdp_drop'] >= N_ECHO + N_UDP
                                 else None)(t.xstats(prefix, 0)), timeout=10) or t.xstats(prefix, 0)
        pmd.cmd('stop')
        rc = pmd.quit()
        f.equal(rc, 0, 'testpmd exit code')
        f.equal(res.get('replies'), N_ECHO, 'echo replies seen by the peer')
        f.equal(res.get('seqs'), list(range(N_ECHO)), 'reply sequence numbers')
        f.equal(res.get('headers_ok'), True, 'replies have swapped MACs and IPs')
        f.equal(xs['xdp_tx'], N_ECHO, 'xdp_tx')
        f.equal(xs['xdp_drop'], N_UDP, 'xdp_drop')
        f.equal(xs['xdp_tx_errors'], 0, 'xdp_tx_errors')
        print('af_xdp: %d echo replies, %d drops, %d passed (peer noise)'
              % (xs['xdp_tx'], xs['xdp_drop'], xs['xdp_pass']))
    finally:
        t.veth_netns_down(ns, host)
    f.finish()


if __name__ == '__main__':
    sys.exit(main())
