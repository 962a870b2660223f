#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Bad devargs and bad programs: each net_uxdp probe must fail with a log
line naming the problem, testpmd must go on without the port (the sub-port
left visible and usable), and nothing may crash.

All cases are probed in one testpmd run (one vdev each) to keep it fast; a
crash in any of them fails the run."""

import os
import sys

import uxdp_testlib as t


def cases(work):
    good = t.prog_obj('xdp_pass')
    demo = t.prog_obj('demo_nf')
    redir = t.prog_obj('redirect_map')
    devmap_obj = os.path.join(t.BUILD, 'lib', 'uxdp_bpf', 'tests',
                              'test_devmap_prog.o')
    text = os.path.join(work, 'not_elf.o')
    with open(text, 'w') as fh:
        fh.write('this is not an ELF object\n')
    trunc = os.path.join(work, 'truncated.o')
    with open(good, 'rb') as src, open(trunc, 'wb') as dst:
        dst.write(src.read()[:100])
    sub = 'dev=net_pcap0'
    return [
        # (devargs after the vdev name, expected log text)
        ('', 'no devargs'),
        ('%s,prog=%s,bogus=1' % (sub, good), 'cannot parse devargs'),
        ('prog=%s' % good, 'exactly one of dev='),
        ('%s,iface=lo,prog=%s' % (sub, good), 'exactly one of dev='),
        (sub, 'prog=<BPF object file> is required'),
        ('%s,prog=%s/missing.o' % (sub, work), 'missing.o'),
        ('%s,prog=%s' % (sub, text), 'not_elf.o'),
        ('%s,prog=%s' % (sub, trunc), 'truncated.o'),
        ('dev=net_nothere,prog=%s' % good, 'dev=net_nothere: no such DPDK port'),
        ('iface=uxdp_nosuch0,prog=%s' % good, 'iface=uxdp_nosuch0: no such Linux network interface'),
        ('%s,prog=%s,mode=fast' % (sub, good), 'mode=fast: expected jit or interp'),
        ('%s,prog=%s,verify=yes' % (sub, good), 'verify=yes: expected auto, kernel, sandbox or none'),
        ('%s,prog=%s,verify=' % (sub, good), 'verify=: expected auto, kernel, sandbox or none'),
        ('%s,prog=%s,verify=none,verify=kernel' % (sub, good), 'verify= given more than once'),
        ('%s,prog=%s,name=nosuchprog' % (sub, good), 'no XDP program named nosuchprog'),
        ('%s,prog=%s,sec=tc' % (sub, good), 'no XDP program in section tc'),
        # a devmap program runs only from devmap entries, never as a port's
        ('%s,prog=%s,name=stamp' % (sub, devmap_obj), 'devmap programs run only from devmap entries'),
        ('%s,%s,prog=%s' % (sub, sub, good), 'dev= given more than once'),
        ('%s,prog=%s,queue_count=2' % (sub, good), 'apply to iface= only'),
        ('%s,prog=%s,ifindex=-3' % (sub, good), 'ifindex=-3: expected an integer'),
        # const=NAME:VALUE: syntax at parse time, name and value at load
        ('%s,prog=%s,const=drop_udp_dport' % (sub, demo), 'const=drop_udp_dport: \'drop_udp_dport\': expected NAME:VALUE'),
        ('%s,prog=%s,const=drop_udp_dport:5x' % (sub, demo), 'value \'5x\' is neither an integer'),
        ('%s,prog=%s,const=no_such_var:1' % (sub, demo), "no .rodata variable named 'no_such_var'; have: drop_udp_dport"),
        ('%s,prog=%s,const=drop_udp_dport:70000' % (sub, demo), "'drop_udp_dport': value 70000 does not fit a 2-byte unsigned integer"),
        ('%s,prog=%s,const=drop_udp_dport:-1' % (sub, demo), "'drop_udp_dport': value -1 is negative"),
        ('%s,prog=%s,const=pkt_total:1' % (sub, demo), "'pkt_total' is in section '.bss', not in .rodata"),
        ('%s,prog=%s,const=drop_udp_dport:hex:01' % (sub, demo), "has 1 bytes, the variable has 2"),
        # map_update=MAP:KEYHEX:VALHEX: syntax at parse time, the map at load
        ('%s,prog=%s,map_update=tx_ports:01' % (sub, redir), 'want <map>:<key hex>:<value hex>'),
        ('%s,prog=%s,map_update=tx_ports:0g000000:01000000' % (sub, redir), 'want <map>:<key hex>:<value hex>'),
        ('%s,prog=%s,map_update=nope:00000000:01000000' % (sub, redir), 'has no map nope'),
        ('%s,prog=%s,map_update=tx_ports:00000000:0100' % (sub, redir), 'takes 4-byte keys and 4-byte values, not 4 and 2'),
        ('%s,prog=%s,map_update=tx_ports_hash:01000000:0300000005000000' % (sub, redir), 'the id of a devmap program'),
        # a fourth field names a devmap program of the same object
        ('%s,prog=%s,map_update=tx_ports_hash:01000000:0300000000000000:nope' % (sub, redir), 'has no program nope'),
        ('%s,prog=%s,map_update=tx_ports_hash:01000000:0300000000000000:redirect_map' % (sub, redir), 'is not a devmap program'),
        ('%s,prog=%s,map_update=tx_ports:01000000:03000000:redirect_map' % (sub, redir), 'needs a devmap with 8-byte values'),
        ('%s,prog=%s,map_update=tx_ports:01000000:03000000:' % (sub, redir), 'want <map>:<key hex>:<value hex>'),
    ]


def main():
    f = t.Failures('bad_devargs')
    work = t.private_dir('bad')
    plugin = t.stage_plugin(work)
    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])
    cs = cases(work)
    vdevs = ['net_pcap0,rx_pcap=%s,tx_pcap=%s' % (empty, os.path.join(work, 'o.pcap'))]
    for i, (args, _) in enumerate(cs):
        vdevs.append('net_uxdp%d%s' % (i, ',' + args if args else ''))
    prefix = 'uxdp_bad_%d' % os.getpid()
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs))
    out = pmd.output()
    if f.check(pmd.ready, 'testpmd did not reach its prompt:\n' + out):
        f.equal(t.telemetry(prefix, '/uxdp/list')['port'], [], 'no net_uxdp port exists')
        f.equal(t.telemetry(prefix, '/ethdev/list'), [0],
                'the pcap port is left visible (not owned)')
        f.check('Number of available ports: 1' in pmd.cmd('show port summary all'),
                'testpmd sees the pcap port')
    rc = pmd.quit()
    out = pmd.output()
    f.check(rc >= 0, 'testpmd killed by signal %d' % -rc)
    for i, (args, want) in enumerate(cs):
        name = 'net_uxdp%d' % i
        lines = [l for l in out.splitlines() if name + ':' in l or name + ' ' in l]
        f.check(any(want in l for l in lines),
                '%s,%s: no log line with %r; its lines:\n  %s'
                % (name, args, want, '\n  '.join(lines)))
        f.check(any('probe failed' in l or 'cannot parse' in l or 'no devargs' in l
                    for l in lines), '%s: probe failure reported' % name)
    f.finish()


if __name__ == '__main__':
    sys.exit(main())
