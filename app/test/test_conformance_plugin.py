#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""uxdp-conformance driven the way the bpf_conformance runner drives a
plugin, over the corpus in conformance/*.data (our own cases).

For each case, in both engines and in both memory views:
  - plain: the runner's default. Memory, when the case has any, is the
    first argument as "%02x  " hex; options follow; the program is hex
    on stdin. The program sees r1 = memory, r2 = length.
  - xdp: the runner's --xdp_prolog with plugin option --xdp. When the
    case has memory, the runner's XDP prologue is put in front of the
    program (r1 = ctx->data, r2 = ctx->data_end - ctx->data checked
    against the memory size); the memory is the packet.
A case passes when r0 (hex on stdout, exit 0) is the expected value, or,
for a case with "-- error", when the exit code is non-zero and stderr is
the expected text (the runner compares stderr when stdout is empty), and
the two engines print the same. Then the protocol's other forms: older
runners' arguments, --program, --elf, and the error paths.

usage: test_conformance_plugin.py PLUGIN CORPUS_DIR [ELF_OBJECT]
"""

import glob
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conformance_asm as asm  # noqa: E402
from uxdp_testlib import Failures  # noqa: E402

ENGINES = ('interp', 'jit')
# What a successful plugin prints: r0 as std::hex / %lx does.
R0_LINE = re.compile(r'^(0|[1-9a-f][0-9a-f]*)\n$')


def hex_encode(data):
    """The runner's encoding: each byte as "%02x", then two spaces."""
    return ''.join('%02x  ' % b for b in data)


def xdp_prolog(size):
    """The runner's --xdp_prolog: from an XDP ctx to r1 = data, r2 = size,
    returning -1 when the packet is shorter than the memory."""
    return asm.assemble([
        'mov %r0, -1',
        'mov %r6, %r1',
        'ldxw %r1, [%r6+0]',
        'ldxw %r2, [%r6+4]',
        'mov %r3, %r1',
        'add %%r3, %d' % size,
        'jle %r3, %r2, +1',
        'exit',
        'mov %%r2, %d' % size,
    ])


def run(plugin, args, stdin):
    p = subprocess.run([plugin] + args, input=stdin, capture_output=True,
                       text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def runner_args(mem, options):
    """Arguments as the current runner builds them."""
    return ([hex_encode(mem)] if mem else []) + options


def check_case(f, plugin, path):
    name = os.path.basename(path)
    case = asm.parse_data(path)
    outputs = {}
    for mode in ('plain', 'xdp'):
        words = list(case['words'])
        opts_mode = []
        if mode == 'xdp':
            opts_mode = ['--xdp']
            if case['mem']:
                words = xdp_prolog(len(case['mem'])) + words
        stdin = hex_encode(asm.words_to_bytes(words)) + '\n'
        for engine in ENGINES:
            what = '%s [%s, %s]' % (name, mode, engine)
            rc, out, err = run(plugin, runner_args(
                case['mem'], ['--engine', engine] + opts_mode), stdin)
            outputs[(mode, engine)] = (rc, out, err)
            if case['error'] is not None:
                f.check(rc != 0, '%s: exit code %d, want non-zero'
                        % (what, rc))
                f.equal(out, '', '%s: stdout' % what)
                f.equal(''.join(err.splitlines()), case['error'],
                        '%s: error' % what)
                continue
            if not f.check(rc == 0, '%s: exit %d, stderr %r'
                           % (what, rc, err)):
                continue
            f.check(R0_LINE.match(out) is not None,
                    '%s: output %r is not r0 in %%lx form' % (what, out))
            f.equal(int(out, 16), case['result'], '%s: r0' % what)
        f.equal(outputs[(mode, 'jit')], outputs[(mode, 'interp')],
                '%s [%s]: jit vs interp' % (name, mode))


def prog_hex(lines):
    return hex_encode(asm.words_to_bytes(asm.assemble(lines))) + '\n'


def check_protocol(f, plugin, elf_obj):
    """The argument forms and error paths the corpus does not cover."""
    ret_r2 = prog_hex(['mov %r0, %r2', 'exit'])
    ret_42 = prog_hex(['mov %r0, 42', 'exit'])

    # Older runners: memory always as argv[1] (maybe empty), then all
    # plugin options as one argument (maybe empty).
    f.equal(run(plugin, [hex_encode(b'\x01\x02\x03'), '--engine interp'],
                ret_r2), (0, '3\n', ''), 'old runner: options in one argument')
    f.equal(run(plugin, ['', ''], ret_42), (0, '2a\n', ''),
            'old runner: empty memory and options')
    # --plugin_options "--engine  jit" splits into an empty word too.
    f.equal(run(plugin, ['--engine', '', 'jit'], ret_42), (0, '2a\n', ''),
            'empty word among the options')
    f.equal(run(plugin, ['--engine=jit', '--debug'], ret_42)[:2],
            (0, '2a\n'), '--engine=jit --debug')
    rc, out, err = run(plugin, ['--debug'], ret_42)
    f.check(rc == 0 and out == '2a\n' and 'engine jit' in err,
            '--debug describes the run on stderr, default engine jit: %r'
            % err)
    # --program HEX instead of stdin (the libbpf plugin's form).
    f.equal(run(plugin, ['--program', ret_r2.strip(), '0a0b'], ''),
            (0, '2\n', ''), '--program with contiguous memory hex')
    f.equal(run(plugin, ['--help'], '')[0], 0, '--help')

    # Errors: non-zero exit, nothing on stdout, one line on stderr.
    bad = [
        (['--engine', 'jit'], 'zz 00\n',
         'program is not hex bytes (odd digit count or a non-hex character)'),
        ([], 'b7 00 00 00 2a 00 00 00 95 00 00 00\n',
         'program of 12 bytes is not a whole number of 8-byte instructions'),
        ([], '\n', 'no program on stdin'),
        (['0g'], ret_42,
         'memory is not hex bytes (odd digit count or a non-hex character)'),
        (['--engine', 'llvm'], ret_42,
         '--engine takes jit or interp (see --help)'),
        (['--frobnicate'], ret_42, 'unknown option --frobnicate (see --help)'),
        (['01', '02'], ret_42, 'unexpected argument 02 (see --help)'),
        (['--program'], '', '--program needs a value (see --help)'),
        (['--xdp', hex_encode(bytes(4000))], ret_42,
         'memory of 4000 bytes exceeds the 3520 bytes of an XDP frame'),
        (['--elf'], 'de ad be ef\n', None),
    ]
    for args, stdin, want in bad:
        rc, out, err = run(plugin, args, stdin)
        what = 'error for %r' % (args,)
        f.check(rc != 0, '%s: exit code %d' % (what, rc))
        f.equal(out, '', '%s: stdout' % what)
        lines = err.splitlines()
        f.check(len(lines) == 1, '%s: one line on stderr: %r' % (what, err))
        if want is not None and lines:
            f.equal(lines[0], want, what)
        elif lines:
            f.check(lines[0].startswith('ELF object refused: '),
                    '%s: %r' % (what, lines[0]))

    # --elf: the bytes on stdin are a whole object (the runner's --elf
    # appends the flag last); its XDP program runs over the packet.
    if elf_obj:
        with open(elf_obj, 'rb') as fh:
            elf_hex = hex_encode(fh.read()) + '\n'
        for engine in ENGINES:
            f.equal(run(plugin, [hex_encode(bytes(64)), '--engine', engine,
                                 '--elf'], elf_hex),
                    (0, '2\n', ''), '--elf %s (XDP_PASS)' % engine)

    # The xdp view: the program sees the packet through ctx->data.
    for engine in ENGINES:
        f.equal(run(plugin, [hex_encode(bytes(range(1, 9))), '--xdp',
                             '--engine', engine],
                    prog_hex(['ldxw %r2, [%r1+0]', 'ldxw %r3, [%r1+4]',
                              'mov %r0, %r3', 'sub %r0, %r2',
                              'ldxdw %r1, [%r2+0]', 'add %r0, %r1',
                              'exit'])),
                (0, '%x\n' % (0x0807060504030201 + 8), ''),
                'xdp ctx: data_end - data plus the packet (%s)' % engine)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    plugin, corpus = sys.argv[1], sys.argv[2]
    elf_obj = sys.argv[3] if len(sys.argv) > 3 else None
    f = Failures('conformance_plugin')
    files = sorted(glob.glob(os.path.join(corpus, '*.data')))
    f.check(len(files) > 0, 'corpus %s has .data files' % corpus)
    for path in files:
        check_case(f, plugin, path)
    print('%d cases in %s' % (len(files), corpus))
    check_protocol(f, plugin, elf_obj)
    f.finish()


if __name__ == '__main__':
    sys.exit(main())
