#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""XDP_REDIRECT on an AF_XDP port (iface=): the port answers to the Linux
ifindex of its interface, as in the kernel. net_uxdp runs redirect_map.o on
one end of a veth pair whose peer, in a network namespace, sends command
frames; those redirected to the host end's Linux ifindex (by bpf_redirect()
and through a DEVMAP entry) come back to the peer, those aimed at an
ifindex no port has are counted as redirect errors."""

import json
import os
import struct
import subprocess
import sys

import uxdp_testlib as t

ETH_P_REDIRECT_TEST = 0x88B8
BOGUS_IFINDEX = 999999
PEER_SCRIPT = r'''
import json, socket, struct, sys, time
iface, frames = sys.argv[1], json.loads(sys.argv[2])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x88B8))
s.bind((iface, 0))
s.settimeout(0.2)
for hexf in frames:
    s.send(bytes.fromhex(hexf))
    time.sleep(0.02)
back = []
deadline = time.time() + 5
while time.time() < deadline:
    try:
        data, addr = s.recvfrom(4096)
    except socket.timeout:
        continue
    if addr[2] != socket.PACKET_OUTGOING:
        back.append(data.hex())
print(json.dumps(back))
'''


def cmd_frame(src, dst, op, arg, tag):
    return (bytes.fromhex(dst.replace(':', '')) + bytes.fromhex(src.replace(':', '')) +
            struct.pack('!H', ETH_P_REDIRECT_TEST) +
            struct.pack('<BxxxIIII', op, arg, 0, 0, tag) + b'a' * 24)


def main():
    if os.geteuid() != 0:
        t.skip('needs root for network namespaces and AF_XDP')
    f = t.Failures('redirect_af_xdp')
    tag = os.getpid() % 100000
    ns, host, peer = 'uxdr_ns%d' % tag, 'uxrh%d' % tag, 'uxrp%d' % tag
    work = t.private_dir('afxdp-redirect')
    plugin = t.stage_plugin(work)
    try:
        t.veth_netns_up(ns, host, peer)
        host_mac = open('/sys/class/net/%s/address' % host).read().strip()
        host_ifindex = int(open('/sys/class/net/%s/ifindex' % host).read())
        peer_mac = subprocess.run(['ip', 'netns', 'exec', ns, 'cat',
                                   '/sys/class/net/%s/address' % peer],
                                  capture_output=True, text=True).stdout.strip()
        # key 0 -> the host end's Linux ifindex, key 1 -> no such port
        maps = ','.join('map_update=tx_ports:%s:%s' % (struct.pack('<I', k).hex(),
                                                       struct.pack('<I', v).hex())
                        for k, v in ((0, host_ifindex), (1, BOGUS_IFINDEX)))
        prefix = 'uxdp_afxdp_redir_%d' % os.getpid()
        vdevs = ['net_uxdp0,iface=%s,prog=%s,%s' % (host, t.prog_obj('redirect_map'), maps)]
        pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs))
        if not f.check(pmd.ready, 'testpmd did not start:\n' + pmd.output()):
            pmd.quit()
            f.finish()
        info = t.telemetry(prefix, '/uxdp/info,0')
        f.equal(info.get('ingress_ifindex'), host_ifindex, 'the port\'s ifindex is its Linux one')
        pmd.cmd('set fwd rxonly')
        pmd.cmd('start')
        back_frames = [cmd_frame(peer_mac, host_mac, 1, host_ifindex, i) for i in range(5)] + \
            [cmd_frame(peer_mac, host_mac, 2, 0, 100 + i) for i in range(5)]
        lost = [cmd_frame(peer_mac, host_mac, 1, BOGUS_IFINDEX, 200 + i) for i in range(3)] + \
            [cmd_frame(peer_mac, host_mac, 2, 1, 300 + i) for i in range(3)]
        out = subprocess.run(['ip', 'netns', 'exec', ns, '/usr/bin/python3', '-c', PEER_SCRIPT,
                              peer, json.dumps([x.hex() for x in back_frames + lost])],
                             capture_output=True, text=True, timeout=60)
        got = json.loads(out.stdout.strip().splitlines()[-1]) if out.stdout.strip() else None
        f.check(got is not None, 'peer script failed: %s' % out.stderr)
        xs = t.wait_for(lambda: (lambda x: x if x['xdp_redirect'] + x['xdp_redirect_errors'] >=
                                 len(back_frames) + len(lost) else None)(t.xstats(prefix, 0)),
                        timeout=10) or t.xstats(prefix, 0)
        pmd.cmd('stop')
        rc = pmd.quit()
        f.equal(rc, 0, 'testpmd exit code')
        f.equal(sorted(got or []), sorted(x.hex() for x in back_frames),
                'frames redirected back to the peer')
        f.equal(xs['xdp_redirect'], len(back_frames), 'xdp_redirect')
        f.equal(xs['xdp_redirect_errors'], len(lost), 'xdp_redirect_errors')
        print('af_xdp redirect: ifindex %d, %d frames back, %d errors'
              % (host_ifindex, xs['xdp_redirect'], xs['xdp_redirect_errors']))
    finally:
        t.veth_netns_down(ns, host)
    f.finish()


if __name__ == '__main__':
    sys.exit(main())
