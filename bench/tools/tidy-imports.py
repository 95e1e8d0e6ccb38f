#!/usr/bin/env python3
"""Sorts a Java file's imports (java.* first, then the rest, each alphabetically) and drops unused ones.

Usage: tidy-imports.py FILE...   An import is unused when its simple name appears nowhere else in the file
(comments included, so that {@link} targets keep theirs). Static and wildcard imports are kept as they are.
"""
import re
import sys

for path in sys.argv[1:]:
    text = open(path).read()
    lines = text.split("\n")
    imports = [l for l in lines if l.startswith("import ")]
    if not imports:
        continue
    first = lines.index(imports[0])
    last = max(i for i, l in enumerate(lines) if l.startswith("import "))
    block = lines[first:last + 1]
    if any(l.strip() and not l.startswith("import ") for l in block):
        continue  # comments among imports: leave the file alone
    body = "\n".join(lines[:first] + lines[last + 1:])
    kept = []
    for imp in sorted(set(l for l in block if l.startswith("import "))):
        name = imp.rstrip(";").split(".")[-1]
        if imp.startswith("import static ") or name == "*" or re.search(r"\b" + re.escape(name) + r"\b", body):
            kept.append(imp)
    java = sorted(i for i in kept if i.startswith("import java") and not i.startswith("import static"))
    other = sorted(i for i in kept if not i.startswith("import java") and not i.startswith("import static"))
    static = sorted(i for i in kept if i.startswith("import static"))
    new_block = java + other + ([""] + static if static else [])
    lines = lines[:first] + new_block + lines[last + 1:]
    open(path, "w").write("\n".join(lines))
