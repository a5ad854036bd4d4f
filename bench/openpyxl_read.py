#!/usr/bin/env python3
"""Baseline for bench/bench_import.sh: openpyxl in read-only mode merely reading every cell of
every sheet of a workbook (no validation, no storage). Prints the number of cells read.

    python3 bench/openpyxl_read.py target/bench/cahier_100k.xlsx
"""

import sys

import openpyxl


def main(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if value is not None:
                    cells += 1
    wb.close()
    print(f"{cells} cells read")


if __name__ == "__main__":
    main(sys.argv[1])
