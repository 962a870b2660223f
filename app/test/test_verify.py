#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Verification modes end to end (doc/safety.md):

- uxdp-run: the default (auto) is the kernel verifier here (root); a
  program the kernel refuses is refused under auto and kernel, with the
  verifier's reason on the error line and its log on stderr, and runs
  under none; --list shows each program's mode; a `volatile const`
  setting reaches the kernel's .rodata; bad --verify values are usage
  errors; every object of xdp_progs/ at every ISA level passes the
  kernel through uxdp's path.
- Without the bpf() syscall (a user namespace: root there, but no
  capability over the kernel's BPF), auto resolves to sandbox and an
  explicit kernel fails naming why.
- net_uxdp in testpmd: /uxdp/info shows the mode of each port (auto ->
  kernel, none, sandbox), a refused program fails the probe with the
  reason and the log tail in the PMD log, and prog_swap judges the new
  program under the port's own mode; on a verify=sandbox port, frames a
  read would overrun end as XDP_ABORTED and count in xdp_sandbox_faults."""

import json
import os
import subprocess
import sys

import uxdp_testlib as t

VERIFY_DIR = os.path.join(t.BUILD, 'lib', 'uxdp_bpf', 'tests', 'verify')
# Ethernet + IPv4 + UDP, 60 bytes.
PKT = ('020000000002' '020000000001' '0800'
       '4500002e000100004011f96cc0a80001c0a80002'
       '04d2162e001a0000' + '00' * 18)
REFUSED = "the kernel verifier refused program 'verify_prog': insn "


def vobj(kind):
    return os.path.join(VERIFY_DIR, 'test_verify_%s.o' % kind)


def run(args, pre=()):
    p = subprocess.run(list(pre) + [t.uxdp_run_bin()] + list(args),
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def modes_listed(f, out, what):
    try:
        return [p['verify'] for p in json.loads(out)['programs']]
    except (ValueError, KeyError) as e:
        f.check(False, '%s: --list output unreadable (%s): %r' % (what, e, out))
        return None


def check_uxdp_run(f):
    rc, out, err = run(['--list', vobj('ok')])
    f.equal(modes_listed(f, out, 'default'), ['kernel'],
            'uxdp-run default verify of a good program')
    for mode, want in (('none', 'none'), ('sandbox', 'sandbox'),
                       ('kernel', 'kernel'), ('auto', 'kernel')):
        rc, out, err = run(['--verify', mode, '--list', vobj('ok')])
        f.equal(modes_listed(f, out, mode), [want], '--verify %s --list' % mode)

    for kind, reason in (('pkt', 'invalid access to packet'),
                         ('lookup', "invalid mem access 'map_value_or_null'")):
        for mode in (None, 'auto', 'kernel'):
            args = ([] if mode is None else ['--verify', mode]) + \
                [vobj(kind), '--pkt', PKT]
            rc, out, err = run(args)
            what = '%s under %s' % (kind, mode or 'the default')
            f.equal(rc, 1, what + ': exit status')
            f.equal(out, '', what + ': no packet ran')
            last = err.strip().splitlines()[-1] if err.strip() else ''
            f.check(REFUSED in last and reason in last,
                    '%s: error line lacks the reason: %r' % (what, last))
            f.check("-- kernel verifier log of program 'verify_prog' --" in err
                    and 'processed ' in err,
                    '%s: no verifier log on stderr:\n%s' % (what, err))
        rc, out, err = run(['--verify', 'none', vobj(kind), '--pkt', PKT])
        f.equal(rc, 0, '%s under none: exit status (%s)' % (kind, err.strip()))
        f.check('"action": "XDP_PASS"' in out, '%s under none runs: %r' % (kind, out))

    # The fixed program runs the same under the kernel's judgement.
    rc, out, err = run([vobj('ok'), '--pkt', PKT])
    rc2, out2, _ = run(['--verify', 'none', vobj('ok'), '--pkt', PKT])
    f.check(rc == 0 and rc2 == 0 and out == out2 and 'XDP_PASS' in out,
            'ok under auto and none: %r / %r (%s)' % (out, out2, err.strip()))
    # The kernel judges the .rodata uxdp runs with.
    rc, out, err = run(['--set', 'read_far=1', '--list', vobj('ok')])
    f.check(rc == 1 and REFUSED in err and 'off=100' in err,
            'read_far=1 refused: rc %d %s' % (rc, err.strip()[-300:]))
    rc, out, err = run(['--set', 'read_far=0', '--list', vobj('ok')])
    f.equal(rc, 0, 'read_far=0 accepted (%s)' % err.strip())
    # The own analysis reads the settings the same way: the far read is
    # dead code with 0 and an unchecked packet access with 1.
    for val, want in (('0', 0), ('1', 1)):
        rc, out, err = run(['--verify', 'sandbox', '--set', 'read_far=' + val,
                            '--list', vobj('ok')])
        f.check(rc == want and (want == 0 or 'offset 100' in err),
                'sandbox with read_far=%s: rc %d %s' % (val, rc, err.strip()[-300:]))
    # Every program of the object is judged.
    rc, out, err = run(['--prog', 'verify_prog', vobj('second'), '--pkt', PKT])
    f.check(rc == 1 and "refused program 'second'" in err,
            'a bad second program refuses the object: %s' % err.strip()[-300:])
    for bad in ('yes', 'KERNEL', ''):
        rc, out, err = run(['--verify', bad, '--list', vobj('ok')])
        f.check(rc == 2 and 'expected auto, kernel, sandbox or none' in err,
                '--verify %r: rc %d %s' % (bad, rc, err.strip()))


def check_all_progs(f):
    """The kernel takes every example NF, at every ISA level, by uxdp's
    path (libbpf over the same bytes, every XDP program of the object)."""
    d = os.path.join(t.BUILD, 'xdp_progs')
    objs = sorted(n for n in os.listdir(d) if n.endswith('.o'))
    f.check(len(objs) >= 60, 'xdp_progs objects found: %d' % len(objs))
    for name in objs:
        rc, out, err = run(['--verify', 'kernel', '--list', os.path.join(d, name)])
        modes = modes_listed(f, out, name) if rc == 0 else None
        f.check(rc == 0 and modes and all(m == 'kernel' for m in modes),
                '%s under kernel: rc %d %s' % (name, rc, err.strip()[-300:]))
    print('%d xdp_progs objects pass verify=kernel' % len(objs))


def check_no_bpf(f):
    pre = ['unshare', '--user', '--map-root-user']
    probe = subprocess.run(pre + ['true'], capture_output=True, text=True)
    if probe.returncode != 0:
        # Printed, not silent: the rest of the test still runs.
        print('SKIP part: no user namespace to take bpf() away (%s)'
              % probe.stderr.strip())
        return
    rc, out, err = run(['--list', vobj('ok')], pre)
    f.equal(modes_listed(f, out, 'auto without bpf()'), ['sandbox'],
            'auto without bpf() resolves to sandbox (%s)' % err.strip())
    rc, out, err = run(['--verify', 'kernel', '--list', vobj('ok')], pre)
    f.check(rc == 1 and 'verify=kernel: the kernel cannot load XDP programs' in err,
            'kernel without bpf(): rc %d %s' % (rc, err.strip()))


def info_by_sub(prefix):
    ports = t.telemetry(prefix, '/uxdp/list')
    return {sub: t.telemetry(prefix, '/uxdp/info,%d' % port)
            for port, sub in zip(ports['port'], ports['sub_device'])}


def check_testpmd(f):
    work = t.private_dir('verify')
    plugin = t.stage_plugin(work)
    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])
    vdevs = []
    ports = [('', vobj('ok')), ('verify=none', vobj('ok')),
             ('verify=sandbox', vobj('ok')), ('verify=kernel', vobj('ok')),
             ('', vobj('pkt'))]
    for i, (extra, obj) in enumerate(ports):
        vdevs.append('net_pcap%d,rx_pcap=%s,tx_pcap=%s'
                     % (i, empty, os.path.join(work, 'o%d.pcap' % i)))
        vdevs.append('net_uxdp%d,dev=net_pcap%d,prog=%s%s'
                     % (i, i, obj, ',' + extra if extra else ''))
    prefix = 'uxdp_verify_%d' % os.getpid()
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs))
    if f.check(pmd.ready, 'testpmd prompt:\n' + pmd.output()):
        info = info_by_sub(prefix)
        for i, want in enumerate(('kernel', 'none', 'sandbox', 'kernel')):
            got = info.get('net_pcap%d' % i, {}).get('verify')
            f.equal(got, want, '/uxdp/info verify of net_uxdp%d' % i)
        f.check('net_pcap4' not in info, 'the refused program has no port')
        by_sub = {s: p for p, s in zip(*[t.telemetry(prefix, '/uxdp/list')[k]
                                         for k in ('port', 'sub_device')])}
        # A swap is judged under the port's mode.
        swap = '/uxdp/prog_swap,%d,%s' % (by_sub.get('net_pcap0', -1), vobj('lookup'))
        r = t.telemetry(prefix, swap)
        # Telemetry strings stop at 127 characters: the whole message
        # comes in error_full.
        full = ''.join(r.get('error_full', [r.get('error', '')]))
        f.check(REFUSED in full and 'map_value_or_null' in full,
                'swap to a refused program on an auto port: %r' % r)
        swap = '/uxdp/prog_swap,%d,%s' % (by_sub.get('net_pcap1', -1), vobj('lookup'))
        r = t.telemetry(prefix, swap)
        f.check(r.get('verify') == 'none' and 'error' not in r,
                'swap on a verify=none port: %r' % r)
        swap = '/uxdp/prog_swap,%d,%s' % (by_sub.get('net_pcap0', -1),
                                          t.prog_obj('demo_nf'))
        r = t.telemetry(prefix, swap)
        f.check(r.get('verify') == 'kernel' and r.get('program') == 'demo_nf',
                'swap to a good program on an auto port: %r' % r)
    rc = pmd.quit()
    out = pmd.output()
    f.check(rc >= 0, 'testpmd killed by signal %d' % -rc)
    lines = [l for l in out.splitlines() if 'net_uxdp4' in l]
    f.check(any(REFUSED in l and 'invalid access to packet' in l for l in lines),
            'net_uxdp4: no refusal line; its lines:\n  ' + '\n  '.join(lines))
    f.check("-- kernel verifier log of program 'verify_prog' --" in out,
            'the verifier log tail is in the PMD log')


def check_sandbox_port(f):
    """verify=sandbox on a port: a read the analysis cannot judge is
    checked per frame; the frames it would overrun end as XDP_ABORTED and
    are counted in xdp_sandbox_faults, the others pass, no mbuf is lost."""
    work = t.private_dir('verify_sandbox')
    plugin = t.stage_plugin(work)
    rx = os.path.join(work, 'rx.pcap')
    # The first byte b makes the program read byte 14 + 8 * b of the
    # 60-byte frame: inside for b <= 5, past data_end from 6 on.
    inside, outside = (0, 1, 2, 3, 4, 5), (6, 16, 0x7f)
    frames = [bytes([b]) + bytes.fromhex(PKT)[1:] for b in inside + outside]
    t.write_pcap(rx, frames)
    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])
    vdevs = ['net_pcap0,rx_pcap=%s,tx_pcap=%s' % (rx, os.path.join(work, 'tx0.pcap')),
             'net_uxdp0,dev=net_pcap0,verify=sandbox,prog=' + vobj('wild'),
             'net_pcap1,rx_pcap=%s,tx_pcap=%s' % (empty, os.path.join(work, 'tx1.pcap'))]
    prefix = 'uxdp_verify_sb_%d' % os.getpid()
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs))
    if not f.check(pmd.ready, 'sandbox port: testpmd prompt:\n' + pmd.output()):
        pmd.quit()
        return
    port = t.telemetry(prefix, '/uxdp/list')['port'][0]
    pmd.cmd('set fwd io')
    in_use = t.mbufs_in_use(pmd)
    pmd.cmd('start')
    xs = t.wait_for(lambda: (lambda x: x if x['xdp_pass'] + x['xdp_aborted'] >= len(frames)
                             else None)(t.xstats(prefix, port)), timeout=20)
    pmd.cmd('stop')
    if f.check(xs is not None, 'sandbox port: every frame judged: %r' % t.xstats(prefix, port)):
        f.equal((xs['xdp_pass'], xs['xdp_aborted'], xs['xdp_sandbox_faults']),
                (len(inside), len(outside), len(outside)),
                'sandbox port: (pass, aborted, sandbox faults)')
    f.equal(t.mbufs_in_use(pmd), in_use, 'sandbox port: mbufs in use back to baseline')
    f.equal(t.telemetry(prefix, '/uxdp/info,%d' % port).get('verify'), 'sandbox',
            'sandbox port: /uxdp/info verify')
    f.equal(pmd.quit(), 0, 'sandbox port: testpmd exit code')


def main():
    f = t.Failures('verify')
    if os.geteuid() != 0:
        t.skip('needs root for the bpf() syscall and testpmd')
    check_uxdp_run(f)
    check_all_progs(f)
    check_no_bpf(f)
    check_testpmd(f)
    check_sandbox_port(f)
    f.finish()


if __name__ == '__main__':
    sys.exit(main())
