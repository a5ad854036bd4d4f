#!/usr/bin/env python3
"""Writes the requirements of `recette req list --json` (stdin) as a StrictDoc .sdoc document."""
import json
import sys


def clean(text: str) -> str:
    # One line, no StrictDoc block markers.
    return " ".join(text.replace(">>>", "").replace("<<<", "").split())


reqs = json.load(sys.stdin)
out = sys.stdout
out.write("[DOCUMENT]\nTITLE: Banc de performance recette\n\n")
for r in reqs:
    out.write("[REQUIREMENT]\n")
    out.write(f"UID: {r['ref']}\n")
    out.write(f"STATUS: {r['status']}\n")
    out.write(f"TITLE: {clean(r['title'])}\n")
    out.write("STATEMENT: >>>\n")
    out.write(clean(r.get("description") or r["title"]) + "\n")
    out.write("<<<\n\n")
