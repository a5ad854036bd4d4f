#!/usr/bin/env python3
"""Reads a JUnit file with junitparser (JUnitXml.fromfile, then every case of every suite),
the way a Python tool would, and prints the number of cases and the elapsed time.

Usage: python3 bench/py_junitparser.py FILE
"""

import sys
import time

from junitparser import JUnitXml, TestSuite


def main():
    start = time.perf_counter()
    xml = JUnitXml.fromfile(sys.argv[1])
    suites = [xml] if isinstance(xml, TestSuite) else list(xml)
    cases = failed = skipped = 0
    for suite in suites:
        for case in suite:
            cases += 1
            # Touch what an importer needs: names, time, result and its message/text.
            _ = (case.classname, case.name, case.time)
            for r in case.result:
                if r._tag in ("failure", "error"):
                    failed += 1
                elif r._tag == "skipped":
                    skipped += 1
                _ = (r.message, r.text)
            _ = case.system_out
    elapsed = time.perf_counter() - start
    print(f"junitparser cases={cases} failed={failed} skipped={skipped} seconds={elapsed:.2f}")


if __name__ == "__main__":
    main()
