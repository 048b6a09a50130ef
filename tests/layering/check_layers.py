#!/usr/bin/env python3
"""Fails when a file includes a header of a layer it may not use.

The layers and their arrows are read from libsspf/CMakeLists.txt (the
SSPF_LAYERS list and one `set(SSPF_<layer>_DEPS ...)` per layer), so the
build and this check cannot disagree.  A file in libsspf/src/<layer>/ may
include headers of its own layer and of the layers below it (transitively).
Public headers: sspf/store.h (the Session API) only from the layers that
implement Session (context and above), sspf/sspf.h (the C ABI) only from
capi.  sspf-tool and the examples may include public headers only.

Usage: check_layers.py [ROOT]      (ROOT: the source tree; default ../..)
       check_layers.py --self-test (shows that a wrong include fails)
"""
import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
PUBLIC_ONLY_FROM = {
    "sspf/store.h": "context",  # and every layer above it
    "sspf/sspf.h": "capi",
}


def read_layers(root):
    text = open(os.path.join(root, "libsspf", "CMakeLists.txt")).read()
    m = re.search(r"set\(SSPF_LAYERS([^)]*)\)", text)
    if not m:
        raise SystemExit("check_layers: no SSPF_LAYERS in libsspf/CMakeLists.txt")
    layers = m.group(1).split()
    deps = {}
    for layer in layers:
        d = re.search(r"set\(SSPF_%s_DEPS([^)]*)\)" % re.escape(layer), text)
        deps[layer] = d.group(1).split() if d else []
    below = {}
    for layer in layers:
        seen, todo = set(), list(deps[layer])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(deps.get(x, []))
        below[layer] = seen
    return layers, below


def check(root):
    layers, below = read_layers(root)
    rank = {name: i for i, name in enumerate(layers)}
    problems = []
    src = os.path.join(root, "libsspf", "src")
    for layer in sorted(os.listdir(src)):
        folder = os.path.join(src, layer)
        if not os.path.isdir(folder):
            continue
        if layer not in below:
            problems.append("libsspf/src/%s: folder is not a layer in SSPF_LAYERS" % layer)
            continue
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
                top = inc.split("/")[0]
                if top == "sspf":
                    need = PUBLIC_ONLY_FROM.get(inc)
                    if need and rank[layer] < rank[need]:
                        problems.append("%s: includes %s (only from layer %s and above)"
                                        % (rel, inc, need))
                    continue
                if "/" not in inc:
                    problems.append("%s: includes \"%s\" without its layer folder" % (rel, inc))
                elif top != layer and top not in below[layer]:
                    problems.append("%s: layer %s includes %s from layer %s, which it may "
                                    "not use (allowed: %s)" % (rel, layer, inc, top,
                                    ", ".join(sorted(below[layer])) or "none"))
    for folder in ("tools/sspf-tool", "examples"):
        base = os.path.join(root, folder)
        for dirpath, _, files in os.walk(base):
            for name in files:
                if not name.endswith((".c", ".cpp", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                for inc in INCLUDE.findall(open(path, encoding="utf-8").read()):
                    if inc.split("/")[0] in below:
                        problems.append("%s: includes private header %s"
                                        % (os.path.relpath(path, root), inc))
    return problems


def self_test(root):
    """A copy of the tree with one upward include must fail."""
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "libsspf", "src", "util"))
        os.makedirs(os.path.join(tmp, "libsspf", "src", "session"))
        with open(os.path.join(tmp, "libsspf", "CMakeLists.txt"), "w") as f:
            f.write(open(os.path.join(root, "libsspf", "CMakeLists.txt")).read())
        with open(os.path.join(tmp, "libsspf", "src", "util", "bad.cpp"), "w") as f:
            f.write('#include "session/unlock_failures.h"\n#include "sspf/store.h"\n')
        with open(os.path.join(tmp, "libsspf", "src", "session", "ok.cpp"), "w") as f:
            f.write('#include "util/text.h"\n#include "sspf/store.h"\n')
        problems = check(tmp)
    if len(problems) != 2 or not all("util/bad.cpp" in p for p in problems):
        print("check_layers self-test FAILED: expected two problems in util/bad.cpp, got:")
        for p in problems:
            print("  " + p)
        return 1
    print("check_layers self-test ok: an upward include and store.h in util are caught")
    return 0


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default_root = os.path.normpath(os.path.join(here, "..", ".."))
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test(argv[2] if len(argv) > 2 else default_root)
    root = argv[1] if len(argv) > 1 else default_root
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print("check_layers: %d include(s) break the layering (docs/architecture.md)"
              % len(problems))
        return 1
    print("check_layers: every include follows the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
