#!/usr/bin/env python3
"""Moves Java classes between packages and mends every reference in the repository.

Usage: move-classes.py REPO OLD.FQN=NEW.FQN ...  (top-level classes; the file moves with git mv)

For each moved class: its file goes to the new package's directory (main or test, as it was), its package
line changes, imports naming it are rewritten (static ones too), and every file that used it without an
import (it shared the old package) gets one. A moved file gets imports for the classes of its old package it
still uses. Visibility (package-private members now used across packages) is left to the compiler to report.
"""
import os
import re
import subprocess
import sys

repo = sys.argv[1]
moves = dict(arg.split("=", 1) for arg in sys.argv[2:])


def package_of(fqn):
    return fqn.rsplit(".", 1)[0]


def simple(fqn):
    return fqn.rsplit(".", 1)[1]


java_files = []
for module in os.listdir(repo):
    src = os.path.join(repo, module, "src")
    if not os.path.isdir(src):
        continue
    for root, _, files in os.walk(src):
        java_files += [os.path.join(root, f) for f in files if f.endswith(".java")]

PACKAGE = re.compile(r"^package ([\w.]+);", re.M)


def read(path):
    with open(path) as f:
        return f.read()


# Every class in the repository by package, before the move.
classes_by_package = {}
package_by_file = {}
for path in java_files:
    text = read(path)
    m = PACKAGE.search(text)
    if not m:
        continue
    package_by_file[path] = m.group(1)
    classes_by_package.setdefault(m.group(1), set()).add(os.path.basename(path)[:-5])


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', text)
    return text


def uses(text, name):
    body = strip_comments_and_strings(text)
    body = re.sub(r"^(package|import)[^\n]*", "", body, flags=re.M)
    return re.search(r"(?<![\w.])" + re.escape(name) + r"\b", body) is not None


def add_imports(text, imports):
    if not imports:
        return text
    lines = "".join(f"import {i};\n" for i in sorted(imports))
    m = re.search(r"^import [^\n]*\n", text, re.M)
    if m:
        return text[:m.start()] + lines + text[m.start():]
    m = PACKAGE.search(text)
    return text[:m.end()] + "\n\n" + lines + text[m.end():]


for path, pkg in package_by_file.items():
    name = os.path.basename(path)[:-5]
    fqn = pkg + "." + name
    text = read(path)
    old_pkg = pkg
    new_pkg = package_of(moves[fqn]) if fqn in moves else pkg
    # 1. rewrite imports and qualified names of moved classes
    for old, new in moves.items():
        text = re.sub(r"(?<![\w.])" + re.escape(old) + r"\b", new, text)
    # 2. classes this file used without import (same old package) that are now elsewhere
    needed = set()
    for other in classes_by_package.get(old_pkg, ()):
        other_old = old_pkg + "." + other
        other_new = moves.get(other_old, other_old)
        if other == name:
            continue
        if package_of(other_new) != new_pkg and uses(text, other):
            if not re.search(r"^import " + re.escape(other_new) + ";", text, re.M):
                needed.add(other_new)
    # 3. imports now of the file's own package are redundant
    text = re.sub(r"^import " + re.escape(new_pkg) + r"\.[A-Z]\w*;\n", "", text, flags=re.M)
    if new_pkg != old_pkg:
        text = PACKAGE.sub("package " + new_pkg + ";", text, count=1)
    text = add_imports(text, needed)
    if fqn in moves:
        base = path[: path.index("/java/") + len("/java/")]
        target = os.path.join(base, *new_pkg.split("."), os.path.basename(path))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        subprocess.run(["git", "-C", repo, "mv", path, target], check=True)
        path = target
    with open(path, "w") as f:
        f.write(text)
print(f"moved {len(moves)} classes")
