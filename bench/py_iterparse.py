#!/usr/bin/env python3
"""Reads a JUnit file with xml.etree.ElementTree.iterparse (streaming, each testcase cleared
once read): the fastest plain-Python reading, without any persistence.

Usage: python3 bench/py_iterparse.py FILE
"""

import sys
import time
import xml.etree.ElementTree as ET


def main():
    start = time.perf_counter()
    cases = failed = skipped = 0
    for _event, elem in ET.iterparse(sys.argv[1], events=("end",)):
        if elem.tag != "testcase":
            if elem.tag == "testsuite":
                elem.clear()
            continue
        cases += 1
        _ = (elem.get("classname"), elem.get("name"), elem.get("time"))
        for child in elem:
            if child.tag in ("failure", "error"):
                failed += 1
                _ = (child.get("message"), child.text)
            elif child.tag == "skipped":
                skipped += 1
            elif child.tag == "properties":
                for p in child:
                    _ = (p.get("name"), p.get("value"))
        elem.clear()
    elapsed = time.perf_counter() - start
    print(f"iterparse cases={cases} failed={failed} skipped={skipped} seconds={elapsed:.2f}")


if __name__ == "__main__":
    main()
