#!/usr/bin/env python3
"""Checks that a ReqIF file parses with the independent Python `reqif` package (strictdoc).

Usage:  python3 scripts/check_reqif.py FILE.reqif [...]
Needs:  pip install --user reqif   (or inside a venv: python3 -m venv .venv && .venv/bin/pip install reqif)

Used to check recette's ReqIF writer against a third-party reader; cargo test does not depend
on it. Prints the specification tree (chapters and requirement identifiers) and exits 1 on any
parse error.
"""
import sys

try:
    from reqif.parser import ReqIFParser
except ImportError:
    sys.exit("the Python package `reqif` is missing: pip install --user reqif")


def main(paths):
    status = 0
    for path in paths:
        try:
            bundle = ReqIFParser.parse(path)
        except Exception as e:  # the parser raises several kinds; report them all the same way
            print(f"{path}: ERROR {type(e).__name__}: {e}")
            status = 1
            continue
        content = bundle.core_content.req_if_content
        objects = {o.identifier: o for o in (content.spec_objects or [])}
        print(f"{path}: OK — {len(content.data_types or [])} datatypes, "
              f"{len(content.spec_types or [])} spec types, {len(objects)} spec objects, "
              f"{len(content.specifications or [])} specification(s)")

        def label(obj):
            for value in obj.attributes:
                ref = value.definition_ref
                if ref in ("AD-FOREIGNID", "AD-CHAPTERNAME") or "FOREIGN" in ref.upper() or "CHAPTER" in ref.upper():
                    return value.value
            return obj.identifier

        def walk(node, depth):
            for child in node.children or []:
                obj = objects.get(child.spec_object)
                print("  " * depth + "- " + (label(obj) if obj else f"? {child.spec_object}"))
                walk(child, depth + 1)

        for spec in content.specifications or []:
            print(f"  specification {spec.long_name!r}")
            walk(spec, 2)
    return status


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
