#!/usr/bin/env python3
"""Runs README.md's commands as printed, in order, from the repository root: every ```sh block with bash (each
line as written, stopping at the first failure), every ```python block with python3, and the example error
(`$ agora validate ...` with the `error:` line after it) is compared with what the command prints now.

The Results/ folders the README names are removed first, so the commands run as on a fresh clone. Exit status 1
names the block that failed. Usage: .ci/readme-commands.py [--skip-setup] (the first block installs packages;
CI has done that already). The test command (`swift test`) is left to CI's own step, which runs it just before.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text()
blocks = re.findall(r"```(\w*)\n(.*?)```", readme, re.S)
skip_setup = "--skip-setup" in sys.argv

for folder in sorted(set(re.findall(r"Results/([\w.-]+)", readme))):
    shutil.rmtree(root / "Results" / folder, ignore_errors=True)

ran = 0
for index, (language, body) in enumerate(blocks):
    if language == "sh" and body.strip() == "swift test":
        print(f"== README block {index + 1} (sh): swift test: CI has just run it", flush=True)
        continue
    if language == "sh":
        if index == 0 and skip_setup:
            body = body.split("&&")[-1]
        print(f"== README block {index + 1} (sh):\n{body.rstrip()}", flush=True)
        status = subprocess.run(["bash", "-euo", "pipefail", "-c", body], cwd=root).returncode
    elif language == "python":
        print(f"== README block {index + 1} (python):\n{body.rstrip()}", flush=True)
        status = subprocess.run([sys.executable, "-c", body], cwd=root).returncode
    elif body.startswith("$ "):
        command, _, expected = body.partition("\n")
        print(f"== README block {index + 1} (transcript): {command}", flush=True)
        words = command[2:].split()
        words[0] = str(root / ".build/release/agora") if words[0] == "agora" else words[0]
        got = subprocess.run(words, cwd=root, capture_output=True, text=True)
        if got.returncode == 0:
            sys.exit(f"README block {index + 1}: `{command[2:]}` succeeded; the README shows an error")
        if got.stderr.strip() != expected.strip():
            sys.exit(f"README block {index + 1}: the README shows\n{expected.strip()}\nbut the command prints\n"
                     f"{got.stderr.strip()}")
        status = 0
    else:
        continue
    if status != 0:
        sys.exit(f"README block {index + 1} failed with exit status {status}")
    ran += 1
print(f"{ran} README blocks ran as printed")
