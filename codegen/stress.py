"""Exercise a generated package on every type it has: import each module, call each function
with synthesized values for its required arguments inside a template, and check the JSON
against the provider schema.

Run in a process whose ``pangea_aws`` is the package under test:
    PYTHONPATH=OUT python -m codegen.stress --schema SCHEMA.json
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path


def _call_source(model) -> str:
    from codegen.pipeline.examples import required_arguments

    kwargs = required_arguments(model)
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"{model.function_name}('example'{', ' if args else ''}{args})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen.stress")
    parser.add_argument("--schema", type=Path, required=True)
    parser.add_argument("--source", default="registry.terraform.io/hashicorp/aws")
    parser.add_argument("--package", default="pangea_aws",
                        help="the generated package under test (pangea_<provider>)")
    parser.add_argument("--overrides", type=Path, default=None,
                        help="the override directory the package was generated with")
    args = parser.parse_args(argv)

    import importlib

    package = importlib.import_module(args.package)

    from codegen.pipeline.generate import build_models
    from codegen.inputs.schema import parse_provider_schema
    from codegen.inputs.shapes import ShapeLock
    from pangea.context import TemplateContext
    from pangea.errors import PangeaError
    from pangea.schema_check import check_config, lookup_from_provider_schema
    from pangea.template import variable

    from codegen.inputs.targets import read_schema_bytes

    schema = parse_provider_schema(read_schema_bytes(args.schema), args.source, args.schema)
    lookup = lookup_from_provider_schema(schema.document)  # the same parsed document
    failures: list[str] = []
    counts = {"resource": 0, "data": 0}
    started = time.perf_counter()
    for kind, table in (("resource", schema.resources), ("data", schema.data_sources)):
        models = build_models(schema, [(kind, t) for t in sorted(table)], ShapeLock(None),
                              args.overrides)
        for model in models:
            type_name = model.type_name
            function = getattr(package, model.function_name)
            ctx = TemplateContext(f"stress_{type_name}", None, {})
            token = ctx.activate()
            try:
                eval(_call_source(model), {model.function_name: function, "variable": variable})
                config = ctx.config(lambda name: {})
            except PangeaError as exc:
                failures.append(f"{kind} {type_name}: {exc}")
                continue
            finally:
                ctx.deactivate(token)
            problems = check_config(config, lookup)
            if problems:
                failures.append(f"{kind} {type_name}: " + "; ".join(map(str, problems)))
            counts[kind] += 1
    elapsed = time.perf_counter() - started
    print(f"checked {counts['resource']} resources and {counts['data']} data sources "
          f"in {elapsed:.1f} s; {len(failures)} failed")
    for line in failures[:50]:
        print("  " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    # A batch run whose models, modules and classes live until the process ends: the cycle
    # collector would walk them again and again for nothing (a third of the run).
    gc.disable()
    sys.exit(main())
