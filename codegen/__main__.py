"""python -m codegen generate|diff ..."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.errors import GeneratorError


def _generate(argv: list[str]) -> int:
    from codegen.model import SCHEMA_ONLY
    from codegen.pipeline.generate import PROJECT, Options, generate

    parser = argparse.ArgumentParser(
        prog="python -m codegen generate",
        description="Generate pangea_aws and its docs from the pinned provider schema.")
    parser.add_argument("--schema-dir", type=Path, default=PROJECT / "provider_schema",
                        help="directory holding the pinned schema file, as .json or .json.xz "
                             "(default: provider_schema/, where the pins are committed)")
    parser.add_argument("--targets", type=Path, default=PROJECT / "provider_schema" / "targets.yaml")
    parser.add_argument("--group", default="databases", help="target group to generate")
    parser.add_argument("--all", action="store_true",
                        help="every resource type and data source of the schema (needs --out)")
    parser.add_argument("--schema-only", action="store_true",
                        help="every type outside the group, from the schema alone, into "
                             "generated/pangea_aws/schema_only (what make install builds)")
    parser.add_argument("--out", type=Path, help="output directory (default: generated/)")
    parser.add_argument("--overrides", type=Path, default=PROJECT / "overrides")
    parser.add_argument("--check", action="store_true",
                        help="do not write; fail with a diff if the output directory is stale")
    args = parser.parse_args(argv)
    if args.all and args.schema_only:
        parser.error("--all and --schema-only exclude each other")
    default_out = PROJECT / "generated"
    if args.schema_only:
        default_out = default_out / "pangea_aws" / SCHEMA_ONLY
    out = args.out or default_out
    if args.all and args.out is None:
        parser.error("--all writes the whole provider; give an --out directory outside generated/")
    if args.all and out.resolve() == (PROJECT / "generated").resolve():
        parser.error("--all must not write into generated/ (the committed package)")
    options = Options(
        schema_dir=args.schema_dir, targets_path=args.targets, overrides_dir=args.overrides,
        out=out, group=None if args.all else args.group, all_types=args.all, check=args.check,
        schema_only=args.schema_only,
        lock_path=None if args.all or args.schema_only
        else PROJECT / "provider_schema" / "shapes.lock.json",
        accept_shape_changes=bool(int(__import__("os").environ.get("ACCEPT_SHAPE_CHANGES", "0") or 0)))
    code, lines = generate(options)
    stream = sys.stdout if code == 0 else sys.stderr
    for line in lines:
        print(line, file=stream)
    return code


def _diff(argv: list[str]) -> int:
    # imported only for this command: generate does not pay for the bump tooling
    from codegen.bump.diff import main_diff

    return main_diff(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"generate": _generate, "diff": _diff}
    if not argv or argv[0] not in commands:
        print(f"usage: python -m codegen {{{'|'.join(commands)}}} [options]  (--help per command)",
              file=sys.stderr)
        return 2
    try:
        return commands[argv[0]](argv[1:])
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
