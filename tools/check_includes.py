#!/usr/bin/env python3
"""Fails when a source file includes what its layer may not (STYLE.md §2).

app -> api, cli -> modules -> core;  app -> storage -> modules -> core.
Modules never include HTTP, JSON, SOCI or CLI headers; api/ and cli/ never
include storage/; only storage/ includes database drivers.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src"
MODULES = {"platform", "plans", "cases", "clues", "screening", "credit", "trace",
           "inspections", "portal"}
DRIVERS = ("soci/", "sqlite3.h", "libpq-fe.h")
WEB = ("boost/beast", "boost/asio", "boost/json", "boost/url", "CLI/", "nlohmann/", "simdjson")

def forbidden(layer: str, header: str) -> str | None:
    own = header.split("/")[0]
    if layer == "core" and (own in MODULES | {"storage", "api", "cli", "app"} or header.startswith(DRIVERS + WEB)):
        return "core depends on nothing of the project"
    if layer in MODULES:
        if own in {"storage", "api", "cli", "app"} or header.startswith(DRIVERS + WEB):
            return "modules never include storage, HTTP, JSON, SOCI or CLI headers"
        if layer == "screening" and own in MODULES - {"screening"}:
            return "screening depends on core only"
        if layer == "cases" and own in MODULES - {"cases", "platform"}:
            return "cases depends on core and platform only"
    if layer in {"api", "cli"} and (own in {"storage", "app"} or header.startswith(DRIVERS)):
        return f"{layer}/ calls module services and never includes storage/"
    if layer == "cli" and own == "api":
        return "cli/ does not include api/"
    if layer == "storage" and own in {"api", "cli", "app"}:
        return "storage/ does not include api/, cli/ or app/"
    return None

def main() -> int:
    problems = []
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in {".h", ".cc", ".in"}:
            continue
        layer = path.relative_to(ROOT).parts[0]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = re.match(r'\s*#\s*include\s*[<"]([^>"]+)[>"]', line)
            why = forbidden(layer, m.group(1)) if m else None
            if m and not why and path.name.startswith("thresholds") and layer == "cases" \
                    and m.group(1).split("/")[0] in MODULES - {"cases"}:
                why = "the threshold evaluator depends on core only"
            if m and why:
                problems.append(f"{path.relative_to(ROOT.parent)}:{number}: {m.group(1)}: {why}")
    for p in problems:
        print(p)
    print(f"{len(problems)} forbidden includes" if problems else "include layering ok")
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main())
