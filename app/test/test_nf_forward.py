#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""The NFs of batch B end to end in Debian's stock dpdk-testpmd (rxonly),
six net_uxdp ports over net_pcap in one run:

  0 net_pcap0  sub-port of 1; TX queues: 0-1 app, 2 XDP (XDP_TX, redirects)
  1 net_uxdp0  xdp_fw.o: fw_egress[1] = 3, next hop rewrite + TTL decrement
  2 net_pcap2  sub-port of 3
  3 net_uxdp1  xdp_fw.o: fw_egress[3] = 4, next hop rewrite only
  4 net_pcap4  plain port; TX queue 1 (its last) takes redirects
  5 net_pcap5  sub-port of 6
  6 net_uxdp2  acl.o: rules by map_update= devargs, one more rule and the
               default action set with uxdp-ctl before traffic starts
  7 net_pcap7  sub-port of 8
  8 net_uxdp3  firewall.o: rules, VLANs, default deny by devargs, the
               tcp/23 deny rule with uxdp-ctl
  9 net_pcap9  sub-port of 10; its XDP TX queue (2) takes the tunnelled frames
 10 net_uxdp4  tx_iptunnel.o: VIPs by devargs, one with uxdp-ctl
 11 net_pcap11 sub-port of 12; XDP TX queue 2 takes the balanced frames
 12 net_uxdp5  lb.o: backends by devargs, the service (lb_config) with
               uxdp-ctl: rewrite mode, tcp/80, 3 backends

(ifindex = port id with dev= ports, README "The ifindex namespace".)
httpdump runs in a second testpmd on hugepages (a secondary process reads
its ring buffer: uxdp-ctl map events), one net_uxdp port over net_pcap.

Every frame's fate and bytes are checked against uxdp-run's predictions
for the same pcap and the same maps: the per-port verdict counters, the
frames in each output pcap (in order), the maps the programs count in
(fw_stats, acl_hits, acl_stats, fwl_drops, fwl_flows, tnl_stats,
lb_stats, http_methods, http_stats; read over telemetry and uxdp-ctl),
and the mbuf pool's in-use count back at its baseline. uxdp-run's
verdicts are checked against each NF's spec (nf_forward_cases.py) too.
"""

import json
import os
import struct
import subprocess

import nf_forward_cases as nf
import uxdp_testlib as t
from test_uxdp_ctl import Hugepages

CTL = os.path.join(t.BUILD, 'app', 'uxdp-ctl', 'uxdp-ctl')
VERDICTS = {'XDP_ABORTED': 'xdp_aborted', 'XDP_DROP': 'xdp_drop',
            'XDP_PASS': 'xdp_pass', 'XDP_TX': 'xdp_tx', 'XDP_REDIRECT': 'xdp_redirect'}

FW_PORTS = {
    # port: (egress, fw_next_hop flags, output file of the egress)
    1: (3, nf.FW_REWRITE_MACS | nf.FW_DEC_TTL, 'sub2_tx2.pcap'),
    3: (4, nf.FW_REWRITE_MACS, 'plain_tx1.pcap'),
}
ACL_PORT = 6
# Written by uxdp-ctl at run time rather than by devargs: the /32 deny
# inside an allowed /16, and the default action (BTF-typed JSON).
ACL_CTL_RULE = '10.1.2.3/32'
FWL_PORT = 8
FWL_CTL_RULE = ('fwl_rules', '06000017', '01000000')   # tcp/23 deny
TNL_PORT = 10
LB_PORT = 12
LB_SERVICE = (nf.LB_MODE_REWRITE, nf.IPPROTO_TCP, 80, 3)


def fw_entries(port):
    egress, flags, _ = FW_PORTS[port]
    return nf.fw_route(port, egress, flags)


def fw_devarg_entries(port):
    """Port 3's next hop is written by uxdp-ctl instead (BTF JSON)."""
    return [e for e in fw_entries(port) if port != 3 or e[0] != 'fw_next_hop']


def configure_fw_with_ctl(f, prefix):
    value = json.dumps({'dst_mac': list(nf.mac_bytes(nf.NEXT_HOP_MAC)),
                        'src_mac': list(nf.mac_bytes(nf.PORT_MAC)),
                        'flags': FW_PORTS[3][1]}, separators=(',', ':'))
    rc, _, err = uxdp_ctl(prefix, '--port', '3', 'map', 'update', 'fw_next_hop',
                          'key', 'hex', '03000000', 'value', value)
    f.check(rc == 0, 'uxdp-ctl map update fw_next_hop %s: rc %d %s' % (value, rc, err))
    rc, out, err = uxdp_ctl(prefix, '--port', '3', '--json', 'map', 'lookup',
                            'fw_next_hop', 'key', 'hex', '03000000')
    got = json.loads(out).get('value') if rc == 0 else err
    want = next(v for m, _, v in fw_entries(3) if m == 'fw_next_hop')
    f.equal(got, want, 'fw_next_hop of port 3 read back with uxdp-ctl map lookup')


def fw_frames(port):
    """The shared xdp_fw frames, each tagged with its port in the last
    source MAC byte so the two ports' streams are told apart."""
    out = []
    for _, frame, _ in nf.fw_frames():
        out.append(frame[:11] + bytes([port]) + frame[12:])
    return out


def acl_frames():
    return [f for _, f, _ in nf.acl_cases(nf.ACL_DENY, 0)]


def acl_entries():
    """Everything the acl port ends up with (devargs + uxdp-ctl)."""
    return nf.acl_entries(nf.ACL_DENY)


def acl_devarg_entries():
    ctl = nf.acl_rule(ACL_CTL_RULE, nf.ACL_DENY, 3)
    return [e for e in acl_entries() if e != ctl and e[0] != 'acl_config']


def fwl_devarg_entries():
    return [e for e in nf.fwl_entries() if e != FWL_CTL_RULE]


def configure_firewall_with_ctl(f, prefix):
    name, key, val = FWL_CTL_RULE
    rc, _, err = uxdp_ctl(prefix, '--port', str(FWL_PORT), 'map', 'update', name,
                          'key', 'hex', key, 'value', 'hex', val, 'noexist')
    f.check(rc == 0, 'uxdp-ctl map update %s: rc %d %s' % (name, rc, err))


def check_firewall_maps(f, prefix, maps):
    """fwl_drops and every fwl_flows entry, summed over the per-CPU slots,
    as uxdp-run counted them."""
    for e in maps['fwl_drops']:
        got = t.telemetry(prefix, '/uxdp/map_lookup,%d,fwl_drops,%s' % (FWL_PORT, e['key']))
        f.equal(per_cpu_total(got.get('values', [])), per_cpu_total(e['values']),
                'fwl_drops[%s]' % e['key'])
    want = {e['key']: per_cpu_total(e['values']) for e in maps['fwl_flows']}
    rc, out, err = uxdp_ctl(prefix, '--port', str(FWL_PORT), '--json', 'map', 'dump',
                            'fwl_flows')
    f.check(rc == 0, 'uxdp-ctl map dump fwl_flows: rc %d %s' % (rc, err))
    got = {}
    for e in (json.loads(out) if rc == 0 else []):
        got[e['key'].replace(' ', '')] = per_cpu_total(
            [v['value'].replace(' ', '') for v in e['values']])
    f.equal(got, want, 'fwl_flows (flow -> packets, bytes, drops)')
    return len(want)


def tnl_ctl_entry():
    return nf.tnl_entries()[2]      # the IPv6 VIP


def configure_tunnel_with_ctl(f, prefix):
    name, key, val = tnl_ctl_entry()
    rc, _, err = uxdp_ctl(prefix, '--port', str(TNL_PORT), 'map', 'update', name,
                          'key', 'hex', key, 'value', 'hex', val)
    f.check(rc == 0, 'uxdp-ctl map update %s: rc %d %s' % (name, rc, err))


def check_per_cpu_array(f, prefix, port, name, maps):
    for e in maps[name]:
        got = t.telemetry(prefix, '/uxdp/map_lookup,%d,%s,%s' % (port, name, e['key']))
        f.equal(per_cpu_total(got.get('values', [])), per_cpu_total(e['values']),
                'port %d %s[%s]' % (port, name, e['key']))


def run_httpdump(f, work, plugin):
    """httpdump: every frame passes; the events read with uxdp-ctl map
    events are the spec's, in order; http_methods and http_stats are
    uxdp-run's."""
    frames = nf.http_frames()
    pin = os.path.join(work, 'http_in.pcap')
    t.write_pcap(pin, [fr for _, fr, _ in frames])
    obj = t.prog_obj('httpdump')
    lines, maps = predict(obj, 1, [], pin)
    want_events = [ev.hex() for _, _, ev in frames if ev is not None]
    prefix = 'uxdp_nf_http_%d' % os.getpid()
    vdevs = ['net_pcap0,rx_pcap=%s,%s' % (pin, ','.join(
        'tx_pcap=' + os.path.join(work, 'http_tx%d.pcap' % q) for q in range(3))),
        'net_uxdp0,dev=net_pcap0,prog=' + obj]
    hp = Hugepages('uxdp_nf_http')
    eal = t.eal_args(prefix, plugin, vdevs)
    if hp.reason is None:
        i = eal.index('--no-huge')
        eal[i:i + 3] = ['--huge-dir', hp.dir, '-m', '256']
    else:
        print('SKIP (httpdump events through uxdp-ctl map events): %s' % hp.reason,
              flush=True)
    try:
        pmd = t.Testpmd(eal, ['--rxq=1', '--txq=2'])
        if not f.check(pmd.ready, 'httpdump testpmd did not start:\n%s' % pmd.output()):
            pmd.quit()
            return
        base = t.mbufs_in_use(pmd)
        pmd.cmd('set fwd rxonly')
        pmd.cmd('start')
        t.wait_for(lambda: t.xstats(prefix, 1)['xdp_pass'] >= len(frames), timeout=20)
        pmd.cmd('stop')
        x = t.xstats(prefix, 1)
        f.equal({k: x[k] for k in VERDICTS.values()}, counters_of(lines),
                'httpdump verdict counters (all pass)')
        for name in ('http_methods', 'http_stats'):
            for e in maps[name]:
                got = t.telemetry(prefix, '/uxdp/map_lookup,1,%s,%s' % (name, e['key']))
                f.equal(got.get('value'), e['value'], '%s[%s]' % (name, e['key']))
        if hp.reason is None:
            rc, out, err = uxdp_ctl(prefix, 'map', 'events', 'http_events', '--count',
                                    str(len(want_events)), '--timeout-ms', '5000')
            recs = [json.loads(l) for l in out.splitlines() if l.startswith('{')]
            f.check(rc == 0 and [r['data'] for r in recs] == want_events and
                    all(r['size'] == 104 for r in recs),
                    'uxdp-ctl map events http_events: %d records, want %d (%s)' %
                    (len(recs), len(want_events), err.strip()))
            rc, out, _ = uxdp_ctl(prefix, 'map', 'events', 'http_events', '--timeout-ms', '300')
            f.equal([l for l in out.splitlines() if l.startswith('{')], [],
                    'no more events after the %d requests' % len(want_events))
            print('httpdump: %d frames, %d requests read back as events' %
                  (len(frames), len(recs)))
        f.equal(t.mbufs_in_use(pmd), base, 'httpdump: mbufs back to the baseline')
        f.equal(pmd.quit(), 0, 'httpdump testpmd exit code')
    finally:
        hp.close()


def configure_lb_with_ctl(f, prefix):
    name, key, val = nf.lb_entries(*LB_SERVICE)[0]
    rc, _, err = uxdp_ctl(prefix, '--port', str(LB_PORT), 'map', 'update', name,
                          'key', 'hex', key, 'value', 'hex', val)
    f.check(rc == 0, 'uxdp-ctl map update %s: rc %d %s' % (name, rc, err))


def predict(obj, port, entries, pcap):
    """uxdp-run's results for a port: packet lines and the final maps."""
    args = ['--ifindex', str(port), '--dump-maps'] + nf.map_update_args(entries)
    rc, lines, err = t.uxdp_run(obj, pcap, args)
    if rc != 0 or not lines or 'maps' not in lines[-1]:
        raise RuntimeError('uxdp-run %s: rc %d %s' % (obj, rc, err))
    return lines[:-1], lines[-1]['maps']


def counters_of(lines):
    c = dict.fromkeys(VERDICTS.values(), 0)
    for d in lines:
        c[VERDICTS[d['action']]] += 1
    return c


def u64s(hexstr):
    b = bytes.fromhex(hexstr)
    return list(struct.unpack('<%dQ' % (len(b) // 8), b))


def per_cpu_total(values):
    """Field-wise sum of the u64 fields of per-CPU values (hex strings)."""
    total = None
    for v in values:
        f = u64s(v)
        total = f if total is None else [a + b for a, b in zip(total, f)]
    return total


def uxdp_ctl(prefix, *args):
    out = subprocess.run(['/usr/bin/python3', CTL, '-f', prefix] + list(args),
                         capture_output=True, text=True, timeout=60)
    return out.returncode, out.stdout, out.stderr


def configure_acl_with_ctl(f, prefix):
    """The documented operator commands (doc/nf/acl.md)."""
    name, key, val = nf.acl_rule(ACL_CTL_RULE, nf.ACL_DENY, 3)
    rc, _, err = uxdp_ctl(prefix, '--port', str(ACL_PORT), 'map', 'update', name,
                          'key', 'hex', key, 'value', 'hex', val)
    f.check(rc == 0, 'uxdp-ctl map update %s: rc %d %s' % (name, rc, err))
    rc, _, err = uxdp_ctl(prefix, '--port', str(ACL_PORT), 'map', 'update', 'acl_config',
                          'key', '0', '0', '0', '0', 'value',
                          '{"default_action":"ACL_DENY","match_dst":0}')
    f.check(rc == 0, 'uxdp-ctl map update acl_config (BTF JSON): rc %d %s' % (rc, err))
    rc, out, err = uxdp_ctl(prefix, '--port', str(ACL_PORT), '--json', 'map', 'lookup',
                            'acl_config', 'key', 'hex', '00000000')
    got = json.loads(out) if rc == 0 else {}
    f.equal(got.get('value'), nf.acl_config(nf.ACL_DENY)[2],
            'acl_config read back with uxdp-ctl map lookup')


def check_fw_stats(f, prefix, port, maps):
    """fw_stats[port] summed over the port's per-CPU slots equals what
    uxdp-run counted."""
    want = None
    for e in maps['fw_stats']:
        if e['key'] == struct.pack('<I', port).hex():
            want = per_cpu_total(e['values'])
    got = t.telemetry(prefix, '/uxdp/map_lookup,%d,fw_stats,%s' %
                      (port, struct.pack('<I', port).hex()))
    f.equal(per_cpu_total(got.get('values', [])), want,
            'port %d fw_stats (rx packets, rx bytes, forwarded, no route, ttl '
            'expired)' % port)
    return want


def check_acl_maps(f, prefix, maps):
    want_hits = {e['key']: e['value'] for e in maps['acl_hits'] if int(e['value'], 16)}
    rc, out, err = uxdp_ctl(prefix, '--port', str(ACL_PORT), '--json', 'map', 'dump',
                            'acl_hits')
    f.check(rc == 0, 'uxdp-ctl map dump acl_hits: rc %d %s' % (rc, err))
    dump = json.loads(out) if rc == 0 else []
    got_hits = {e['key'].replace(' ', ''): e['value'].replace(' ', '') for e in dump
                if int(e['value'].replace(' ', ''), 16)}
    f.equal(got_hits, want_hits, 'acl_hits (rule id -> frames) by uxdp-ctl map dump')
    for e in maps['acl_stats']:
        got = t.telemetry(prefix, '/uxdp/map_lookup,%d,acl_stats,%s' % (ACL_PORT, e['key']))
        f.equal(per_cpu_total(got.get('values', [])), per_cpu_total(e['values']),
                'acl_stats[%s]' % e['key'])
    return len(want_hits)


def main():
    f = t.Failures('nf_forward')
    work = t.private_dir('e2e-nf-forward')
    plugin = t.stage_plugin(work)
    fw_obj, acl_obj = t.prog_obj('xdp_fw'), t.prog_obj('acl')
    inputs = {1: 'fw_in0.pcap', 3: 'fw_in2.pcap', ACL_PORT: 'acl_in5.pcap'}
    for port in FW_PORTS:
        t.write_pcap(os.path.join(work, inputs[port]), fw_frames(port))
    t.write_pcap(os.path.join(work, inputs[ACL_PORT]), acl_frames())
    fwl_obj = t.prog_obj('firewall')
    inputs[FWL_PORT] = 'fwl_in7.pcap'
    t.write_pcap(os.path.join(work, inputs[FWL_PORT]), [c[1] for c in nf.fwl_cases()])
    t.write_pcap(os.path.join(work, 'empty.pcap'), [])

    predictions = {}
    for port in FW_PORTS:
        predictions[port] = predict(fw_obj, port, fw_entries(port),
                                    os.path.join(work, inputs[port]))
    predictions[ACL_PORT] = predict(acl_obj, ACL_PORT, acl_entries(),
                                    os.path.join(work, inputs[ACL_PORT]))
    inputs[TNL_PORT] = 'tnl_in9.pcap'
    t.write_pcap(os.path.join(work, inputs[TNL_PORT]), [c[1] for c in nf.tnl_cases()])
    predictions[TNL_PORT] = predict(t.prog_obj('tx_iptunnel'), TNL_PORT, nf.tnl_entries(),
                                    os.path.join(work, inputs[TNL_PORT]))
    inputs[LB_PORT] = 'lb_in11.pcap'
    lb_cases = nf.lb_frames(LB_SERVICE[1], LB_SERVICE[2])
    t.write_pcap(os.path.join(work, inputs[LB_PORT]), [c[1] for c in lb_cases])
    predictions[LB_PORT] = predict(t.prog_obj('lb'), LB_PORT, nf.lb_entries(*LB_SERVICE),
                                   os.path.join(work, inputs[LB_PORT]))
    predictions[FWL_PORT] = predict(fwl_obj, FWL_PORT, nf.fwl_entries(),
                                    os.path.join(work, inputs[FWL_PORT]))
    # the predictions follow the NFs' spec (the oracle test holds the
    # kernel to the same spec)
    spec = {p: [nf.XDP_REDIRECT if routed or not (FW_PORTS[p][1] & nf.FW_DEC_TTL)
                else nf.XDP_PASS for _, _, routed in nf.fw_frames()] for p in FW_PORTS}
    spec[ACL_PORT] = [w for _, _, w in nf.acl_cases(nf.ACL_DENY, 0)]
    spec[FWL_PORT] = [w for _, _, w, _ in nf.fwl_cases()]
    spec[TNL_PORT] = [w for _, _, w in nf.tnl_cases()]
    spec[LB_PORT] = [nf.XDP_TX if v else nf.XDP_PASS for _, _, v in lb_cases]
    for p, want_actions in spec.items():
        f.equal([d['action'] for d in predictions[p][0]],
                [nf.ACTION_NAMES[a] for a in want_actions],
                'port %d: uxdp-run follows the spec' % p)

    def pcap(n, rx, ntx, txname):
        return ','.join(['net_pcap%d' % n, 'rx_pcap=' + os.path.join(work, rx)] +
                        ['tx_pcap=' + os.path.join(work, '%s_tx%d.pcap' % (txname, q))
                         for q in range(ntx)])
    vdevs = [pcap(0, inputs[1], 3, 'sub0'),
             'net_uxdp0,dev=net_pcap0,prog=%s,%s' % (fw_obj,
                                                     nf.map_update_devargs(fw_devarg_entries(1))),
             pcap(2, inputs[3], 3, 'sub2'),
             'net_uxdp1,dev=net_pcap2,prog=%s,%s' % (fw_obj,
                                                     nf.map_update_devargs(fw_devarg_entries(3))),
             pcap(4, 'empty.pcap', 2, 'plain'),
             pcap(5, inputs[ACL_PORT], 3, 'sub5'),
             'net_uxdp2,dev=net_pcap5,prog=%s,%s' % (
                 acl_obj, nf.map_update_devargs(acl_devarg_entries())),
             pcap(7, inputs[FWL_PORT], 3, 'sub7'),
             'net_uxdp3,dev=net_pcap7,prog=%s,%s' % (
                 fwl_obj, nf.map_update_devargs(fwl_devarg_entries())),
             pcap(9, inputs[TNL_PORT], 3, 'sub9'),
             'net_uxdp4,dev=net_pcap9,prog=%s,%s' % (
                 t.prog_obj('tx_iptunnel'), nf.map_update_devargs(
                     [e for e in nf.tnl_entries() if e != tnl_ctl_entry()])),
             pcap(11, inputs[LB_PORT], 3, 'sub11'),
             'net_uxdp5,dev=net_pcap11,prog=%s,%s' % (
                 t.prog_obj('lb'), nf.map_update_devargs(nf.lb_entries(*LB_SERVICE)[1:]))]
    prefix = 'uxdp_nf_forward_%d' % os.getpid()
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs), ['--rxq=1', '--txq=2'])
    if not f.check(pmd.ready, 'testpmd did not start:\n%s' % pmd.output()):
        pmd.quit()
        f.finish()
    f.equal(t.telemetry(prefix, '/ethdev/list'), [1, 3, 4, 6, 8, 10, 12], 'ports the app sees')
    configure_fw_with_ctl(f, prefix)
    configure_acl_with_ctl(f, prefix)
    configure_firewall_with_ctl(f, prefix)
    configure_tunnel_with_ctl(f, prefix)
    configure_lb_with_ctl(f, prefix)
    base = t.mbufs_in_use(pmd)
    f.check(base is not None, 'dump_mempool shows the pool')
    pmd.cmd('set fwd rxonly')
    pmd.cmd('start')
    want = {p: counters_of(lines) for p, (lines, _) in predictions.items()}

    def done():
        return all(sum(t.xstats(prefix, p)[k] for k in VERDICTS.values()) +
                   t.xstats(prefix, p)['xdp_redirect_errors'] >= sum(want[p].values())
                   for p in want)
    t.wait_for(done, timeout=20)
    pmd.cmd('stop')
    for p in want:
        x = t.xstats(prefix, p)
        f.equal({k: x[k] for k in want[p]}, want[p], 'port %d verdict counters' % p)
        f.equal(x['xdp_redirect_errors'], 0, 'port %d xdp_redirect_errors' % p)
        f.equal(x['xdp_tx_errors'], 0, 'port %d xdp_tx_errors' % p)
        f.equal(x.get('sub_rx_good_packets'), len(predictions[p][0]),
                'port %d frames received' % p)
    fw_totals = {p: check_fw_stats(f, prefix, p, predictions[p][1]) for p in FW_PORTS}
    rules_hit = check_acl_maps(f, prefix, predictions[ACL_PORT][1])
    flows = check_firewall_maps(f, prefix, predictions[FWL_PORT][1])
    check_per_cpu_array(f, prefix, TNL_PORT, 'tnl_stats', predictions[TNL_PORT][1])
    check_per_cpu_array(f, prefix, LB_PORT, 'lb_stats', predictions[LB_PORT][1])
    f.equal(t.mbufs_in_use(pmd), base, 'mbufs in use back to the baseline (%s)' % base)
    # doc/nf/xdp_fw.md: removing a port's route (its frames then pass)
    rc, _, err = uxdp_ctl(prefix, '--port', '1', 'map', 'delete', 'fw_egress',
                          'key', 'hex', '01000000')
    f.check(rc == 0, 'uxdp-ctl map delete fw_egress: rc %d %s' % (rc, err))
    rc, _, err = uxdp_ctl(prefix, '--port', '1', 'map', 'lookup', 'fw_egress',
                          'key', 'hex', '01000000')
    f.check(rc == 1 and 'ENOENT' in err, 'fw_egress[1] after the delete: rc %d %s' % (rc, err))
    rc = pmd.quit()
    f.equal(rc, 0, 'testpmd exit code')

    for port, (_, _, out_file) in FW_PORTS.items():
        lines = predictions[port][0]
        want_out = [bytes.fromhex(d['data']) for d in lines if d['action'] == 'XDP_REDIRECT']
        got = t.read_pcap(os.path.join(work, out_file))
        f.check(got == want_out, 'frames forwarded by port %d into %s: %d, want %d '
                '(in order, bytes as uxdp-run predicted)' %
                (port, out_file, len(got), len(want_out)))
        # the forwarded frames really changed: next hop MACs
        f.check(all(g[:12] == nf.mac_bytes(nf.NEXT_HOP_MAC) + nf.mac_bytes(nf.PORT_MAC)
                    for g in got), 'port %d: forwarded frames carry the next hop MACs' % port)
    tunnelled = [bytes.fromhex(d['data']) for d in predictions[TNL_PORT][0]
                 if d['action'] == 'XDP_TX']
    got = t.read_pcap(os.path.join(work, 'sub9_tx2.pcap'))
    f.check(got == tunnelled, 'tunnelled frames out of port %d (sub9_tx2.pcap): %d, '
            'want %d (in order, bytes as uxdp-run predicted)' %
            (TNL_PORT, len(got), len(tunnelled)))
    balanced = [bytes.fromhex(d['data']) for d in predictions[LB_PORT][0]
                if d['action'] == 'XDP_TX']
    got = t.read_pcap(os.path.join(work, 'sub11_tx2.pcap'))
    f.check(got == balanced, 'balanced frames out of port %d (sub11_tx2.pcap): %d, '
            'want %d (in order, bytes as uxdp-run predicted)' %
            (LB_PORT, len(got), len(balanced)))
    # Nothing may leave through queues the application owns, nor through
    # the acl port's sub-port (it neither forwards nor transmits).
    for name in ('sub0_tx0', 'sub0_tx1', 'sub0_tx2', 'sub2_tx0', 'sub2_tx1', 'plain_tx0',
                 'sub5_tx0', 'sub5_tx1', 'sub5_tx2', 'sub7_tx0', 'sub7_tx1', 'sub7_tx2',
                 'sub9_tx0', 'sub9_tx1', 'sub11_tx0', 'sub11_tx1'):
        f.equal(len(t.read_pcap(os.path.join(work, name + '.pcap'))), 0,
                '%s.pcap stays empty' % name)
    print('xdp_fw: %s; fw_stats %s' % (want[1], fw_totals))
    print('xdp_fw: %s' % want[3])
    print('acl: %s, %d rules hit; %s mbufs in use before and after' %
          (want[ACL_PORT], rules_hit, base))
    print('firewall: %s, %d flows' % (want[FWL_PORT], flows))
    print('tx_iptunnel: %s, %d frames tunnelled' % (want[TNL_PORT], len(tunnelled)))
    print('lb: %s, %d frames to %d backends' % (
        want[LB_PORT], len(balanced), len({b[30:34] for b in balanced})))
    run_httpdump(f, work, plugin)
    f.finish()


if __name__ == '__main__':
    main()
