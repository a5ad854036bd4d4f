#!/usr/bin/env python3
"""Generates a large, deterministic JUnit XML file for measuring recette's result import.

Default: 200,000 test cases in 400 suites, about 100 MB. Every case carries `requirement`
properties (ids PC-0001...PC-2000, one to three per case), about 5 % fail with a long failure
text (a stack trace of ~2.5 KB), about 2 % are skipped, and about 10 % have system-out. The same
arguments always give the same bytes (fixed seed, no clock), so measurements can be compared.

Usage: python3 bench/gen_junit.py [OUTPUT] [--cases N] [--seed S]
       (OUTPUT defaults to bench/junit-100mb.xml; the file is not committed)
"""

import argparse
import random
from xml.sax.saxutils import escape, quoteattr

SUITES = 400


def frames(rng, n):
    """A Java-like stack trace of n frames."""
    lines = []
    for i in range(n):
        pkg = rng.choice(["fr.permis.demandes", "fr.permis.points", "fr.permis.controle"])
        cls = rng.choice(["Service", "Repository", "Controller", "Validator"])
        lines.append(f"\tat {pkg}.{cls}{i % 7}.traiter(" f"{cls}{i % 7}.java:{rng.randint(10, 900)})")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="bench/junit-100mb.xml")
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    per_suite = max(1, args.cases // SUITES)
    written = 0
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        # Counts are deliberately not computed: readers must not trust them.
        out.write('<testsuites name="recette-bench" tests="0" failures="0" errors="0">\n')
        suite = 0
        while written < args.cases:
            suite += 1
            out.write(
                f'  <testsuite name="fr.permis.Suite{suite:04d}" '
                f'timestamp="2026-11-22T19:{suite % 60:02d}:00" hostname="ci-runner-04">\n'
            )
            for _ in range(min(per_suite, args.cases - written)):
                written += 1
                n = written
                cls = f"fr.permis.Suite{suite:04d}.Cas{n % 17:02d}"
                name = f"test_{n:06d}_exigence_PC-{(n % 2000) + 1:04d}"
                out.write(
                    f'    <testcase classname="{cls}" name="{name}" '
                    f'time="{rng.randint(1, 5000) / 1000:.3f}">\n'
                )
                out.write("      <properties>\n")
                for _ in range(rng.randint(1, 3)):
                    req = f"PC-{rng.randint(1, 2000):04d}"
                    out.write(f'        <property name="requirement" value="{req}"/>\n')
                out.write("      </properties>\n")
                roll = rng.random()
                if roll < 0.05:
                    message = f"Solde de points attendu {n % 12}, obtenu {n % 12 + 1} <dossier {n}> & co"
                    text = f"java.lang.AssertionError: {message}\n" + frames(rng, 36)
                    out.write(
                        f"      <failure message={quoteattr(message)} "
                        f'type="java.lang.AssertionError">{escape(text)}</failure>\n'
                    )
                elif roll < 0.07:
                    out.write('      <skipped message="module non livré (lot 3)"/>\n')
                if rng.random() < 0.10:
                    log = "\n".join(
                        f"19:14:{i % 60:02d} INFO traitement du dossier {n}-{i} é à ü"
                        for i in range(rng.randint(5, 40))
                    )
                    out.write(f"      <system-out>{escape(log)}</system-out>\n")
                out.write("    </testcase>\n")
            out.write("  </testsuite>\n")
        out.write("</testsuites>\n")


if __name__ == "__main__":
    main()
