#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Generate xdp_progs/data/demo.pcap, the traffic of the README demo: a small
mix that the bundled demo_nf answers (ICMP echo), drops (UDP, runts) and
passes (TCP, ARP, ICMPv6). Deterministic; the output is committed as data.

usage: gen_demo_pcap.py [OUT.pcap]"""

import os
import struct
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1Q, Ether, ICMPv6EchoRequest,
                       IPv6, Raw)

HOST = '02:00:00:00:00:01'
PEER = '02:00:00:00:00:02'


def frames():
    eth = Ether(src=PEER, dst=HOST)
    out = []
    for seq in range(8):
        out.append(eth / IP(src='10.0.0.2', dst='10.0.0.1') /
                   ICMP(type=8, id=0x77, seq=seq) / Raw(b'uxdp-demo' * 4))
    for port in (53, 123, 4789, 9):
        out.append(eth / IP(src='10.0.0.2', dst='10.0.0.1') /
                   UDP(sport=40000 + port, dport=port) / Raw(b'\0' * 32))
    out.append(eth / IPv6(src='fd00::2', dst='fd00::1') / UDP(dport=53) / Raw(b'q'))
    for flags in ('S', 'A', 'PA', 'F'):
        out.append(eth / IP(src='10.0.0.2', dst='10.0.0.1') /
                   TCP(sport=33000, dport=80, flags=flags) / Raw(b'GET / HTTP/1.1\r\n'))
    out.append(eth / Dot1Q(vlan=100) / IP(src='10.0.1.2', dst='10.0.1.1') /
               ICMP(type=8, id=1, seq=1))
    out.append(eth / Dot1Q(vlan=100) / IP(src='10.0.1.2', dst='10.0.1.1') / UDP(dport=5000))
    out.append(Ether(src=PEER, dst='ff:ff:ff:ff:ff:ff') / ARP(psrc='10.0.0.2', pdst='10.0.0.1'))
    out.append(eth / IPv6(src='fd00::2', dst='fd00::1') / ICMPv6EchoRequest())
    # Runts and a truncated IPv4 header: a robust NF drops them.
    out.append(Raw(bytes(eth)[:10]))
    out.append(Raw(bytes(eth / IP(src='10.0.0.2', dst='10.0.0.1') / UDP())[:24]))
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'xdp_progs', 'data', 'demo.pcap')
    pkts = [bytes(p) for p in frames()]
    # Classic pcap, Ethernet link type, fixed timestamps: byte-identical
    # output on every run.
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, data in enumerate(pkts):
            f.write(struct.pack('<IIII', 1700000000, i * 1000, len(data), len(data)))
            f.write(data)
    print('%s: %d packets' % (path, len(pkts)))


if __name__ == '__main__':
    main()
