#!/usr/bin/env python3
"""Regenerates every generated block of docs/scenario.md and docs/columns.md from the model declarations.

Each block sits between `<!-- generated: agora list --parameters NAME -->` (or `--columns NAME`) and
`<!-- end generated -->`; this script replaces it with what that command prints. Usage:
`python3 docs/generate.py [path/to/agora]` (default: `.build/debug/agora`). Tests (DeclaredParametersTests,
DeclaredColumnsTests) fail when a committed file differs from the output.
"""
import re
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
agora = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/agora")
pattern = re.compile(r"<!-- generated: agora list --(parameters|columns) (\S+) -->\n.*?<!-- end generated -->", re.S)


def block(match):
    command = [agora, "list", "--" + match.group(1), match.group(2)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.rstrip("\n")


for name in ["scenario.md", "columns.md"]:
    doc = root / "docs" / name
    text = doc.read_text()
    doc.write_text(pattern.sub(block, text))
    print(f"{doc}: {len(pattern.findall(text))} blocks regenerated")
