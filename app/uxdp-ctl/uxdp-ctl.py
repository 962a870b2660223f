#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""uxdp-ctl: operate the net_uxdp ports of a running DPDK application, in
the shape of bpftool. Talks to the application's telemetry socket (plain
JSON; no DPDK needed) for everything but the bulk and streaming paths,
which run uxdp-ctl-mp, a DPDK secondary process working on the maps in
shared memory. See doc/ops.md."""

import argparse
import json
import os
import socket
import subprocess
import sys
import time

RUN_DIR = os.environ.get('UXDP_DPDK_RUN_DIR', '/var/run/dpdk')
USAGE = """usage: uxdp-ctl [OPTIONS] OBJECT COMMAND

  port list
  prog show
  prog swap FILE [PROGRAM]
  map list
  map dump NAME [--shm]                               (--shm: shared memory)
  map lookup NAME key DATA
  map update NAME key DATA value DATA [any|noexist|exist|lock]
  map update NAME --batch FILE [any|noexist|exist]    (shared memory)
  map load NAME FILE [any|noexist|exist]              (shared memory)
  map delete NAME key DATA
  map events NAME [--count N] [--timeout-ms T]        (shared memory)

DATA: bytes as bpftool takes them (0x0a 10 012 ...), "hex 0a0b0c0d", or
one JSON word typed by the map's BTF ('{"saddr": 1, ...}').
OPTIONS: -f/--file-prefix PREFIX (DPDK instance, default rte),
         --port N (default: the only net_uxdp port), -j/--json, -p/--pretty,
         --lcore N (the secondary's lcore, default 127)"""


class CtlError(Exception):
    pass


class Telemetry:
    def __init__(self, prefix):
        path = os.path.join(RUN_DIR, prefix, 'dpdk_telemetry.v2')
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            self.sock.connect(path)
        except OSError as e:
            raise CtlError('cannot connect to %s (%s): is a DPDK application running with --file-prefix=%s?'
                           % (path, e.strerror, prefix))
        hello = json.loads(self.sock.recv(1024).decode())
        self.max_len = hello['max_output_len']

    def call(self, cmd, *params):
        text = ','.join([cmd] + [str(p) for p in params])
        if len(text) >= 1024:
            raise CtlError('request too long for DPDK telemetry (%d bytes)' % len(text))
        self.sock.send(text.encode())
        reply = json.loads(self.sock.recv(self.max_len).decode())
        value = reply.get(cmd)
        if value is None:
            raise CtlError('%s: no such command in this application (is net_uxdp loaded?)' % cmd)
        if isinstance(value, dict) and 'error' in value:
            # Messages longer than a telemetry string come in pieces.
            raise CtlError(''.join(value['error_full']) if 'error_full' in value
                           else value['error'])
        return value


def rows(columns):
    """Telemetry's parallel columns as a list of dicts."""
    keys = list(columns)
    n = len(columns[keys[0]]) if keys else 0
    return [dict((k, columns[k][i]) for k in keys) for i in range(n)]


def parse_data(words, what):
    """bpftool's byte words, "hex ...", or one JSON word: the text the
    telemetry commands take."""
    if not words:
        raise CtlError('%s: no data given' % what)
    if len(words) == 1 and words[0][:1] in '{["':
        return words[0]
    if words[0] == 'hex':
        text = ''.join(words[1:])
        if not text:
            raise CtlError('%s: "hex" without bytes' % what)
        return text
    out = bytearray()
    for w in words:
        try:
            v = int(w, 0) if not (len(w) > 1 and w[0] == '0' and w[1:].isdigit()) \
                else int(w, 8)
        except ValueError:
            raise CtlError('%s: %r is not a byte (0x0a, 10, 012; or "hex 0a0b", or JSON)' % (what, w))
        if not 0 <= v <= 255:
            raise CtlError('%s: %r does not fit a byte' % (what, w))
        out.append(v)
    return out.hex()


def spaced(hexstr):
    return ' '.join(hexstr[i:i + 2] for i in range(0, len(hexstr), 2))


class Ctl:
    def __init__(self, args):
        self.args = args
        self._tel = None
        self.json = args.json or args.pretty

    @property
    def tel(self):
        if self._tel is None:
            self._tel = Telemetry(self.args.file_prefix)
        return self._tel

    def emit(self, obj, text):
        if self.json:
            print(json.dumps(obj, indent=2 if self.args.pretty else None))
        else:
            print(text)

    def ports(self):
        return rows(self.tel.call('/uxdp/list'))

    def port(self):
        if self.args.port is not None:
            return self.args.port
        ports = [p['port'] for p in self.ports()]
        if len(ports) != 1:
            raise CtlError('%s net_uxdp ports (%s): choose one with --port' %
                           ('no' if not ports else len(ports),
                            ', '.join(map(str, ports))))
        return ports[0]

    def map_info(self, name):
        for m in rows(self.tel.call('/uxdp/maps', self.port())):
            if m['name'] == name:
                return m
        raise CtlError('map: port %d has no map %r' % (self.port(), name))

    # --- port, prog ---
    def port_list(self):
        ps = self.ports()
        self.emit(ps, '\n'.join('port %d: sub-device %s (port %d)  prog %s  %s'
                                % (p['port'], p['sub_device'], p['sub_port'],
                                   p['program'], p['engine']) for p in ps))

    def prog_show(self):
        ports = [self.args.port] if self.args.port is not None else \
            [p['port'] for p in self.ports()]
        infos = [self.tel.call('/uxdp/info', p) for p in ports]
        lines = []
        for i in infos:
            lines.append('port %d: %s  section %s  %d insns  %s  loaded in %.3f ms (jit %.3f ms)  swaps %d\n'
                         '\tfile %s\n\tpass %d  drop %d  tx %d  redirect %d  aborted %d'
                         % (i['port'], i['program'], i['section'], i['insns'], i['engine'],
                            i['load_ns'] / 1e6, i['jit_ns'] / 1e6, i['swaps'], i['prog_file'],
                            i['xdp_pass'], i['xdp_drop'], i['xdp_tx'], i['xdp_redirect'],
                            i['xdp_aborted']))
        self.emit(infos, '\n'.join(lines))

    def prog_swap(self, words):
        if len(words) not in (1, 2):
            raise CtlError('usage: prog swap FILE [PROGRAM]')
        path = os.path.abspath(words[0])
        r = self.tel.call('/uxdp/prog_swap', self.port(), path, *words[1:])
        self.emit(r, 'port %d: now runs %s (section %s, %s) from %s\n\tmaps kept: %s\n\tmaps fresh: %s\n\told program: %s'
                  % (r['port'], r['program'], r['section'], r['engine'], r['prog_file'],
                     ', '.join(r['maps_kept']) or '-', ', '.join(r['maps_fresh']) or '-',
                     r['old_program']))

    # --- maps over telemetry ---
    def map_list(self):
        ms = rows(self.tel.call('/uxdp/maps', self.port()))
        self.emit(ms, '\n'.join('%s: %s  key %dB %s value %dB %s  max_entries %d  entries %d  flags 0x%x'
                                % (m['name'], m['type'], m['key_size'], m['key_type'],
                                   m['value_size'], m['value_type'], m['max_entries'],
                                   m['entries'], m['flags']) for m in ms))

    def entry_json(self, key, values, key_btf=None, values_btf=None, cpus=None):
        e = {'key': key}
        if cpus is None:
            e['value'] = values[0]
        else:
            e['values'] = [{'cpu': c, 'value': v} for c, v in zip(cpus, values)]
        if key_btf is not None or values_btf is not None:
            fmt = {}
            if key_btf is not None:
                fmt['key'] = json.loads(key_btf)
            if values_btf is not None:
                if cpus is None:
                    fmt['value'] = json.loads(values_btf[0])
                else:
                    fmt['values'] = [{'cpu': c, 'value': json.loads(v)}
                                     for c, v in zip(cpus, values_btf)]
            e['formatted'] = fmt
        return e

    def entry_text(self, e):
        out = 'key: %s' % spaced(e['key'])
        if 'value' in e:
            out += '  value: %s' % spaced(e['value'])
        else:
            out += ''.join('\n\tvalue (CPU %02d): %s' % (v['cpu'], spaced(v['value']))
                           for v in e['values'])
        if 'formatted' in e:
            out += '\n\t' + json.dumps(e['formatted'])
        return out

    def map_dump(self, words):
        if len(words) == 2 and words[1] == '--shm':
            return self.map_dump_shm(words[0])
        if len(words) != 1:
            raise CtlError('usage: map dump NAME [--shm]')
        name = words[0]
        info = self.map_info(name)
        btf = bool(info['key_type'] or info['value_type'])
        entries, cursor = [], 0
        while cursor != -1:
            page = self.tel.call('/uxdp/map_dump', self.port(), name, cursor, 4096,
                                 *(['btf'] if btf else []))
            cpus = page.get('cpus')
            cols = [page['values']] if cpus is None else \
                [page['values_cpu%d' % c] for c in cpus]
            bcols = None
            if btf:
                bcols = [page['values_btf']] if cpus is None else \
                    [page['values_btf_cpu%d' % c] for c in cpus]
            for i, k in enumerate(page['keys']):
                entries.append(self.entry_json(
                    k, [c[i] for c in cols],
                    page['keys_btf'][i] if btf and info['key_type'] else None,
                    [c[i] for c in bcols] if btf and info['value_type'] else None,
                    cpus))
            cursor = page['next_cursor']
        self.emit(entries, '\n'.join(self.entry_text(e) for e in entries) +
                  ('\n' if entries else '') + 'Found %d element%s' %
                  (len(entries), '' if len(entries) == 1 else 's'))

    def map_dump_shm(self, name):
        """The whole map in one walk by the secondary: hex only."""
        out = self.mp(['dump', self.memzone(name)])
        entries = [json.loads(l) for l in out.splitlines() if l.startswith('{')]
        self.emit(entries, '\n'.join(self.entry_text(e) for e in entries) +
                  ('\n' if entries else '') + 'Found %d element%s' %
                  (len(entries), '' if len(entries) == 1 else 's'))

    def split_kv(self, words, need_value):
        if not words or words[0] != 'key':
            raise CtlError('expected "key DATA"')
        rest = words[1:]
        stop = rest.index('value') if 'value' in rest else len(rest)
        key = rest[:stop]
        value, flags = None, None
        if need_value:
            if stop == len(rest):
                raise CtlError('expected "value DATA"')
            value = rest[stop + 1:]
            if value and value[-1] in ('any', 'noexist', 'exist', 'lock'):
                flags = value.pop()
            value = parse_data(value, 'value')
        elif stop != len(rest):
            raise CtlError('this command takes no value')
        return parse_data(key, 'key'), value, flags

    def map_lookup(self, words):
        name = words[0] if words else None
        if name is None:
            raise CtlError('usage: map lookup NAME key DATA')
        key, _, _ = self.split_kv(words[1:], False)
        r = self.tel.call('/uxdp/map_lookup', self.port(), name, key)
        e = self.entry_json(r.get('key', key), r['values'] if 'values' in r else [r.get('value')],
                            r.get('key_btf'),
                            r.get('values_btf') or ([r['value_btf']] if 'value_btf' in r else None),
                            r.get('cpus'))
        self.emit(e, self.entry_text(e))

    def map_update(self, words):
        if len(words) >= 3 and words[1] == '--batch':
            return self.map_load([words[0]] + words[2:])
        if not words:
            raise CtlError('usage: map update NAME key DATA value DATA [FLAGS]')
        key, value, flags = self.split_kv(words[1:], True)
        params = [self.port(), words[0], key, value] + ([flags] if flags else [])
        r = self.tel.call('/uxdp/map_update', *params)
        self.emit(r, 'updated (%d entries)' % r['entries'])

    def map_delete(self, words):
        if not words:
            raise CtlError('usage: map delete NAME key DATA')
        key, _, _ = self.split_kv(words[1:], False)
        r = self.tel.call('/uxdp/map_delete', self.port(), words[0], key)
        self.emit(r, 'deleted (%d entries)' % r['entries'])

    # --- shared memory (secondary process) ---
    def mp(self, args, stream=False):
        exe = os.path.join(os.path.dirname(os.path.realpath(__file__)), 'uxdp-ctl-mp')
        if not os.access(exe, os.X_OK):
            raise CtlError('%s is missing: the shared-memory path needs it' % exe)
        cmd = [exe, '--file-prefix', self.args.file_prefix, '--lcore',
               str(self.args.lcore)] + args
        if stream:
            try:
                return subprocess.call(cmd)
            except KeyboardInterrupt:
                return 0
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            raise CtlError(out.stderr.strip() or 'uxdp-ctl-mp failed (%d)' % out.returncode)
        return out.stdout

    def memzone(self, name):
        m = self.map_info(name)
        return m.get('memzone') or name

    def map_load(self, words):
        if len(words) not in (2, 3):
            raise CtlError('usage: map load NAME FILE [any|noexist|exist]')
        try:
            out = self.mp(['load', self.memzone(words[0]), words[1]] + words[2:])
            r = json.loads(out)
            r['via'] = 'shared memory'
        except CtlError as e:
            # A --no-huge instance has no secondaries: one telemetry
            # update per entry instead (~20 us each), same file format.
            if 'as a secondary process' not in str(e):
                raise
            r = self.load_via_telemetry(words)
        r['map'] = words[0]
        self.emit(r, '%d entries written into %s in %.3f s (%s)'
                  % (r['updated'], words[0], r['seconds'], r['via']))

    def load_via_telemetry(self, words):
        name, path = words[0], words[1]
        flags = words[2:]
        port = self.port()
        self.map_info(name)
        n, t0 = 0, time.time()
        try:
            fh = sys.stdin if path == '-' else open(path)
        except OSError as e:
            raise CtlError('%s: %s' % (path, e.strerror))
        with fh:
            for line_no, line in enumerate(fh, 1):
                fields = line.split('#', 1)[0].split()
                if not fields:
                    continue
                if len(fields) != 2:
                    raise CtlError('%s:%d: want "KEYHEX VALUEHEX"' % (path, line_no))
                try:
                    self.tel.call('/uxdp/map_update', port, name, *(fields + flags))
                except CtlError as e:
                    raise CtlError('%s:%d: %s' % (path, line_no, e))
                n += 1
        return {'updated': n, 'seconds': time.time() - t0, 'via': 'telemetry'}

    def map_events(self, words):
        if not words:
            raise CtlError('usage: map events NAME [--count N] [--timeout-ms T]')
        sys.stdout.flush()
        return self.mp(['events', self.memzone(words[0])] + words[1:], stream=True)


def main(argv):
    p = argparse.ArgumentParser(prog='uxdp-ctl', usage=USAGE, add_help=False)
    p.add_argument('-f', '--file-prefix', default='rte')
    p.add_argument('--port', type=int)
    p.add_argument('-j', '--json', action='store_true')
    p.add_argument('-p', '--pretty', action='store_true')
    p.add_argument('--lcore', type=int, default=127)
    p.add_argument('-h', '--help', action='store_true')
    args, words = p.parse_known_args(argv)
    if args.help or len(words) < 2:
        print(USAGE, file=sys.stdout if args.help else sys.stderr)
        return 0 if args.help else 2
    ctl = Ctl(args)
    obj, cmd, rest = words[0], words[1], words[2:]
    table = {
        ('port', 'list'): lambda: ctl.port_list(),
        ('port', 'show'): lambda: ctl.port_list(),
        ('prog', 'show'): lambda: ctl.prog_show(),
        ('prog', 'list'): lambda: ctl.prog_show(),
        ('prog', 'swap'): lambda: ctl.prog_swap(rest),
        ('map', 'list'): lambda: ctl.map_list(),
        ('map', 'show'): lambda: ctl.map_list(),
        ('map', 'dump'): lambda: ctl.map_dump(rest),
        ('map', 'lookup'): lambda: ctl.map_lookup(rest),
        ('map', 'update'): lambda: ctl.map_update(rest),
        ('map', 'delete'): lambda: ctl.map_delete(rest),
        ('map', 'load'): lambda: ctl.map_load(rest),
        ('map', 'events'): lambda: ctl.map_events(rest),
    }
    fn = table.get((obj, cmd))
    if fn is None:
        print('uxdp-ctl: unknown command "%s %s"\n%s' % (obj, cmd, USAGE), file=sys.stderr)
        return 2
    if (obj, cmd) in (('port', 'list'), ('prog', 'show'), ('map', 'list')) and rest:
        print('uxdp-ctl: "%s %s" takes no arguments' % (obj, cmd), file=sys.stderr)
        return 2
    try:
        rc = fn()
    except CtlError as e:
        if ctl.json:
            print(json.dumps({'error': str(e)}))
        print('Error: %s' % e, file=sys.stderr)
        return 1
    return rc if isinstance(rc, int) else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
