#!/usr/bin/env python3
"""What a big front matter costs: a document just under the 5 MB cap that is one long YAML
list (block and flow style), and one made of many keys, parsed in a fresh process by each
YAML path (PyYAML's C loader, as ``reader check`` uses it, and the fast rapidyaml reader of
the sync's worker processes). Prints time and peak memory; asserts nothing.

    python bench/yaml_limits.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAP = 5 * 1024 * 1024

CHILD = r"""
import json, sys, time
from reader import documents

def peak_kb():
    with open("/proc/self/status") as handle:
        return int(dict(l.split(":", 1) for l in handle.read().splitlines())["VmHWM"].split()[0])

documents.use_fast_yaml(sys.argv[2] == "fast")
documents.parse_bytes(b"---\ntitle: warm up\ntopics: [a]\n---\n", "warm-up.md")
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")
before = peak_kb()
started = time.perf_counter()
doc = documents.parse_path(sys.argv[1])
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "growth_mb": (peak_kb() - before) / 1024, "kind": type(doc).__name__,
                  "reason": getattr(doc, "reason", None)}))
"""


def documents_under_the_cap(folder: Path) -> dict[str, Path]:
    head = "---\ntitle: A list of five megabytes\nitems:\n"
    block = head + "- a\n" * ((CAP - len(head) - 8) // 4) + "---\n"
    flow_items = (CAP - 100) // 2
    flow = "---\ntitle: A flow list\nitems: [" + "a," * flow_items + "a]\n---\n"
    keys = head.replace("items:\n", "") + "".join(f"k{i}: v\n" for i in range(CAP // 12)) + "---\n"
    made = {}
    for name, text in (("block-list", block), ("flow-list", flow), ("many-keys", keys)):
        path = folder / f"{name}.md"
        path.write_text(text[: CAP - 16] if len(text) > CAP else text, encoding="utf-8")
        made[name] = path
    return made


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        made = documents_under_the_cap(Path(tmp))
        print(f"{'document':<12} {'size':>8} {'YAML path':<10} {'seconds':>8} {'memory':>9}  result")
        for name, path in made.items():
            for mode in ("pyyaml", "fast"):
                result = subprocess.run(
                    [sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, cwd=ROOT, timeout=600
                )
                if result.returncode != 0:
                    print(f"{name:<12} {mode:<10} failed: {result.stderr.strip()[-200:]}")
                    continue
                figures = json.loads(result.stdout)
                size = path.stat().st_size / 1024 / 1024
                print(
                    f"{name:<12} {size:>6.2f}MB {mode:<10} {figures['seconds']:>8.2f} {figures['growth_mb']:>7.0f}MB  "
                    f"{figures['kind']}: {figures['reason']}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
