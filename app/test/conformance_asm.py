# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""A small eBPF assembler and reader of bpf_conformance-style .data files,
for the conformance plugin test (test_conformance_plugin.py).

Only what the corpus in conformance/ needs, in the uBPF/bpf_conformance
flavour of assembly:

  mov %r0, 1          ALU64 (no suffix) / mov32 ... ALU32; imm or %reg
  add sub mul div mod or and xor lsh rsh arsh mov, neg, neg32
  sdiv smod (+32)     signed division (ISA v4, offset 1)
  movsx864 movsx1664 movsx3264 movsx832 movsx1632   (ISA v4, to 64/32)
  le16 le32 le64 be16 be32 be64 bswap16 bswap32 bswap64
  lddw %r0, 0x1122334455667788
  ldxb ldxh ldxw ldxdw ldxsb ldxsh ldxsw  %r0, [%r1+2]
  stb sth stw stdw [%r1+2], imm     stxb stxh stxw stxdw [%r1+2], %r2
  lock_add lock_fetch_add (or, and, xor) lock_xchg lock_cmpxchg (+32)
                      [%r1+0], %r2
  ja +1 | ja label    ja32 label (JMP32 JA, offset in imm)
  jeq jgt jge jlt jle jset jne jsgt jsge jslt jsle (+32)
                      %r1, imm|%reg, +N|label
  call 5 (helper)     call local label (bpf-to-bpf)     exit
  label:              '#' starts a comment

Section headers as bpf_conformance reads them: "-- asm", "-- raw" (one
64-bit instruction word per token, 0x hex or decimal), "-- mem" (hex
bytes), "-- result" (0x hex or decimal), "-- error" (expected message).
"""

import re

ALU_OPS = {'add': 0x00, 'sub': 0x10, 'mul': 0x20, 'div': 0x30, 'or': 0x40,
           'and': 0x50, 'lsh': 0x60, 'rsh': 0x70, 'neg': 0x80, 'mod': 0x90,
           'xor': 0xa0, 'mov': 0xb0, 'arsh': 0xc0}
JMP_OPS = {'jeq': 0x10, 'jgt': 0x20, 'jge': 0x30, 'jset': 0x40, 'jne': 0x50,
           'jsgt': 0x60, 'jsge': 0x70, 'jlt': 0xa0, 'jle': 0xb0,
           'jslt': 0xc0, 'jsle': 0xd0}
SIZES = {'b': 0x10, 'h': 0x08, 'w': 0x00, 'dw': 0x18}
ATOMIC_OPS = {'add': 0x00, 'or': 0x40, 'and': 0x50, 'xor': 0xa0}
BPF_FETCH = 0x01
CLS_LD, CLS_LDX, CLS_ST, CLS_STX = 0x00, 0x01, 0x02, 0x03
CLS_ALU, CLS_JMP, CLS_JMP32, CLS_ALU64 = 0x04, 0x05, 0x06, 0x07


class AsmError(Exception):
    pass


def word(code, dst=0, src=0, off=0, imm=0):
    """One instruction as the 64-bit little-endian word of the ISA."""
    return (code | (dst | src << 4) << 8 | (off & 0xffff) << 16 |
            (imm & 0xffffffff) << 32)


def reg(text):
    m = re.fullmatch(r'%?r(\d+)', text.strip())
    if not m or int(m.group(1)) > 10:
        raise AsmError('bad register %r' % text)
    return int(m.group(1))


def is_reg(text):
    return re.fullmatch(r'%?r\d+', text.strip()) is not None


def num(text):
    return int(text.strip(), 0)


def memref(text):
    m = re.fullmatch(r'\[\s*(%?r\d+)\s*(?:([+-])\s*(\w+))?\s*\]', text.strip())
    if not m:
        raise AsmError('bad memory operand %r' % text)
    off = num(m.group(3)) if m.group(3) else 0
    return reg(m.group(1)), -off if m.group(2) == '-' else off


def split_ops(rest):
    """Operands separated by commas outside brackets."""
    return [p.strip() for p in re.split(r',(?![^\[]*\])', rest) if p.strip()]


def assemble(lines):
    """Assemble lines into a list of 64-bit instruction words."""
    stmts, labels, pc = [], {}, 0
    for raw in lines:
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r'(\w+):', line)
        if m:
            labels[m.group(1)] = pc
            continue
        mnem, _, rest = line.partition(' ')
        stmts.append((pc, mnem, split_ops(rest), line))
        pc += 2 if mnem == 'lddw' else 1

    def target(text, pc):
        text = text.strip()
        if text in labels:
            return labels[text] - pc - 1
        if re.fullmatch(r'[+-]?\d+', text):
            return int(text)
        raise AsmError('unknown label %r' % text)

    out = []
    for pc, mnem, ops, line in stmts:
        try:
            out.extend(encode(mnem, ops, pc, target))
        except (AsmError, ValueError, IndexError) as e:
            raise AsmError('%s: %s' % (line, e))
    return out


def encode(mnem, ops, pc, target):
    if mnem == 'exit':
        return [word(CLS_JMP | 0x90)]
    if mnem == 'call':
        if ops[0].startswith('local '):
            return [word(CLS_JMP | 0x80, src=1,
                         imm=target(ops[0][6:], pc))]
        return [word(CLS_JMP | 0x80, imm=num(ops[0]))]
    if mnem == 'ja':
        return [word(CLS_JMP | 0x00, off=target(ops[0], pc))]
    if mnem == 'ja32':
        return [word(CLS_JMP32 | 0x00, imm=target(ops[0], pc))]
    if mnem == 'lddw':
        v = num(ops[0 + 1]) & 0xffffffffffffffff
        return [word(CLS_LD | 0x18, dst=reg(ops[0]), imm=v),
                word(0, imm=v >> 32)]
    m = re.fullmatch(r'(le|be|bswap)(16|32|64)', mnem)
    if m:
        cls = CLS_ALU64 if m.group(1) == 'bswap' else CLS_ALU
        src_bit = 0x08 if m.group(1) == 'be' else 0x00
        return [word(cls | 0xd0 | src_bit, dst=reg(ops[0]),
                     imm=int(m.group(2)))]
    m = re.fullmatch(r'movsx(8|16|32)(32|64)', mnem)
    if m:
        cls = CLS_ALU64 if m.group(2) == '64' else CLS_ALU
        return [word(cls | 0xb0 | 0x08, dst=reg(ops[0]), src=reg(ops[1]),
                     off=int(m.group(1)))]
    m = re.fullmatch(r'ldx(s?)(b|h|w|dw)', mnem)
    if m:
        base, off = memref(ops[1])
        mode = 0x80 if m.group(1) else 0x60
        return [word(CLS_LDX | mode | SIZES[m.group(2)], dst=reg(ops[0]),
                     src=base, off=off)]
    m = re.fullmatch(r'st(x?)(b|h|w|dw)', mnem)
    if m:
        base, off = memref(ops[0])
        if m.group(1):
            return [word(CLS_STX | 0x60 | SIZES[m.group(2)], dst=base,
                         src=reg(ops[1]), off=off)]
        return [word(CLS_ST | 0x60 | SIZES[m.group(2)], dst=base, off=off,
                     imm=num(ops[1]))]
    m = re.fullmatch(r'lock_(fetch_)?(add|or|and|xor|xchg|cmpxchg)(32)?',
                     mnem)
    if m:
        base, off = memref(ops[0])
        size = SIZES['w'] if m.group(3) else SIZES['dw']
        if m.group(2) == 'xchg':
            imm = 0xe0 | BPF_FETCH
        elif m.group(2) == 'cmpxchg':
            imm = 0xf0 | BPF_FETCH
        else:
            imm = ATOMIC_OPS[m.group(2)] | (BPF_FETCH if m.group(1) else 0)
        return [word(CLS_STX | 0xc0 | size, dst=base, src=reg(ops[1]),
                     off=off, imm=imm)]
    m = re.fullmatch(r'(j[a-z]+?)(32)?', mnem)
    if m and m.group(1) in JMP_OPS:
        cls = CLS_JMP32 if m.group(2) else CLS_JMP
        off = target(ops[2], pc)
        if is_reg(ops[1]):
            return [word(cls | JMP_OPS[m.group(1)] | 0x08, dst=reg(ops[0]),
                         src=reg(ops[1]), off=off)]
        return [word(cls | JMP_OPS[m.group(1)], dst=reg(ops[0]), off=off,
                     imm=num(ops[1]))]
    m = re.fullmatch(r'(s?)(div|mod)(32)?', mnem) or \
        re.fullmatch(r'()([a-z]+?)(32)?', mnem)
    if m and m.group(2) in ALU_OPS:
        op = ALU_OPS[m.group(2)]
        off = 1 if m.group(1) else 0
        cls = CLS_ALU if m.group(3) else CLS_ALU64
        if m.group(2) == 'neg':
            return [word(cls | op, dst=reg(ops[0]))]
        if is_reg(ops[1]):
            return [word(cls | op | 0x08, dst=reg(ops[0]), src=reg(ops[1]),
                         off=off)]
        return [word(cls | op, dst=reg(ops[0]), off=off, imm=num(ops[1]))]
    raise AsmError('unknown mnemonic %r' % mnem)


def parse_data(path):
    """Read a .data file: dict with words, mem (bytes), result, error."""
    state, asm, raw, mem = None, [], [], []
    result = error = None
    with open(path) as f:
        for line in f:
            line = line.rstrip('\r\n')
            if line.startswith('--'):
                state = line[2:].strip()
                continue
            if not line.strip():
                continue
            if state == 'asm':
                asm.append(line)
            elif state == 'raw':
                raw += [int(t, 0) for t in line.split('#', 1)[0].split()]
            elif state == 'mem':
                mem += [int(t, 16) for t in line.split('#', 1)[0].split()]
            elif state == 'result':
                result = int(line.strip(), 0)
            elif state == 'error':
                error = line.strip()
    words = raw if raw else assemble(asm)
    return {'words': words, 'mem': bytes(mem), 'result': result,
            'error': error}


def words_to_bytes(words):
    return b''.join(w.to_bytes(8, 'little') for w in words)
