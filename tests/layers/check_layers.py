#!/usr/bin/env python3
"""Fails when a file includes a header from a layer above its own.

The analysis library is a stack (docs/architecture.md): plain data at the bottom, clang
only in the front end, emitters below the driver and the LSP server, checks on plain
data. Every header of include/coldstart/ has a layer here; a new header without one
fails the test, so its place is decided when it is written.

Usage: check_layers.py <source-dir>
"""
import fnmatch
import pathlib
import re
import sys

# (layer, glob relative to include/coldstart/, may use clang). Lower layers are below.
LAYERS = [
    (0, "hash.h", False), (0, "globs.h", False), (0, "source.h", False), (0, "uri.h", False),
    (0, "version.h", False),
    (1, "facts.h", False),
    (2, "catalog.h", False), (2, "link.h", False), (2, "nolint.h", False), (2, "config.h", False),
    (3, "check.h", False), (3, "static_init.h", False),
    (4, "session.h", False), (4, "pipeline.h", False),
    (5, "emit.h", False), (5, "emit/*.h", False), (5, "fixes.h", True),
    (6, "recovery.h", True), (6, "extract.h", True), (6, "extract/*.h", True),
    (7, "isolate.h", True), (7, "driver.h", True), (7, "driver/*.h", True),
    (8, "lsp.h", True),
]
# LLVM's Support and ADT are general utilities (YAML, hashing, strings) that any layer
# may use; clang's headers belong to the front end (and to the fixes export, which
# writes clang's own replacement format).
CLANG = re.compile(r'#\s*include\s*<clang/')
PROJECT = re.compile(r'#\s*include\s*"coldstart/([^"]+)"')


def layer_of(rel):
    for layer, pattern, clang in LAYERS:
        if fnmatch.fnmatch(rel, pattern):
            return layer, clang
    return None


def main():
    root = pathlib.Path(sys.argv[1])
    inc = root / "include" / "coldstart"
    headers = {p.relative_to(inc).as_posix(): p.read_text() for p in sorted(inc.rglob("*.h"))}
    errors = []
    includes = {rel: PROJECT.findall(text) for rel, text in headers.items()}

    def closure_uses_clang(rel, seen):
        if rel in seen or rel not in headers:
            return None
        seen.add(rel)
        if CLANG.search(headers[rel]):
            return [rel]
        for dep in includes[rel]:
            chain = closure_uses_clang(dep, seen)
            if chain:
                return [rel] + chain
        return None

    for rel, text in headers.items():
        placed = layer_of(rel)
        if placed is None:
            errors.append(f"include/coldstart/{rel}: no layer (add it to tests/layers/check_layers.py)")
            continue
        layer, clang = placed
        for dep in includes[rel]:
            dep_layer = layer_of(dep)
            if dep_layer and dep_layer[0] > layer:
                errors.append(f"include/coldstart/{rel}: includes coldstart/{dep} from layer {dep_layer[0]}, "
                              f"above its own layer {layer}")
        if not clang:
            chain = closure_uses_clang(rel, set())
            if chain:
                errors.append(f"include/coldstart/{rel}: must not depend on clang, but includes it through "
                              + " -> ".join(chain))
    # Checks read plain data: no clang, not through any header either. A check is a
    # folder, checks/<check-id>/; its fixtures/ are handler sources, not check code.
    for src in sorted((root / "checks").rglob("*")):
        if src.suffix not in (".cpp", ".h") or "fixtures" in src.relative_to(root / "checks").parts:
            continue
        text = src.read_text()
        rel = src.relative_to(root).as_posix()
        if CLANG.search(text):
            errors.append(f"{rel}: a check must not include clang or llvm headers")
        for dep in PROJECT.findall(text):
            chain = closure_uses_clang(dep, set())
            if chain:
                errors.append(f"{rel}: a check must not depend on clang, but includes it through "
                              + " -> ".join(chain))
    for e in errors:
        print(e)
    print(f"layers: {len(headers)} headers, {len(errors)} violation(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
