#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The YNL spec of the nqstat family against its uapi header, and the
kernel's YNL client against the nqstat tool.

  ynl_check.py spec HEADER SPEC [SCHEMA]
      Every enum of HEADER (commands, attributes, counters, values) is in
      SPEC with the same C names and values, and every enum of SPEC is in
      HEADER; every attribute has the type the header's documentation
      gives it (NLA_U32: u32, ...); the family name and version agree.
      With SCHEMA (the kernel's genetlink-legacy.yaml), SPEC is validated
      against it (python3-jsonschema).

  ynl_check.py cli YNL_DIR SPEC NQSTAT
      In the current network namespace: the dumps of get-listeners and
      get-netns and the do of get-status by YNL_DIR/cli.py carry the same
      values as "NQSTAT -j" (listeners), "NQSTAT report -j" (namespace)
      and "NQSTAT status -j". Values are read again until two YNL reads
      agree (a counter that moves is not a disagreement).

Exit status 0 when everything agrees; 1 with one line per difference.
"""
import ipaddress
import json
import re
import subprocess
import sys

import yaml


def header_enums(text):
    """{enum name: {CONSTANT: value}} of the header, without __*_MAX."""
    enums = {}
    for m in re.finditer(r'enum\s+(\w+)\s*\{([^}]*)\}', text):
        name, body = m.group(1), m.group(2)
        body = re.sub(r'/\*.*?\*/', '', body, flags=re.S)
        vals, nxt = {}, 0
        for item in body.split(','):
            item = item.strip()
            if not item:
                continue
            if '=' in item:
                const, v = (s.strip() for s in item.split('=', 1))
                nxt = int(v, 0)
            else:
                const = item
            if not const.startswith('__'):
                vals[const] = nxt
            nxt += 1
        enums[name] = vals
    return enums


def header_define(text, name):
    m = re.search(r'#define\s+%s\s+(\S+)' % name, text)
    return m.group(1).strip('"') if m else None


def c_name(prefix, name):
    return (prefix + name).upper().replace('-', '_')


def spec_enums(spec):
    """{enum name: {CONSTANT: value}} of the spec, and the attribute types
    {CONSTANT: ynl type}."""
    enums, types = {}, {}
    for d in spec.get('definitions', []):
        if d['type'] != 'enum':
            continue
        vals, v = {}, d.get('value-start', 0)
        for e in d['entries']:
            e = e if isinstance(e, dict) else {'name': e}
            v = e.get('value', v)
            vals[c_name(d['name-prefix'], e['name'])] = v
            v += 1
        enums[d['enum-name']] = vals
    for s in spec['attribute-sets']:
        if 'subset-of' in s:
            continue
        vals, v = {}, 1
        for a in s['attributes']:
            v = a.get('value', v)
            const = c_name(s['name-prefix'], a['name'])
            vals[const] = v
            types[const] = a['type']
            v += 1
        enums[s['enum-name']] = vals
    ops = spec['operations']
    vals, v = {}, 1
    for o in ops['list']:
        v = o.get('value', v)
        vals[c_name(ops['name-prefix'], o['name'])] = v
        v += 1
    enums[ops['enum-name']] = vals
    return enums, types


NLA = {
    'NLA_U8': {'u8'}, 'NLA_U16': {'u16'}, 'NLA_U32': {'u32'},
    'NLA_U64': {'u64'}, 'NLA_NUL_STRING': {'string'},
    'NLA_BINARY': {'binary'}, 'NLA_FLAG': {'flag'},
    'NLA_NESTED': {'nest', 'indexed-array'},
}


def doc_types(text):
    """{CONSTANT: NLA_*} as the header's documentation gives them."""
    doc = text.split('#ifndef _UAPI_LINUX_NQSTAT_H')[0]
    types = {}
    for m in re.finditer(r'\b(NQSTAT_A_\w+):\s+(NLA_\w+)', doc):
        types.setdefault(m.group(1), m.group(2))
    return types


def check_spec(header_path, spec_path, schema_path=None):
    text = open(header_path).read()
    spec = yaml.safe_load(open(spec_path))
    errs = []
    if schema_path:
        import jsonschema
        jsonschema.validate(spec, yaml.safe_load(open(schema_path)))
    if spec['name'] != header_define(text, 'NQSTAT_GENL_NAME'):
        errs.append('family name: spec %s, header %s' %
                    (spec['name'], header_define(text, 'NQSTAT_GENL_NAME')))
    if str(spec.get('version', 1)) != header_define(text,
                                                     'NQSTAT_GENL_VERSION'):
        errs.append('family version differs')
    h = header_enums(text)
    s, stypes = spec_enums(spec)
    for name in sorted(set(h) | set(s)):
        if name not in s:
            errs.append('enum %s: in the header, not in the spec' % name)
            continue
        if name not in h:
            errs.append('enum %s: in the spec, not in the header' % name)
            continue
        for const in sorted(set(h[name]) | set(s[name])):
            hv, sv = h[name].get(const), s[name].get(const)
            if hv != sv:
                errs.append('%s %s: header %s, spec %s' %
                            (name, const, hv, sv))
    # Types: the header's NLA_* documentation; counters are all NLA_U64.
    for const, nla in doc_types(text).items():
        if const in stypes and stypes[const] not in NLA.get(nla, ()):
            errs.append('%s: header %s, spec type %s' %
                        (const, nla, stypes[const]))
    for const in h.get('nqstat_counter', {}):
        if const.endswith(('_UNSPEC', '_PAD')):
            continue
        if stypes.get(const) != 'u64':
            errs.append('%s: a counter is u64, spec %s' %
                        (const, stypes.get(const)))
    checked = sum(len(v) for v in h.values())
    return errs, checked


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout


def ynl(ynl_dir, spec, what, op):
    out = run([sys.executable, ynl_dir + '/cli.py', '--spec', spec,
               '--no-schema', '--output-json', '--' + what, op])
    return json.loads(out)


def addr_text(family, hexaddr):
    raw = bytes.fromhex(hexaddr)
    return str(ipaddress.ip_address(raw))


# YNL attribute name -> the tool's JSON key, where they differ.
LISTENER_KEYS = {'netns-inode': 'netns', 'reset-msecs': 'reset_ms',
                 'closed-msecs': 'closed_ms'}
FAMILIES = {2: 'inet', 10: 'inet6'}


def listener_pairs(y):
    """(JSON key, value in the tool's form) of one YNL listener nest."""
    for k, v in y.items():
        if k == 'counters':
            for ck, cv in v.items():
                yield ck.replace('-', '_'), cv
            continue
        key = LISTENER_KEYS.get(k, k.replace('-', '_'))
        if k == 'addr':
            v = addr_text(y.get('family'), v)
        elif k == 'family':
            v = FAMILIES.get(v, v)
        yield key, v


NETNS_KEYS = {'inode': 'netns', 'cookie': 'netns_cookie'}
SYSCTL_KEYS = {'port-range-low': 'port_range_low',
               'port-range-high': 'port_range_high'}
CT_KEYS = {'limit': 'ct_max'}


def netns_pairs(y):
    for k, v in y.items():
        if k == 'sysctls':
            for sk, sv in v.items():
                yield SYSCTL_KEYS.get(sk, sk.replace('-', '_')), sv
        elif k == 'ct':
            for ck, cv in v.items():
                if ck == 'state':       # the enum's name, the tool's form
                    cv = cv.replace('-', '_')
                yield CT_KEYS.get(ck, 'ct_' + ck.replace('-', '_')), cv
        elif k in ('tw-dests', 'tw-dests-truncated'):
            continue
        else:
            yield NETNS_KEYS.get(k, k.replace('-', '_')), v


STATUS_KEYS = {'grace-period': 'grace_period_s'}


def status_pairs(y):
    for k, v in y.items():
        if k != 'hooks':
            yield STATUS_KEYS.get(k, k.replace('-', '_')), v


def hook_pairs(y):
    for k, v in y.items():
        if k == 'feeds':
            continue    # the tool keeps them, it does not print them
        yield k.replace('-', '_'), v


def compare(errs, what, pairs, tool):
    n = 0
    for key, v in pairs:
        if key not in tool:
            errs.append('%s: %s=%r from YNL, absent from the tool' %
                        (what, key, v))
        elif tool[key] != v:
            errs.append('%s: %s: YNL %r, tool %r' % (what, key, v, tool[key]))
        n += 1
    return n


def stable(read, tries=8):
    """Two equal reads in a row (a counter may move between reads)."""
    prev = read()
    for _ in range(tries):
        cur = read()
        if cur == prev:
            return cur
        prev = cur
    return prev


def check_cli(ynl_dir, spec, nqstat):
    errs, n = [], 0
    for _ in range(8):
        errs, n = [], 0
        ls = stable(lambda: ynl(ynl_dir, spec, 'dump', 'get-listeners'))
        show = json.loads(run([nqstat, '-j']))
        ns = stable(lambda: ynl(ynl_dir, spec, 'dump', 'get-netns'))
        rep = json.loads(run([nqstat, 'report', '-j']))
        again = ynl(ynl_dir, spec, 'dump', 'get-listeners')
        if again != ls:
            continue
        tool = {l['cookie']: l for l in show['listeners']}
        for m in ls:
            y = m['listener']
            t = tool.pop(y['cookie'], None)
            if t is None:
                errs.append('listener %d: not in nqstat -j' % y['cookie'])
                continue
            n += compare(errs, 'listener %d' % y['cookie'],
                         listener_pairs(y), t)
        for c in tool:
            errs.append('listener %d: in nqstat -j, not in the YNL dump' % c)
        if len(ns) != 1:
            errs.append('get-netns: %d namespaces, expected this one' % len(ns))
        else:
            n += compare(errs, 'namespace', netns_pairs(ns[0]['netns']),
                         rep['namespace'])
        st = ynl(ynl_dir, spec, 'do', 'get-status')
        tst = json.loads(run([nqstat, 'status', '-j']))
        n += compare(errs, 'status', status_pairs(st), tst)
        # An indexed array: each element {index: nest}.
        yh = [next(iter(h.values())) for h in st.get('hooks', [])]
        th = tst.get('hooks', [])
        if len(yh) != len(th):
            errs.append('status: %d hooks from YNL, %d from the tool' %
                        (len(yh), len(th)))
        for y, t in zip(yh, th):
            n += compare(errs, 'hook %s' % y.get('name'), hook_pairs(y), t)
        if not errs:
            break
    return errs, n


def main(argv):
    if len(argv) >= 3 and argv[0] == 'spec':
        errs, n = check_spec(*argv[1:4])
        what = 'spec: %d constants of the header' % n
    elif len(argv) == 4 and argv[0] == 'cli':
        errs, n = check_cli(*argv[1:4])
        what = 'cli: %d values of YNL and the tool' % n
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for e in errs:
        print('ynl_check: ' + e)
    print('# %s, %s' % (what, 'agree' if not errs else
                        '%d differences' % len(errs)))
    return 1 if errs else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
