#!/usr/bin/env python3
"""Regenerates every generated block of docs/scenario.md from the model declarations.

Each block sits between `<!-- generated: agora list --parameters NAME -->` and `<!-- end generated -->`; this script
replaces its body with what that command prints. Usage: `python3 docs/generate.py [path/to/agora]` (default:
`.build/debug/agora`). A test (DeclaredParametersTests) fails when the committed file differs from the output.
"""
import re
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
agora = sys.argv[1] if len(sys.argv) > 1 else str(root / ".build/debug/agora")
doc = root / "docs/scenario.md"
text = doc.read_text()
pattern = re.compile(r"<!-- generated: agora list --parameters (\S+) -->\n.*?<!-- end generated -->", re.S)


def block(match):
    out = subprocess.run([agora, "list", "--parameters", match.group(1)], check=True, capture_output=True, text=True)
    return out.stdout.rstrip("\n")


doc.write_text(pattern.sub(block, text))
print(f"{doc}: {len(pattern.findall(text))} blocks regenerated")
