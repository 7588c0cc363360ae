#!/usr/bin/env python3
"""check-layers.py: the core's layers, checked from its sources and its compiled objects.

1. Nothing in app/ includes GTK.
2. Each layer includes only its own headers and those of the layers it builds on (LAYERS below):
   data flows one way, scenario -> engine -> journal -> live models, HTTP, reports.
3. No include cycle between headers.
4. No call cycle between source files, except within one object split over several files
   (wc-engine.c, wc-engine-apply.c... share "wc-engine"): computed from the symbols each object
   file of the core library defines and uses (nm).

Usage: check-layers.py SOURCE_ROOT CORE_LIBRARY.a   (prints TAP)
"""
import os
import re
import subprocess
import sys

# layer -> the layers it may use
LAYERS = {
    "model": set(),
    "journal": set(),
    "engine": {"model", "journal"},
    "http": {"model", "journal", "engine"},
    "sheets": {"model"},
    "live": {"model", "journal", "engine", "http"},
    "review": {"model", "journal", "engine", "live"},
    "relay": {"model", "journal", "engine", "http"},
    "ctl": {"model", "journal", "engine", "http", "sheets", "live", "review", "relay"},
}
# objects split over several files: the files that share a private header
OBJECTS = ["wc-engine", "wc-live", "wc-journal", "wc-msel", "wc-report", "wc-import"]

INCLUDE = re.compile(r'^\s*#\s*include\s+([<"])([^">]+)[">]', re.M)


def object_of(name):
    stem = os.path.splitext(os.path.basename(name))[0]
    for obj in OBJECTS:
        if stem == obj or stem.startswith(obj + "-"):
            return obj
    return stem


def member_of(where):
    """The source file of an archive member named in nm's output ("lib.a:dir/engine_wc-engine.c.o:
    0000 T name"): object files are named after their folder and source."""
    member = os.path.basename(where.split(":")[1])
    return member.split("_", 1)[-1].removesuffix(".o")


def sources(root):
    app = os.path.join(root, "app")
    for layer in sorted(os.listdir(app)):
        folder = os.path.join(app, layer)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith((".c", ".h")):
                yield layer, name, os.path.join(folder, name)


def find_cycle(graph):
    """A cycle in @graph (node -> set of nodes) as a list, or None."""
    state = {}

    def visit(node, path):
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def main():
    root, library = sys.argv[1], sys.argv[2]
    files = list(sources(root))
    layer_of = {name: layer for layer, name, _ in files}
    problems = {"gtk": [], "layers": [], "include-cycle": [], "call-cycle": []}
    includes = {}

    for layer, name, path in files:
        text = open(path, encoding="utf-8").read()
        for kind, header in INCLUDE.findall(text):
            if header.startswith(("gtk/", "adwaita", "gdk/")):
                problems["gtk"].append(f"app/{layer}/{name} includes <{header}>")
            if kind != '"' or header not in layer_of:
                continue
            used = layer_of[header]
            if used != layer and used not in LAYERS.get(layer, set()):
                problems["layers"].append(f"app/{layer}/{name} ({layer}) includes {header} ({used})")
            if name.endswith(".h"):
                includes.setdefault(name, set()).add(header)

    cycle = find_cycle(includes)
    if cycle:
        problems["include-cycle"].append(" -> ".join(cycle))

    # calls: which object file defines each symbol, and which it uses
    out = subprocess.run(["nm", "-A", "--defined-only", "-g", library], capture_output=True,
                         text=True, check=True).stdout
    defined = {}
    for line in out.splitlines():
        where, _, symbol = line.rpartition(" ")
        defined[symbol] = member_of(where)
    out = subprocess.run(["nm", "-A", "-u", library], capture_output=True, text=True,
                         check=True).stdout
    calls = {}
    for line in out.splitlines():
        where, _, symbol = line.rpartition(" ")
        if symbol in defined:
            caller = object_of(member_of(where))
            callee = object_of(defined[symbol])
            if caller != callee:
                calls.setdefault(caller, set()).add(callee)
    cycle = find_cycle(calls)
    if cycle:
        problems["call-cycle"].append(" -> ".join(cycle))

    print("TAP version 13")
    print(f"1..{len(problems)}")
    failed = 0
    for i, (name, found) in enumerate(problems.items(), 1):
        print(f"{'not ok' if found else 'ok'} {i} /whitecell/layers/{name}")
        for problem in found:
            print(f"# {problem}")
        failed += bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
