#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""A varied, deterministic set of Ethernet frames for differential tests of
XDP programs: well-formed and broken IPv4/IPv6 traffic, VLAN/QinQ, non-IP,
runts, large frames, and the command frames of the test programs
verdict_from_pkt (ethertype 0x88B5), adjust_head_tail (0x88B6) and
isa_ops (0x88B7).

As a module: packets() returns the list of Case(name, data).
As a script:  pktset.py OUT.pcap  writes them to an Ethernet pcap.
"""

import collections
import random
import struct
import sys

from scapy.layers.inet import ICMP, IP, TCP, UDP, IPOption_NOP
from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6, IPv6ExtHdrHopByHop
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether
from scapy.packet import Raw

Case = collections.namedtuple('Case', 'name data')

SEED = 2026
MAC_A = '02:00:00:00:00:01'
MAC_B = '02:00:00:00:00:02'
IP_A, IP_B = '192.0.2.1', '198.51.100.2'
IP6_A, IP6_B = '2001:db8::1', '2001:db8::2'

ETH_P_VERDICT_TEST = 0x88B5
ETH_P_GEOMETRY_TEST = 0x88B6
ETH_P_ISA_TEST = 0x88B7
ETH_P_FRAGS_TEST = 0x88B9   # frags_len: tail commands
ISA_RESULTS = 34
# The packet a 4 KiB test-run frame holds: 4096 - 256 headroom - 320 tail.
MAX_LINEAR = 3520
# adjust_head may not go below the 40 bytes the kernel keeps for its
# struct xdp_frame at the top of the 256-byte headroom.
MAX_PUSH = 256 - 40

# adjust_head_tail's ops (see xdp_progs/adjust_head_tail.c)
(OP_PUSH, OP_POP, OP_GROW, OP_SHRINK, OP_META, OP_CSUM_PUSH, OP_CSUM_DIFF,
 OP_META_THEN_PUSH, OP_META_THEN_POP) = range(1, 10)


def _eth(rng, ethertype=None):
    e = Ether(src=MAC_A, dst=MAC_B)
    if ethertype is not None:
        e.type = ethertype
    return e


def _payload(rng, n):
    return bytes(rng.randrange(256) for _ in range(n))


def _word_for_icmp_csum(csum, ident, seq):
    """Two payload bytes that give an echo request (type 8, code 0) the
    wanted valid checksum: the one's-complement sum must be ~csum."""
    want = ~csum & 0xffff
    word = want + (~(0x0800 + ident + seq) & 0xffff)
    while word >> 16:
        word = (word & 0xffff) + (word >> 16)
    return struct.pack('!H', word)


def _ipv4_cases(rng):
    eth = _eth(rng)
    ip = IP(src=IP_A, dst=IP_B, ttl=64, id=rng.randrange(65536))
    yield 'v4 tcp syn', eth / ip / TCP(sport=40000, dport=80, flags='S')
    yield 'v4 tcp data', eth / ip / TCP(sport=40001, dport=443, flags='PA') / \
        Raw(_payload(rng, 100))
    yield 'v4 udp dns', eth / ip / UDP(sport=5353, dport=53) / Raw(_payload(rng, 40))
    yield 'v4 udp 9999', eth / ip / UDP(sport=1234, dport=9999) / Raw(_payload(rng, 7))
    for plen in (0, 32, 33, 57):
        yield 'v4 icmp echo req %dB' % plen, eth / ip / \
            ICMP(type=8, id=rng.randrange(65536), seq=rng.randrange(65536)) / \
            Raw(_payload(rng, plen))
    # valid checksums next to the one's-complement wrap, where the
    # in-place update must carry right, and wrong ones, kept as they are
    for csum in (0x0000, 0x0001, 0x07ff, 0x0800, 0xf7ff, 0xfffe):
        yield 'v4 icmp echo req csum %04x' % csum, eth / ip / \
            ICMP(type=8, id=1, seq=1) / Raw(_word_for_icmp_csum(csum, 1, 1))
    for csum in (0x0000, 0xffff, 0x0800):
        yield 'v4 icmp echo req bad csum %04x' % csum, eth / ip / \
            ICMP(type=8, id=1, seq=1, chksum=csum) / Raw(b'uxdp')
    yield 'v4 icmp echo reply', eth / ip / ICMP(type=0, id=7, seq=9) / Raw(b'pong')
    yield 'v4 icmp unreachable', eth / ip / ICMP(type=3, code=1) / \
        Raw(bytes(IP(src=IP_B, dst=IP_A) / UDP()))
    yield 'v4 gre', eth / IP(src=IP_A, dst=IP_B, proto=47) / Raw(_payload(rng, 24))
    # options: ihl 6 and ihl 15
    yield 'v4 ihl6 icmp echo', eth / IP(src=IP_A, dst=IP_B, options=[IPOption_NOP()] * 4) / \
        ICMP(type=8, id=3, seq=4) / Raw(b'options')
    yield 'v4 ihl6 udp', eth / IP(src=IP_A, dst=IP_B, options=[IPOption_NOP()] * 4) / \
        UDP(sport=1, dport=2)
    yield 'v4 ihl15 tcp', eth / IP(src=IP_A, dst=IP_B, options=[IPOption_NOP()] * 40) / \
        TCP(dport=22)
    # bad checksums are not the NF's business: they must pass through as is
    yield 'v4 bad ip csum icmp', eth / IP(src=IP_A, dst=IP_B, chksum=0x1234) / \
        ICMP(type=8, id=5, seq=6)
    yield 'v4 bad icmp csum', eth / ip / ICMP(type=8, id=5, seq=6, chksum=0xbeef)
    yield 'v4 bad udp csum', eth / ip / UDP(sport=7, dport=8, chksum=0xdead) / Raw(b'x')


def _ipv4_broken_cases(rng):
    eth = _eth(rng)
    good_udp = bytes(eth / IP(src=IP_A, dst=IP_B) / UDP(sport=1, dport=2) / Raw(b'abcd'))
    # ihl below 5, and ihl larger than what follows
    ihl4 = bytearray(good_udp)
    ihl4[14] = 0x44
    yield 'v4 ihl4', bytes(ihl4)
    ihl15 = bytearray(good_udp)
    ihl15[14] = 0x4f
    yield 'v4 ihl15 truncated options', bytes(ihl15)
    yield 'v4 truncated ip hdr', good_udp[:14 + 10]
    yield 'v4 ip hdr only', good_udp[:14 + 19]
    yield 'v4 truncated udp', good_udp[:14 + 20 + 4]
    tcp = bytes(eth / IP(src=IP_A, dst=IP_B) / TCP(dport=80))
    yield 'v4 truncated tcp', tcp[:14 + 20 + 10]
    icmp = bytes(eth / IP(src=IP_A, dst=IP_B) / ICMP(type=8))
    yield 'v4 truncated icmp', icmp[:14 + 20 + 4]


def _ipv6_cases(rng):
    eth = _eth(rng)
    ip6 = IPv6(src=IP6_A, dst=IP6_B, hlim=64)
    yield 'v6 tcp', eth / ip6 / TCP(sport=40000, dport=80, flags='S')
    yield 'v6 udp', eth / ip6 / UDP(sport=1000, dport=9999) / Raw(_payload(rng, 30))
    yield 'v6 icmp echo req', eth / ip6 / ICMPv6EchoRequest(id=1, seq=2, data=b'six')
    yield 'v6 hopbyhop udp', eth / ip6 / IPv6ExtHdrHopByHop() / UDP(dport=53)
    yield 'v6 nonext', eth / IPv6(src=IP6_A, dst=IP6_B, nh=59)
    udp6 = bytes(eth / ip6 / UDP(sport=1, dport=2) / Raw(b'q'))
    yield 'v6 truncated ip hdr', udp6[:14 + 20]
    yield 'v6 truncated udp', udp6[:14 + 40 + 6]
    tcp6 = bytes(eth / ip6 / TCP(dport=22))
    yield 'v6 truncated tcp', tcp6[:14 + 40 + 19]


def _vlan_cases(rng):
    eth = _eth(rng)
    yield 'vlan icmp echo', eth / Dot1Q(vlan=10) / IP(src=IP_A, dst=IP_B) / \
        ICMP(type=8, id=11, seq=12) / Raw(b'vlan')
    yield 'vlan v6 udp', eth / Dot1Q(vlan=20, prio=5) / IPv6(src=IP6_A, dst=IP6_B) / \
        UDP(dport=4789)
    yield 'qinq udp', Ether(src=MAC_A, dst=MAC_B, type=0x88a8) / Dot1AD(vlan=100) / \
        Dot1Q(vlan=200) / IP(src=IP_A, dst=IP_B) / UDP(dport=9999) / Raw(b'qq')
    yield 'qinq icmp echo', Ether(src=MAC_A, dst=MAC_B, type=0x88a8) / Dot1AD(vlan=100) / \
        Dot1Q(vlan=200) / IP(src=IP_A, dst=IP_B) / ICMP(type=8, id=1, seq=1)
    yield 'double 8021q tcp', eth / Dot1Q(vlan=1) / Dot1Q(vlan=2) / \
        IP(src=IP_A, dst=IP_B) / TCP(dport=80)
    yield 'triple tag', eth / Dot1Q(vlan=1) / Dot1Q(vlan=2) / Dot1Q(vlan=3) / \
        IP(src=IP_A, dst=IP_B) / UDP()
    yield 'vlan truncated tag', bytes(eth / Dot1Q(vlan=5) / IP())[:14 + 2]
    yield 'vlan arp', eth / Dot1Q(vlan=7) / ARP(psrc=IP_A, pdst=IP_B)


def _non_ip_cases(rng):
    yield 'arp request', Ether(src=MAC_A, dst='ff:ff:ff:ff:ff:ff') / \
        ARP(op=1, hwsrc=MAC_A, psrc=IP_A, pdst=IP_B)
    yield 'arp reply', Ether(src=MAC_B, dst=MAC_A) / \
        ARP(op=2, hwsrc=MAC_B, psrc=IP_B, hwdst=MAC_A, pdst=IP_A)
    yield 'lldp', _eth(rng, 0x88cc) / Raw(_payload(rng, 46))
    yield '802.3 length', _eth(rng, 46) / Raw(_payload(rng, 46))
    yield 'eth only ipv4', bytes(_eth(rng, 0x0800))
    yield 'eth only', bytes(_eth(rng, 0x1234))
    yield 'eth + 1', bytes(_eth(rng, 0x1234)) + b'\x01'


def _sweep_cases(rng):
    """Every IPv4 protocol number and a run of unknown ethertypes: more
    distinct keys than demo_nf's 256-entry proto_count holds, so the hash
    map fills up and later inserts fail (E2BIG) the same way everywhere."""
    for proto in range(256):
        yield 'v4 proto %d' % proto, _eth(rng) / \
            IP(src=IP_A, dst=IP_B, proto=proto) / Raw(_payload(rng, 20))
    for ethertype in range(0x0600, 0x0610):
        yield 'ethertype %04x' % ethertype, _eth(rng, ethertype) / Raw(_payload(rng, 46))


def _runt_cases(rng):
    full = bytes(_eth(rng, 0x0800))
    for n in (1, 6, 13):
        yield 'runt %d' % n, full[:n]


def _verdict_cases(rng):
    hdr = bytes(_eth(rng, ETH_P_VERDICT_TEST))
    for v in (0, 1, 2, 3, 4, 5, 7, 255):
        yield 'verdict %d' % v, hdr + bytes([v]) + _payload(rng, 45)
    yield 'verdict tx 15B', hdr + b'\x03'
    yield 'verdict no byte', hdr


def _geometry(rng, op, n, total=60):
    hdr = bytes(_eth(rng, ETH_P_GEOMETRY_TEST))
    body = bytes([op, n]) + _payload(rng, max(0, total - len(hdr) - 2))
    return hdr + body


def _geometry_cases(rng):
    for n in (0, 1, 14, 100, MAX_PUSH, MAX_PUSH + 1, 255):
        yield 'push %d' % n, _geometry(rng, OP_PUSH, n)
    # pop: 60-byte frame keeps at least 14 bytes, so 46 fits and 47 fails
    for n in (0, 1, 20, 46, 47, 255):
        yield 'pop %d' % n, _geometry(rng, OP_POP, n)
    yield 'pop 255 from 1500B', _geometry(rng, OP_POP, 255, 1500)
    # grow: up to 2040 bytes, the frame holds 3520
    for n in (0, 1, 100, 255):
        yield 'grow %d' % (n * 8), _geometry(rng, OP_GROW, n)
    limit_len = MAX_LINEAR - 255 * 8
    yield 'grow 2040 to exactly 3520', _geometry(rng, OP_GROW, 255, limit_len)
    yield 'grow 2040 to 3521', _geometry(rng, OP_GROW, 255, limit_len + 1)
    yield 'grow 520 from 3000B', _geometry(rng, OP_GROW, 65, 3000)
    yield 'grow 528 from 3000B', _geometry(rng, OP_GROW, 66, 3000)
    # shrink: a frame may not go below 14 bytes
    for n in (0, 10, 46, 47, 255):
        yield 'shrink %d' % n, _geometry(rng, OP_SHRINK, n)
    yield 'shrink 255 of 1500B', _geometry(rng, OP_SHRINK, 255, 1500)
    # metadata: 4-byte multiples, up to 32 (older kernels) or 252 (newer),
    # and never into the 40 bytes of the kernel's struct xdp_frame
    for n in (0, 4, 8, 32, 36, 3, 64, MAX_PUSH, MAX_PUSH + 4, 252, 255):
        yield 'meta %d' % n, _geometry(rng, OP_META, n)
    # csum_diff: 4-byte multiples and odd sizes (refused before Linux
    # 6.13); op 7 uses n bytes twice
    for n in (0, 1, 3, 4, 5, 8, 20, 64, 127, 128, 129):
        yield 'csum push %d' % n, _geometry(rng, OP_CSUM_PUSH, n, 200)
    yield 'csum push 64 short frame', _geometry(rng, OP_CSUM_PUSH, 64, 40)
    yield 'csum push 8 ones', _geometry(rng, OP_CSUM_PUSH, 8, 16) + b'\xff' * 8
    for n in (0, 2, 4, 6, 60, 64, 68, 128):
        yield 'csum diff %d' % n, _geometry(rng, OP_CSUM_DIFF, n, 200)
    # the head moves with 8 bytes of metadata in front: the metadata
    # moves along and the headroom limit shrinks by 8
    for n in (1, 100, MAX_PUSH - 8, MAX_PUSH - 7):
        yield 'meta 8 then push %d' % n, _geometry(rng, OP_META_THEN_PUSH, n)
    for n in (1, 40, 46, 47):
        yield 'meta 8 then pop %d' % n, _geometry(rng, OP_META_THEN_POP, n)
    yield 'unknown op', _geometry(rng, 99, 1)
    yield 'op without amount', bytes(_eth(rng, ETH_P_GEOMETRY_TEST)) + bytes([OP_PUSH])


def _isa_cases(rng):
    """Operand pairs for isa_ops: each frame is padding, a, b (64-bit
    little endian) and zeroed room for the results."""
    m64 = (1 << 64) - 1
    pairs = [
        (0, 0), (1, 0), (5, 0), (m64, 0),                  # division by zero
        (1 << 63, m64), (0x80000000, 0xffffffff),          # INT_MIN / -1
        (0xffffffff80000000, m64),
        (1, 63), (1, 64), (1, 65), (1 << 63, 127),         # shift masking
        (0xdeadbeef, 31), (0xdeadbeef, 32), (0xdeadbeef, 33),
        (-7 & m64, 2), (7, -2 & m64), (-7 & m64, -2 & m64),
        (0x80, 0x8000), (0x7f, 0xffff8000), (0xffffffff, 1),
    ]
    pairs += [(rng.getrandbits(64), rng.getrandbits(64)) for _ in range(10)]
    pairs += [(rng.getrandbits(64), rng.getrandbits(7)) for _ in range(4)]
    hdr = bytes(_eth(rng, ETH_P_ISA_TEST))
    for a, b in pairs:
        yield 'isa %x %x' % (a, b), \
            hdr + bytes(2) + struct.pack('<QQ', a, b) + bytes(8 * ISA_RESULTS)
    yield 'isa short', hdr + bytes(2) + struct.pack('<QQ', 3, 4)


def _large_cases(rng):
    eth = _eth(rng)
    yield 'v4 udp 1500B', eth / IP(src=IP_A, dst=IP_B) / UDP(dport=9) / Raw(_payload(rng, 1500 - 42))
    yield 'v4 icmp echo 1500B', eth / IP(src=IP_A, dst=IP_B) / ICMP(type=8, id=9, seq=9) / \
        Raw(_payload(rng, 1500 - 42))
    yield 'v6 tcp 3000B', eth / IPv6(src=IP6_A, dst=IP6_B) / TCP(dport=80) / \
        Raw(_payload(rng, 3000 - 74))
    yield 'lldp 3520B', _eth(rng, 0x88cc) / Raw(_payload(rng, MAX_LINEAR - 14))


def packets():
    """Every case, in a fixed order, with fixed content."""
    rng = random.Random(SEED)
    cases = []
    for gen in (_ipv4_cases, _ipv4_broken_cases, _ipv6_cases, _vlan_cases,
                _non_ip_cases, _runt_cases, _verdict_cases, _geometry_cases,
                _isa_cases, _large_cases, _sweep_cases):
        for name, pkt in gen(rng):
            cases.append(Case(name, bytes(pkt)))
    return cases


def frags_cases():
    """Multi-buffer frames (longer than the 3520 linear bytes of the
    kernel's test frame) with the tail commands of frags_len (see its
    source): growth into the last fragment's page and past it, shrinking
    within it, releasing it exactly, releasing every fragment and cutting
    into the linear part, then growing again, and too much."""
    hdr = bytes.fromhex('02000000000b02000000000a') + struct.pack('!H', ETH_P_FRAGS_TEST)
    cmds = [
        (3521, 0, 0, 0), (3600, 1, 1, 0), (4000, 1, 3616, 0), (4000, 1, 3617, 0),
        (7616, 1, 1, 0), (7617, 2, 1, 0), (7617, 2, 2, 0), (3521, 2, 1, 0),
        (3521, 2, 100, 0), (3521, 3, 100, 200), (3521, 3, 100, 400),
        (12000, 2, 8480, 0), (12000, 2, 12000 - 14, 0), (12000, 2, 12000 - 13, 0),
        (20000, 1, 0, 0), (20000, 2, 4096 + 1, 0), (9000, 3, 5480, 4096),
        (MAX_LINEAR, 1, 8, 0), (40000, 0, 0, 0),
    ]
    out = []
    for length, op, amount, amount2 in cmds:
        head = hdr + struct.pack('<BxHH', op, amount, amount2)
        body = bytes((i * 7 + 3) & 0xff for i in range(length - len(head)))
        out.append(Case('frags %d op %d %d %d' % (length, op, amount, amount2),
                        head + body))
    return out


def nf_basic_cases():
    """Frames for the decisions of the basic NFs (xdp_drop, csum, xdping,
    adjust_tail; counter, length and hash_sum take every frame): TCP
    headers valid and not, behind VLAN tags and in fragments; IPv4 header
    checksums right and wrong with options; echo requests that must and
    must not be answered; frames over adjust_tail's limits (600 B by
    default, 200 B configured) with and without DF, fragments and ICMP
    errors among them."""
    rng = random.Random(SEED + 8)
    eth = _eth(rng)
    ip = dict(src=IP_A, dst=IP_B)
    frames = [
        ('nf tcp doff 5', eth / IP(**ip) / TCP(dport=80)),
        ('nf tcp doff 15', eth / IP(**ip) / TCP(dport=80, options=[('NOP', None)] * 40)),
        ('nf tcp doff 4', eth / IP(**ip) / TCP(dport=80, dataofs=4)),
        ('nf tcp doff 8 cut', bytes(eth / IP(**ip) / TCP(dport=80, dataofs=8))),
        ('nf tcp v4 later fragment', eth / IP(frag=3, proto=6, **ip) / Raw(bytes(40))),
        ('nf tcp v4 first fragment', eth / IP(flags='MF', **ip) / TCP(dport=80)),
        ('nf tcp v4 version 6', bytes(eth / IP(version=6, **ip) / TCP())),
        ('nf tcp qinq', Ether(src=MAC_A, dst=MAC_B, type=0x88a8) / Dot1AD(vlan=3) /
         Dot1Q(vlan=4) / IP(**ip) / TCP(dport=443)),
        ('nf tcp vlan v6', eth / Dot1Q(vlan=9) / IPv6(src=IP6_A, dst=IP6_B) / TCP()),
        ('nf tcp v6 hopbyhop', eth / IPv6(src=IP6_A, dst=IP6_B) / IPv6ExtHdrHopByHop() / TCP()),
        ('nf ip csum ok ihl 7', eth / IP(options=[IPOption_NOP()] * 8, **ip) / UDP()),
        ('nf ip csum bad ihl 7', eth / IP(options=[IPOption_NOP()] * 8, chksum=1, **ip) / UDP()),
        ('nf ip csum ok vlan', eth / Dot1Q(vlan=2) / IP(**ip) / UDP(dport=7)),
        ('nf ip csum bad vlan', eth / Dot1Q(vlan=2) / IP(chksum=0xffff, **ip) / UDP(dport=7)),
        ('nf echo req code 1', eth / IP(**ip) / ICMP(type=8, code=1) / Raw(b'c1')),
        ('nf echo req fragment', eth / IP(flags='MF', **ip) / ICMP(type=8) / Raw(b'mf')),
        ('nf echo req later fragment', eth / IP(frag=2, proto=1, **ip) / Raw(bytes(16))),
        ('nf echo req ihl 15', eth / IP(options=[IPOption_NOP()] * 40, **ip) /
         ICMP(type=8, id=0x1234, seq=0x5678) / Raw(b'ihl15')),
        ('nf echo req cut', bytes(eth / IP(**ip) / ICMP(type=8))[:14 + 20 + 7]),
        ('nf echo req v6 ethertype', bytes(eth / IPv6(src=IP6_A, dst=IP6_B, nh=1) /
                                           ICMP(type=8))),
    ]
    for n in (200, 201, 600, 601, 1000):
        frames.append(('nf udp %dB' % n, eth / IP(**ip) / UDP(dport=9) /
                       Raw(_payload(rng, n - 42))))
        frames.append(('nf udp df %dB' % n, eth / IP(flags='DF', **ip) / UDP(dport=9) /
                       Raw(_payload(rng, n - 42))))
    frames += [
        ('nf tcp df 900B', eth / IP(flags='DF', **ip) / TCP(dport=80, flags='PA') /
         Raw(_payload(rng, 900 - 54))),
        ('nf big ihl 15 df', eth / IP(flags='DF', options=[IPOption_NOP()] * 40, **ip) /
         UDP() / Raw(_payload(rng, 700))),
        ('nf big later fragment', eth / IP(flags='DF', frag=100, proto=17, **ip) /
         Raw(_payload(rng, 800))),
        ('nf big first fragment', eth / IP(flags='MF', **ip) / UDP() / Raw(_payload(rng, 800))),
        ('nf big echo req df', eth / IP(flags='DF', **ip) / ICMP(type=8) /
         Raw(_payload(rng, 800))),
        ('nf big icmp error', eth / IP(flags='DF', **ip) / ICMP(type=3, code=1) /
         Raw(_payload(rng, 800))),
        ('nf big icmp time exceeded', eth / IP(**ip) / ICMP(type=11) / Raw(_payload(rng, 800))),
        ('nf big ihl 4', bytes(eth / IP(flags='DF', ihl=4, **ip) / UDP() /
                               Raw(_payload(rng, 800)))),
        ('nf big vlan udp df', eth / Dot1Q(vlan=5) / IP(flags='DF', **ip) / UDP() /
         Raw(_payload(rng, 800))),
        ('nf big v6 udp', eth / IPv6(src=IP6_A, dst=IP6_B) / UDP() / Raw(_payload(rng, 800))),
    ]
    return [Case(name, bytes(f)) for name, f in frames]


L4LB_SEEDED_CLIENT = ('192.0.2.200', 5555)


def l4lb_cases():
    """Traffic for the l4lb load balancer with the service of
    app/test/test_nf_l4lb.py (VIPs 10.1.1.1:80/tcp, 10.1.1.2:any/udp,
    [2001:db8:100::1]:443/tcp, [2001:db8:100::2]:53/udp, 10.1.1.3:8080/tcp,
    10.1.1.4:80/tcp): connections opened by a SYN and continued, some
    without a SYN, the connection L4LB_SEEDED_CLIENT the test seeds in the
    table, IPv6 with traffic classes, padded frames, and traffic for the
    host of every kind (other ports and addresses, ICMP, IP options,
    fragments, extension headers, VLAN, ARP, broken lengths)."""
    rng = random.Random(4242)
    eth = Ether(src='02:00:00:00:00:0a', dst='02:00:00:00:00:0b')
    out = []

    def client4():
        return '192.0.2.%d' % rng.randrange(1, 200), rng.randrange(1024, 65536)

    def client6():
        return '2001:db8:c::%x' % rng.randrange(1, 0xffff), rng.randrange(1024, 65536)

    def pay():
        return Raw(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 200))))

    for _ in range(24):
        ip, port = client4()
        out.append(('l4lb vip0 syn', eth / IP(src=ip, dst='10.1.1.1', tos=0x28) /
                    TCP(sport=port, dport=80, flags='S')))
        for _ in range(rng.randrange(1, 3)):
            out.append(('l4lb vip0 data', eth / IP(src=ip, dst='10.1.1.1') /
                        TCP(sport=port, dport=80, flags='PA') / pay()))
    for _ in range(6):
        ip, port = client4()
        out.append(('l4lb vip0 ack without syn', eth / IP(src=ip, dst='10.1.1.1') /
                    TCP(sport=port, dport=80, flags='A')))
    ip, port = L4LB_SEEDED_CLIENT
    out.append(('l4lb seeded data', eth / IP(src=ip, dst='10.1.1.1') /
                TCP(sport=port, dport=80, flags='PA') / pay()))
    out.append(('l4lb seeded syn', eth / IP(src=ip, dst='10.1.1.1') /
                TCP(sport=port, dport=80, flags='S')))
    out.append(('l4lb seeded ack', eth / IP(src=ip, dst='10.1.1.1') /
                TCP(sport=port, dport=80, flags='A')))
    for _ in range(12):
        ip, port = client4()
        out.append(('l4lb vip1 udp any port', eth / IP(src=ip, dst='10.1.1.2') /
                    UDP(sport=port, dport=rng.randrange(1, 65536)) / pay()))
    for _ in range(12):
        ip, port = client6()
        out.append(('l4lb vip2 v6 syn', eth / IPv6(src=ip, dst='2001:db8:100::1', tc=rng.randrange(256),
                                                    fl=rng.randrange(1 << 20)) /
                    TCP(sport=port, dport=443, flags='S')))
        out.append(('l4lb vip2 v6 data', eth / IPv6(src=ip, dst='2001:db8:100::1') /
                    TCP(sport=port, dport=443, flags='A') / pay()))
    for _ in range(3):
        ip, port = client6()
        out.append(('l4lb vip3 v6 to v4 real', eth / IPv6(src=ip, dst='2001:db8:100::2') /
                    UDP(sport=port, dport=53) / pay()))
        ip, port = client4()
        out.append(('l4lb vip4 empty ring', eth / IP(src=ip, dst='10.1.1.3') /
                    TCP(sport=port, dport=8080, flags='S')))
    for _ in range(8):
        ip, port = client4()
        out.append(('l4lb vip5 stateless syn', eth / IP(src=ip, dst='10.1.1.4') /
                    TCP(sport=port, dport=80, flags='S')))
        out.append(('l4lb vip5 stateless data', eth / IP(src=ip, dst='10.1.1.4') /
                    TCP(sport=port, dport=80, flags='A') / pay()))
    host = '192.0.2.1'
    out += [
        ('l4lb other port', eth / IP(src=host, dst='10.1.1.1') / TCP(sport=1, dport=81)),
        ('l4lb other protocol', eth / IP(src=host, dst='10.1.1.1') / UDP(sport=1, dport=80)),
        ('l4lb other address', eth / IP(src=host, dst='10.9.9.9') / TCP(sport=1, dport=80)),
        ('l4lb icmp to vip', eth / IP(src=host, dst='10.1.1.1') / ICMP()),
        ('l4lb ip options', eth / IP(src=host, dst='10.1.1.1', options=IPOption_NOP()) / TCP(dport=80)),
        ('l4lb first fragment', eth / IP(src=host, dst='10.1.1.1', flags='MF') / TCP(dport=80)),
        ('l4lb later fragment', eth / IP(src=host, dst='10.1.1.1', frag=10, proto=6) / Raw(bytes(20))),
        ('l4lb v6 hop-by-hop', eth / IPv6(src='2001:db8:c::1', dst='2001:db8:100::1') /
         IPv6ExtHdrHopByHop() / TCP(dport=443)),
        ('l4lb v6 other port', eth / IPv6(src='2001:db8:c::1', dst='2001:db8:100::1') / TCP(dport=444)),
        ('l4lb vlan', eth / Dot1Q(vlan=5) / IP(src=host, dst='10.1.1.1') / TCP(dport=80)),
        ('l4lb arp', eth / ARP(pdst='10.1.1.1')),
    ]
    cases = [Case(name, bytes(f)) for name, f in out]
    # Ethernet padding behind a 30-byte datagram: the tunnel carries it
    padded = bytes(eth / IP(src='192.0.2.9', dst='10.1.1.2') / UDP(sport=7, dport=7) / Raw(b'xx'))
    cases.append(Case('l4lb padded frame', padded + bytes(60 - len(padded))))
    tcp = bytes(eth / IP(src=host, dst='10.1.1.1') / TCP(sport=9, dport=80, flags='S'))
    udp6 = bytes(eth / IPv6(src='2001:db8:c::1', dst='2001:db8:100::2') / UDP(dport=53))
    cases += [
        Case('l4lb tcp header cut', tcp[:14 + 20 + 12]),
        Case('l4lb tot_len beyond frame', tcp[:16] + b'\x01\x00' + tcp[18:]),
        Case('l4lb tot_len under 20', tcp[:16] + b'\x00\x10' + tcp[18:]),
        Case('l4lb v6 payload_len beyond frame', udp6[:18] + b'\x04\x00' + udp6[20:]),
        Case('l4lb version 6 behind ethertype ipv4', tcp[:14] + b'\x65' + tcp[15:]),
    ]
    return cases


def write_pcap(path, cases):
    """A classic little-endian Ethernet pcap; timestamps are the case
    index in microseconds so files are byte-for-byte reproducible."""
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, case in enumerate(cases):
            f.write(struct.pack('<IIII', 0, i, len(case.data), len(case.data)))
            f.write(case.data)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write('usage: pktset.py OUT.pcap\n')
        return 2
    cases = packets()
    write_pcap(argv[1], cases)
    print('%d packets written to %s' % (len(cases), argv[1]))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
