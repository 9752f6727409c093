#!/usr/bin/env python3
# fault-coverage.py — which conformance checks are proven able to fail:
# lists every check id of conformance/suites/*.yaml and the faults that
# tests/conformance/fault_test.cpp pairs with it (docs/conformance-format.md,
# "Proving the checks can fail"). Checks without a row are marked "-".
#   scripts/fault-coverage.py [--missing] [SUITE...]
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
args = [a for a in sys.argv[1:] if not a.startswith("--")]
missing_only = "--missing" in sys.argv[1:]
rows = {}
row_re = re.compile(r'\{"([^"]+)",\s*"([^"]+)",\s*"([^"]+)",\s*([FW])')
for m in row_re.finditer((root / "tests/conformance/fault_test.cpp").read_text()):
    rows.setdefault((m.group(2), m.group(3)), []).append(m.group(1) + (" (WARN)" if m.group(4) == "W" else ""))
total = covered = 0
for path in sorted((root / "conformance/suites").glob("*.yaml")):
    suite = path.stem
    if args and suite not in args:
        continue
    ids = re.findall(r"^  - id: (\S+)", path.read_text(), re.M)
    n = sum(1 for i in ids if (suite, i) in rows)
    total += len(ids)
    covered += n
    print(f"# {suite}: {n} of {len(ids)} checks have a fault row")
    for i in ids:
        faults = rows.get((suite, i))
        if missing_only and faults:
            continue
        print(f"{suite:8} {i:40} {', '.join(faults) if faults else '-'}")
print(f"# all suites: {covered} of {total} checks have a fault row")
