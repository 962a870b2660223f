# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Packets and map configurations of the forwarding NFs (xdp_fw, acl),
shared by the kernel-differential test (test_oracle_progs.py) and the
testpmd end-to-end test (test_nf_forward.py).

A configuration is a list of (map, keyhex, valhex) entries, written the
same way by uxdp-run/uxdp-kernel-run --map-update and the map_update=
devarg. A case is (name, frame bytes, wanted XDP action): the action is
the program's own spec, checked against the kernel before uxdp is
compared with it.
"""

import ipaddress
import struct

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import ARP, Dot1AD, Dot1Q, Ether
from scapy.packet import Raw

XDP_DROP, XDP_PASS, XDP_TX, XDP_REDIRECT = 1, 2, 3, 4
ACTION_NAMES = {0: 'XDP_ABORTED', XDP_DROP: 'XDP_DROP', XDP_PASS: 'XDP_PASS',
                XDP_TX: 'XDP_TX', XDP_REDIRECT: 'XDP_REDIRECT'}

MAC_A, MAC_B = '02:00:00:00:00:01', '02:00:00:00:00:02'
NEXT_HOP_MAC, PORT_MAC = '02:00:00:00:0a:01', '02:00:00:00:0b:01'


def u32(v):
    return struct.pack('<I', v).hex()


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(':'))


# --- xdp_fw (see xdp_progs/xdp_fw.c) ---
FW_REWRITE_MACS, FW_DEC_TTL = 1, 2


def fw_route(ingress, egress, flags=0, dst_mac=NEXT_HOP_MAC, src_mac=PORT_MAC):
    """fw_egress and fw_next_hop entries for one ingress port."""
    hop = mac_bytes(dst_mac) + mac_bytes(src_mac) + struct.pack('<I', flags)
    return [('fw_egress', u32(ingress), u32(egress)),
            ('fw_next_hop', u32(ingress), hop.hex())]


def _ipv4_with_check(check, ttl=64):
    """An IPv4/UDP frame whose header checksum field is forced, to reach
    the edges of the incremental update (0xfeff + 0x0100 = 0xffff)."""
    raw = bytearray(bytes(Ether(src=MAC_A, dst=MAC_B) /
                          IP(src='192.0.2.1', dst='198.51.100.2', ttl=ttl) /
                          UDP(sport=1, dport=2) / Raw(b'x' * 18)))
    struct.pack_into('!H', raw, 24, check)
    return bytes(raw)


def fw_frames():
    """(name, frame, routed): routed frames are ones whose TTL handling
    lets them leave; the others (TTL 0/1, runts) are listed as such."""
    eth = Ether(src=MAC_A, dst=MAC_B)
    v4 = dict(src='192.0.2.1', dst='198.51.100.2')
    v6 = dict(src='2001:db8::1', dst='2001:db8::2')
    out = [
        ('fw v4 udp ttl 64', eth / IP(ttl=64, **v4) / UDP(dport=53) / Raw(b'q' * 20), True),
        ('fw v4 tcp ttl 2', eth / IP(ttl=2, **v4) / TCP(dport=80), True),
        ('fw v4 icmp ttl 1', eth / IP(ttl=1, **v4) / ICMP(), False),
        ('fw v4 ttl 0', eth / IP(ttl=0, **v4) / UDP(), False),
        ('fw v4 options ttl 9', eth / IP(ttl=9, ihl=6, options=b'\x01\x01\x01\x00', **v4) /
         UDP(), True),
        ('fw v6 udp hlim 64', eth / IPv6(hlim=64, **v6) / UDP(dport=53), True),
        ('fw v6 hlim 1', eth / IPv6(hlim=1, **v6) / TCP(), False),
        ('fw v6 hlim 255', eth / IPv6(hlim=255, **v6) / ICMP(), True),
        ('fw vlan v4 ttl 1 (tagged: TTL not touched)',
         eth / Dot1Q(vlan=7) / IP(ttl=1, **v4) / UDP(), True),
        ('fw arp', eth / ARP(psrc='192.0.2.1', pdst='192.0.2.9'), True),
        ('fw v4 truncated header', bytes(eth / IP(**v4))[:14 + 12], True),
        ('fw v4 version 6 in v4 ethertype',
         bytes(eth / IPv6(hlim=1, **v6))[:12] + b'\x08\x00' +
         bytes(eth / IPv6(hlim=1, **v6))[14:], True),
        ('fw ethernet header only', bytes(eth)[:14], True),
    ]
    frames = [(n, bytes(f), r) for n, f, r in out]
    for check in (0x0000, 0x00ff, 0xfeff, 0xff00, 0xfffe, 0xffff):
        frames.append(('fw v4 check %#06x' % check, _ipv4_with_check(check), True))
    return frames


def fw_oracle_runs(ifindex):
    """Configurations of xdp_fw for a run whose ingress is ifindex (and
    whose only possible egress in the kernel's test run is the same
    device): the route with each flag combination."""
    frames = fw_frames()
    runs = []
    for flags in (0, FW_REWRITE_MACS, FW_DEC_TTL, FW_REWRITE_MACS | FW_DEC_TTL):
        ttl = flags & FW_DEC_TTL
        cases = [(n, f, XDP_REDIRECT if r or not ttl else XDP_PASS)
                 for n, f, r in frames]
        runs.append(('route flags %d' % flags, fw_route(ifindex, ifindex, flags), cases))
    # no route for this port (the entry is for another): every frame passes
    runs.append(('route for another port', fw_route(ifindex + 1, ifindex, 3),
                 [(n, f, XDP_PASS) for n, f, _ in frames]))
    return runs


# --- acl (see xdp_progs/acl.c) ---
ACL_ALLOW, ACL_DENY = 0, 1


def acl_rule(prefix, action, rule_id):
    net = ipaddress.ip_network(prefix)
    name = 'acl_v4' if net.version == 4 else 'acl_v6'
    key = struct.pack('<I', net.prefixlen) + net.network_address.packed
    return (name, key.hex(), struct.pack('<II', action, rule_id).hex())


def acl_config(default_action, match_dst=0):
    return ('acl_config', u32(0), struct.pack('<II', default_action, match_dst).hex())


ACL_RULES = [
    ('10.0.0.0/8', ACL_DENY, 1),
    ('10.1.0.0/16', ACL_ALLOW, 2),
    ('10.1.2.3/32', ACL_DENY, 3),
    ('192.0.2.0/24', ACL_ALLOW, 4),
    ('0.0.0.0/1', 7, 5),                 # an unknown action denies
    ('2001:db8::/32', ACL_DENY, 10),
    ('2001:db8:1::/48', ACL_ALLOW, 11),
    ('2001:db8:1:2::5/128', ACL_DENY, 12),
    ('fe80::/10', ACL_ALLOW, 13),
]


def acl_entries(default_action, match_dst=0):
    return [acl_rule(p, a, i) for p, a, i in ACL_RULES] + \
        [acl_config(default_action, match_dst)]


def _acl_verdict(addr, default_action):
    """Longest prefix of ACL_RULES covering addr, by the spec."""
    ip = ipaddress.ip_address(addr)
    best = None
    for prefix, action, _ in ACL_RULES:
        net = ipaddress.ip_network(prefix)
        if net.version == ip.version and ip in net and \
                (best is None or net.prefixlen > best[0]):
            best = (net.prefixlen, action)
    action = default_action if best is None else best[1]
    return XDP_PASS if action == ACL_ALLOW else XDP_DROP


ACL_ADDRS = ['10.9.9.9', '10.1.7.7', '10.1.2.3', '10.1.2.4', '192.0.2.77',
             '127.0.0.1', '172.16.0.1', '203.0.113.5',
             '2001:db8:9::1', '2001:db8:1:2::5', '2001:db8:1:2::6', 'fe80::1',
             '2001:db9::1', '::1']
OTHER_V4, OTHER_V6 = '198.51.100.200', '3fff::200'


def acl_cases(default_action, match_dst):
    """Frames with every ACL_ADDRS address as the matched side (source, or
    destination with match_dst), untagged, 802.1Q and QinQ, plus non-IP
    and malformed frames."""
    out = []
    for i, addr in enumerate(ACL_ADDRS):
        v6 = ':' in addr
        other = OTHER_V6 if v6 else OTHER_V4
        src, dst = (other, addr) if match_dst else (addr, other)
        l3 = IPv6(src=src, dst=dst) / TCP(dport=443) if v6 else \
            IP(src=src, dst=dst) / UDP(dport=53)
        want = _acl_verdict(addr, default_action)
        eth = Ether(src=MAC_A, dst=MAC_B)
        tags = (None, Dot1Q(vlan=10), Dot1AD(vlan=20) / Dot1Q(vlan=30))
        tag = tags[i % 3]
        frame = eth / tag / l3 if tag is not None else eth / l3
        out.append(('acl %s %s %s' % ('dst' if match_dst else 'src', addr,
                                      ('untagged', 'vlan', 'qinq')[i % 3]),
                    bytes(frame), want))
    eth = Ether(src=MAC_A, dst=MAC_B)
    out += [
        ('acl arp', bytes(eth / ARP(psrc='10.9.9.9')), XDP_PASS),
        ('acl lldp', bytes(Ether(src=MAC_A, dst=MAC_B, type=0x88cc) / Raw(b'l' * 40)),
         XDP_PASS),
        ('acl v4 truncated', bytes(eth / IP(src='10.1.2.3'))[:30], XDP_DROP),
        ('acl v6 truncated', bytes(eth / IPv6(src='::1'))[:50], XDP_DROP),
        ('acl vlan truncated', bytes(eth / Dot1Q(vlan=1))[:16], XDP_DROP),
        ('acl v6 header in v4 ethertype',
         bytes(eth)[:12] + b'\x08\x00' + bytes(IPv6(src='10::1') / UDP()), XDP_DROP),
        ('acl three tags: the third is not parsed',
         bytes(eth / Dot1AD(vlan=1) / Dot1Q(vlan=2) / Dot1Q(vlan=3) / IP(src='10.9.9.9')),
         XDP_PASS),
    ]
    return out


def acl_many_rules(seed=8, per_family=400):
    """Random nested prefixes of both families (seeded) and frames from
    addresses inside and around them; verdicts by longest prefix."""
    import random
    rng = random.Random(seed)
    rules, seen = [], set()
    for fam, bits in ((4, 32), (6, 128)):
        while len([r for r in rules if ':' in r[0]] if fam == 6 else
                  [r for r in rules if ':' not in r[0]]) < per_family:
            plen = rng.choice([0, 1, 7, 8, 12, 16, 20, 23, 24, 25, 31, 32] if fam == 4 else
                              [0, 3, 16, 32, 47, 48, 56, 64, 100, 127, 128])
            base = rng.getrandbits(bits) if rng.random() < 0.5 or not rules else \
                int(ipaddress.ip_network(rng.choice(rules)[0]).network_address) ^ \
                rng.getrandbits(max(bits - plen, 0) // 2)
            addr = ipaddress.ip_address(base) if fam == 4 else ipaddress.IPv6Address(base)
            net = ipaddress.ip_network('%s/%d' % (addr, plen), strict=False)
            if str(net) in seen:
                continue
            seen.add(str(net))
            rules.append((str(net), rng.choice([ACL_ALLOW, ACL_DENY]), rng.randrange(256)))
    eth = Ether(src=MAC_A, dst=MAC_B)
    cases = []
    for i in range(300):
        net = ipaddress.ip_network(rng.choice(rules)[0])
        host = int(net.network_address) + (rng.getrandbits(net.max_prefixlen - net.prefixlen)
                                           if net.prefixlen < net.max_prefixlen else 0)
        if i % 5 == 0:
            host = rng.getrandbits(net.max_prefixlen)
        addr = str(ipaddress.ip_address(host) if net.version == 4 else
                   ipaddress.IPv6Address(host))
        best = None
        for prefix, action, _ in rules:
            n = ipaddress.ip_network(prefix)
            if n.version == net.version and ipaddress.ip_address(addr) in n and \
                    (best is None or n.prefixlen > best[0]):
                best = (n.prefixlen, action)
        action = ACL_DENY if best is None else best[1]
        l3 = IP(src=addr, dst='192.0.2.1') / UDP() if net.version == 4 else \
            IPv6(src=addr, dst='2001:db8::1') / UDP()
        cases.append(('acl many %s' % addr, bytes(eth / l3),
                      XDP_PASS if action == ACL_ALLOW else XDP_DROP))
    entries = [acl_rule(p, a, i) for p, a, i in rules] + [acl_config(ACL_DENY)]
    return entries, cases


def acl_oracle_runs(_ifindex):
    many_entries, many_cases = acl_many_rules()
    return [('800 random nested prefixes', many_entries, many_cases),
('rules, default deny', acl_entries(ACL_DENY), acl_cases(ACL_DENY, 0)),
            ('rules on dst, default allow', acl_entries(ACL_ALLOW, 1),
             acl_cases(ACL_ALLOW, 1)),
            ('no configuration: allow', [], [(n, f, XDP_PASS if w == XDP_DROP and
                                              'truncated' not in n and 'in v4' not in n
                                              else w)
                                             for n, f, w in acl_cases(ACL_DENY, 0)])]


# --- firewall (see xdp_progs/firewall.c) ---
FWL_ALLOW, FWL_DENY = 0, 1
IPPROTO_TCP, IPPROTO_UDP = 6, 17
FWL_RULES = [(IPPROTO_TCP, 22, FWL_ALLOW), (IPPROTO_TCP, 80, FWL_ALLOW),
             (IPPROTO_UDP, 53, FWL_ALLOW), (IPPROTO_TCP, 23, FWL_DENY),
             (IPPROTO_UDP, 5353, 9)]       # an unknown action denies
FWL_VLANS = (0, 10, 30)


def fwl_entries(default_action=FWL_DENY, vlan_filter=1):
    out = [('fwl_rules', struct.pack('!BBH', proto, 0, port).hex(), u32(action))
           for proto, port, action in FWL_RULES]
    out += [('fwl_vlans', u32(v), u32(1)) for v in FWL_VLANS]
    out.append(('fwl_config', u32(0), struct.pack('<II', default_action, vlan_filter).hex()))
    return out


def fwl_cases():
    """(name, frame, verdict with fwl_entries(), verdict without any
    configuration)."""
    eth = Ether(src=MAC_A, dst=MAC_B)
    v4 = dict(src='192.0.2.1', dst='198.51.100.2')
    v6 = dict(src='2001:db8::1', dst='2001:db8::2')
    P, D = XDP_PASS, XDP_DROP
    rows = [
        ('tcp 22', eth / IP(**v4) / TCP(sport=40000, dport=22), P, P),
        ('tcp 22 again, same flow', eth / IP(**v4) / TCP(sport=40000, dport=22) /
         Raw(b'x' * 100), P, P),
        ('tcp 22 other source port', eth / IP(**v4) / TCP(sport=40001, dport=22), P, P),
        ('tcp 80 vlan 10', eth / Dot1Q(vlan=10) / IP(**v4) / TCP(dport=80), P, P),
        ('tcp 80 vlan 20 (not allowed)', eth / Dot1Q(vlan=20) / IP(**v4) / TCP(dport=80),
         D, P),
        ('tcp 80 qinq 20/30 (inner allowed)', eth / Dot1AD(vlan=20) / Dot1Q(vlan=30) /
         IP(**v4) / TCP(dport=80), P, P),
        ('tcp 80 qinq 30/20 (inner not)', eth / Dot1AD(vlan=30) / Dot1Q(vlan=20) /
         IP(**v4) / TCP(dport=80), D, P),
        ('three tags', eth / Dot1AD(vlan=10) / Dot1Q(vlan=10) / Dot1Q(vlan=10) /
         IP(**v4) / TCP(dport=80), D, D),
        ('tcp 23 (deny rule)', eth / IP(**v4) / TCP(dport=23), D, P),
        ('tcp 23 again', eth / IP(**v4) / TCP(dport=23), D, P),
        ('udp 53', eth / IP(**v4) / UDP(sport=5000, dport=53), P, P),
        ('udp 5353 (unknown action)', eth / IP(**v4) / UDP(dport=5353), D, P),
        ('udp 54 (default)', eth / IP(**v4) / UDP(dport=54), D, P),
        ('tcp source port 22 only (default)', eth / IP(**v4) / TCP(sport=22, dport=9), D, P),
        ('icmp (no ports: default)', eth / IP(**v4) / ICMP(), D, P),
        ('v4 options tcp 22', eth / IP(options=b'\x01\x01\x01\x00', **v4) / TCP(dport=22),
         P, P),
        ('v4 later fragment (no ports: default)',
         eth / IP(frag=10, proto=6, **v4) / Raw(b'\x00\x16' * 10), D, P),
        ('v4 first fragment tcp 22', eth / IP(flags='MF', **v4) / TCP(dport=22), P, P),
        ('v4 tcp ports cut off', bytes(eth / IP(**v4) / TCP(dport=22))[:36], D, D),
        ('v4 ihl 4', bytes(eth / IP(ihl=4, **v4) / UDP()), D, D),
        ('v4 ihl 15 beyond the frame', bytes(eth / IP(ihl=15, **v4) / UDP()), D, D),
        ('v4 truncated', bytes(eth / IP(**v4))[:30], D, D),
        ('v6 tcp 80', eth / IPv6(**v6) / TCP(dport=80), P, P),
        ('v6 udp 53 vlan 30', eth / Dot1Q(vlan=30) / IPv6(**v6) / UDP(dport=53), P, P),
        ('v6 tcp 23', eth / IPv6(**v6) / TCP(dport=23), D, P),
        ('v6 hop-by-hop (no ports: default)', eth / IPv6(nh=0, **v6) / Raw(bytes(8)) /
         Raw(b'\x00\x16' * 4), D, P),
        ('v6 truncated', bytes(eth / IPv6(**v6))[:40], D, D),
        ('v6 version 4', bytes(eth)[:12] + b'\x86\xdd' + bytes(IP(**v4) / UDP()) +
         bytes(20), D, D),
        ('arp (not IP)', eth / ARP(psrc='192.0.2.1'), P, P),
        ('arp vlan 20 (VLAN not allowed)', eth / Dot1Q(vlan=20) / ARP(), D, P),
        ('vlan tag cut off', bytes(eth / Dot1Q(vlan=10))[:16], D, D),
        ('ethernet header only', bytes(eth)[:14], P, P),
    ]
    return [('fwl ' + n, bytes(f), a, b) for n, f, a, b in rows]


FWL_MAX_FLOWS = 4096


def fwl_full_table_cases():
    """More distinct flows than fwl_flows holds, then a known flow and a
    denied one: a full table still filters, and only accounts flows it
    already has."""
    eth = bytes(Ether(src=MAC_A, dst=MAC_B, type=0x0800))
    tmpl = bytes(IP(src='10.0.0.0', dst='198.51.100.2') / UDP(sport=0, dport=53) /
                 Raw(b'f' * 8))
    out = []
    for i in range(FWL_MAX_FLOWS + 8):
        pkt = bytearray(tmpl)
        pkt[14:16] = struct.pack('!H', i)          # source address 10.0.x.y
        pkt[20:22] = struct.pack('!H', 1000 + i % 7)   # source port
        out.append(('fwl flow %d' % i, eth + bytes(pkt), XDP_PASS))
    out.append(('fwl flow 0 again', out[0][1], XDP_PASS))
    out.append(('fwl tcp 23 into a full table',
                bytes(Ether(src=MAC_A, dst=MAC_B) / IP(src='10.9.9.9', dst='198.51.100.2') /
                      TCP(dport=23)), XDP_DROP))
    return out


def fwl_oracle_runs(_ifindex):
    cases = fwl_cases()
    return [('rules, VLAN filter, default deny', fwl_entries(),
             [(n, f, a) for n, f, a, _ in cases]),
            ('no configuration: allow', [], [(n, f, b) for n, f, _, b in cases]),
            ('flow table full', fwl_entries(), fwl_full_table_cases())]


# --- tx_iptunnel (see xdp_progs/tx_iptunnel.c) ---
TNL_MAC = '02:00:00:00:0c:01'


def tnl_vip(addr, dport, proto, tnl_src, tnl_dst, dmac=TNL_MAC):
    a = ipaddress.ip_address(addr)
    fam = a.version
    key = a.packed.ljust(16, b'\0') + struct.pack('!H', dport) + bytes([fam, proto])
    s, d = ipaddress.ip_address(tnl_src), ipaddress.ip_address(tnl_dst)
    val = s.packed.ljust(16, b'\0') + d.packed.ljust(16, b'\0') + mac_bytes(dmac) + \
        bytes([s.version, 0])
    return ('vip2tnl', key.hex(), val.hex())


TNL_VIPS = [
    ('198.51.100.10', 80, 6, '10.0.0.1', '10.0.0.2'),
    ('198.51.100.10', 53, 17, '10.0.0.1', '10.0.0.3'),
    ('2001:db8::10', 443, 6, '2001:db8:ffff::1', '2001:db8:ffff::2'),
    ('198.51.100.11', 80, 6, '2001:db8:ffff::1', '2001:db8:ffff::2'),  # family mismatch
]


def tnl_entries():
    return [tnl_vip(*v) for v in TNL_VIPS]


def tnl_cases():
    """(name, frame, verdict with tnl_entries())."""
    eth = Ether(src=MAC_A, dst=MAC_B)
    src4, src6 = '192.0.2.1', '2001:db8::1'
    vip4, vip6 = '198.51.100.10', '2001:db8::10'
    T, P, D = XDP_TX, XDP_PASS, XDP_DROP
    rows = [
        ('v4 tcp 80', eth / IP(src=src4, dst=vip4) / TCP(dport=80) / Raw(b'GET / '), T),
        ('v4 udp 53', eth / IP(src=src4, dst=vip4) / UDP(dport=53) / Raw(b'q' * 30), T),
        # 1500 bytes: a frame testpmd's 2 KiB mbufs hold in one segment
        # (larger ones arrive chained: README, multi-segment mbufs)
        ('v4 tcp 80 1500B', eth / IP(src=src4, dst=vip4) / TCP(dport=80) /
         Raw(bytes(range(256)) * 5 + bytes(1446 - 1280)), T),
        ('v4 tcp 80 with options', eth / IP(src=src4, dst=vip4, options=b'\x01\x01\x01\x00') /
         TCP(dport=80), T),
        ('v4 tcp 81', eth / IP(src=src4, dst=vip4) / TCP(dport=81), P),
        ('v4 udp 80 (protocol differs)', eth / IP(src=src4, dst=vip4) / UDP(dport=80), P),
        ('v4 icmp to the VIP', eth / IP(src=src4, dst=vip4) / ICMP(), P),
        ('v4 other address', eth / IP(src=src4, dst='198.51.100.12') / TCP(dport=80), P),
        ('v4 family mismatch', eth / IP(src=src4, dst='198.51.100.11') / TCP(dport=80), P),
        ('v4 first fragment', eth / IP(src=src4, dst=vip4, flags='MF') / TCP(dport=80), P),
        ('v4 later fragment', eth / IP(src=src4, dst=vip4, frag=3, proto=6) / Raw(bytes(20)), P),
        ('v4 ports cut off', bytes(eth / IP(src=src4, dst=vip4) / TCP(dport=80))[:36], P),
        ('v4 vlan tagged', eth / Dot1Q(vlan=5) / IP(src=src4, dst=vip4) / TCP(dport=80), P),
        ('v4 length field 65535', bytes(eth / IP(src=src4, dst=vip4, len=65535) /
                                        TCP(dport=80)), D),
        ('v4 length field 65515', bytes(eth / IP(src=src4, dst=vip4, len=65515) /
                                        TCP(dport=80)), T),
        ('v6 tcp 443', eth / IPv6(src=src6, dst=vip6) / TCP(dport=443) / Raw(b'x' * 40), T),
        ('v6 tcp 443 hlim 1', eth / IPv6(src=src6, dst=vip6, hlim=1) / TCP(dport=443), T),
        ('v6 tcp 80', eth / IPv6(src=src6, dst=vip6) / TCP(dport=80), P),
        ('v6 payload length 65535', bytes(eth / IPv6(src=src6, dst=vip6, plen=65535) /
                                          TCP(dport=443)), D),
        ('v6 truncated', bytes(eth / IPv6(src=src6, dst=vip6))[:50], P),
        ('arp', eth / ARP(pdst=vip4), P),
        ('ethernet header only', bytes(eth)[:14], P),
    ]
    return [('tnl ' + n, bytes(f), w) for n, f, w in rows]


def tnl_oracle_runs(_ifindex):
    cases = tnl_cases()
    return [('VIPs', tnl_entries(), cases),
            ('no VIPs', [], [(n, f, XDP_PASS) for n, f, _ in cases])]


# --- httpdump (see xdp_progs/httpdump.c) ---
HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE',
                'PATCH']     # enum http_method 1..9


def http_frames():
    """(name, frame, event or None): the event as the program must write
    it (struct http_event, 104 bytes)."""
    eth = Ether(src=MAC_A, dst=MAC_B)
    c4, s4 = '192.0.2.1', '198.51.100.80'
    c6, s6 = '2001:db8::1', '2001:db8::80'
    rows = []

    def req(name, l3, sport, dport, payload, method, tag=None, pad=0):
        frame = (eth / tag if tag is not None else eth) / l3 / \
            TCP(sport=sport, dport=dport, flags='PA') / Raw(payload)
        data = bytes(frame) + bytes(pad)
        ev = None
        if method:
            v6 = IPv6 in l3
            src, dst = (l3[IPv6].src, l3[IPv6].dst) if v6 else (l3[IP].src, l3[IP].dst)
            ev = (ipaddress.ip_address(src).packed.ljust(16, b'\0') +
                  ipaddress.ip_address(dst).packed.ljust(16, b'\0') +
                  struct.pack('!HH', sport, dport) +
                  struct.pack('<BBH', 6 if v6 else 4, method, len(payload)) +
                  payload[:64].ljust(64, b'\0'))
        rows.append(('http ' + name, data, ev))

    for i, m in enumerate(HTTP_METHODS):
        req(m, IP(src=c4, dst=s4), 40000 + i, 80,
            ('%s /item/%d HTTP/1.1\r\nHost: example.test\r\n\r\n' % (m, i)).encode(), i + 1)
    req('GET long line', IP(src=c4, dst=s4), 40100, 8080,
        b'GET /' + b'a' * 200 + b' HTTP/1.1\r\n\r\n', 1)
    req('v6 POST', IPv6(src=c6, dst=s6), 40200, 80, b'POST /form HTTP/1.1\r\n\r\nx=1', 3)
    req('vlan GET', IP(src=c4, dst=s4), 40300, 80, b'GET / HTTP/1.0\r\n\r\n', 1,
        tag=Dot1Q(vlan=100))
    req('GET padded (Ethernet padding after the IP packet)', IP(src=c4, dst=s4), 40400,
        80, b'GET /', 1, pad=20)
    req('just "GET " (4 bytes)', IP(src=c4, dst=s4), 40500, 80, b'GET ', 1)
    req('"GET" without a space', IP(src=c4, dst=s4), 40600, 80, b'GET', 0)
    req('lower case get', IP(src=c4, dst=s4), 40700, 80, b'get / HTTP/1.1\r\n', 0)
    req('GETX', IP(src=c4, dst=s4), 40800, 80, b'GETX / HTTP/1.1\r\n', 0)
    req('response', IP(src=s4, dst=c4), 80, 40000, b'HTTP/1.1 200 OK\r\n\r\n', 0)
    req('PUTS', IP(src=c4, dst=s4), 40900, 80, b'PUTS /x', 0)
    req('OPTION (short)', IP(src=c4, dst=s4), 41000, 80, b'OPTION', 0)
    req('TLS hello', IP(src=c4, dst=s4), 41100, 443, bytes.fromhex('160301020001'), 0)
    out = [(n, bytes(f), e) for n, f, e in rows]
    out += [
        ('http syn (no payload)', bytes(eth / IP(src=c4, dst=s4) / TCP(dport=80, flags='S')),
         None),
        ('http GET over UDP', bytes(eth / IP(src=c4, dst=s4) / UDP(dport=80) / Raw(b'GET / ')),
         None),
        ('http GET in a later fragment', bytes(eth / IP(src=c4, dst=s4, frag=2, proto=6) /
                                               Raw(b'GET / HTTP/1.1')), None),
        ('http tcp doff 4', bytes(eth / IP(src=c4, dst=s4) / TCP(dport=80, dataofs=4) /
                                  Raw(b'GET / ')), None),
        ('http tcp cut off', bytes(eth / IP(src=c4, dst=s4) / TCP(dport=80))[:40], None),
        ('http arp', bytes(eth / ARP()), None),
    ]
    return out


def http_oracle_runs(_ifindex):
    return [('requests', [], [(n, f, XDP_PASS) for n, f, _ in http_frames()])]


# --- lb (see xdp_progs/lb.c) ---
LB_VIP = '198.51.100.100'
LB_MODE_REWRITE, LB_MODE_ENCAP = 0, 1
LB_TARGETS = [('10.1.0.%d' % i, '02:00:00:00:0d:%02x' % i) for i in range(1, 5)]


def lb_entries(mode, proto, port, num_targets, encap_src='10.0.0.254'):
    cfg = (ipaddress.ip_address(LB_VIP).packed + struct.pack('!H', port) +
           bytes([proto, mode]) + struct.pack('<I', num_targets) +
           ipaddress.ip_address(encap_src).packed)
    out = [('lb_config', u32(0), cfg.hex())]
    for i, (addr, mac) in enumerate(LB_TARGETS):
        out.append(('lb_targets', u32(i),
                    (ipaddress.ip_address(addr).packed + mac_bytes(mac) + bytes(2)).hex()))
    return out


def lb_frames(proto, port):
    """(name, frame, to the service?) for a service of proto/port."""
    eth = Ether(src=MAC_A, dst=MAC_B)
    l4 = TCP if proto == IPPROTO_TCP else UDP
    other = UDP if proto == IPPROTO_TCP else TCP
    rows = []
    for i in range(16):   # clients spread over the backends
        rows.append(('client %d' % i, eth / IP(src='203.0.113.%d' % (i * 13 % 250 + 1),
                                               dst=LB_VIP) /
                     l4(sport=1024 + i * 977, dport=port) / Raw(b'c' * (i * 7)), True))
    rows += [
        ('client 0 again', rows[0][1], True),
        ('udp checksum 0' if proto == IPPROTO_UDP else 'tcp with options',
         eth / IP(src='203.0.113.9', dst=LB_VIP) /
         (UDP(sport=999, dport=port, chksum=0) if proto == IPPROTO_UDP else
          TCP(sport=999, dport=port, options=[('MSS', 1460)])), True),
        ('ip options', eth / IP(src='203.0.113.10', dst=LB_VIP, options=b'\x01\x01\x01\x00') /
         l4(sport=5, dport=port), True),
        ('other port', eth / IP(src='203.0.113.1', dst=LB_VIP) / l4(dport=port + 1), False),
        ('other protocol', eth / IP(src='203.0.113.1', dst=LB_VIP) / other(dport=port), False),
        ('icmp', eth / IP(src='203.0.113.1', dst=LB_VIP) / ICMP(), False),
        ('other address', eth / IP(src='203.0.113.1', dst='198.51.100.101') / l4(dport=port),
         False),
        ('first fragment', eth / IP(src='203.0.113.1', dst=LB_VIP, flags='MF') /
         l4(dport=port), False),
        ('ports cut off', bytes(eth / IP(src='203.0.113.1', dst=LB_VIP) / l4(dport=port))[:36],
         False),
        ('vlan', eth / Dot1Q(vlan=3) / IP(src='203.0.113.1', dst=LB_VIP) / l4(dport=port),
         False),
        ('v6', eth / IPv6() / l4(dport=port), False),
    ]
    return [('lb ' + n, bytes(f), v) for n, f, v in rows]


def lb_oracle_runs(_ifindex):
    runs = []
    for label, mode, proto, port, n in (
            ('rewrite tcp/80, 3 backends', LB_MODE_REWRITE, IPPROTO_TCP, 80, 3),
            ('rewrite udp/53, 4 backends', LB_MODE_REWRITE, IPPROTO_UDP, 53, 4),
            ('encap tcp/80, 4 backends', LB_MODE_ENCAP, IPPROTO_TCP, 80, 4),
            ('encap udp/53, 2 backends', LB_MODE_ENCAP, IPPROTO_UDP, 53, 2),
            ('no backends', LB_MODE_REWRITE, IPPROTO_TCP, 80, 0)):
        hit = XDP_TX if n else XDP_DROP
        runs.append((label, lb_entries(mode, proto, port, n),
                     [(nm, f, hit if v else XDP_PASS) for nm, f, v in lb_frames(proto, port)]))
    return runs


# program -> function(ifindex) -> [(label, entries, cases)]
ORACLE_RUNS = {
    'xdp_fw': fw_oracle_runs,
    'acl': acl_oracle_runs,
    'firewall': fwl_oracle_runs,
    'tx_iptunnel': tnl_oracle_runs,
    'httpdump': http_oracle_runs,
    'lb': lb_oracle_runs,
}


def map_update_args(entries):
    return [a for m, k, v in entries for a in ('--map-update', '%s:%s:%s' % (m, k, v))]


def map_update_devargs(entries):
    return ','.join('map_update=%s:%s:%s' % e for e in entries)
