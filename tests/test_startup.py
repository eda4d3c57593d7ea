"""What a synthesis process loads: pydantic-core's compiled module alone (with a fallback to the
package), no PyYAML without a pangea.yaml, no Terraform-running code for synth/validate.

Each check runs in a fresh interpreter: a PyO3 extension is initialised once per process, and
what is imported is a property of the whole process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

TEMPLATE = """
from pangea import template
from pangea_aws import aws_docdb_cluster

@template
def app():
    aws_docdb_cluster("main", cluster_identifier="app", master_username="admin",
                      manage_master_user_password=True, skip_final_snapshot=True)
"""


def _python(code: str, cwd: Path, **env: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON document."""
    environ = {k: v for k, v in os.environ.items() if k != "PANGEA_PYDANTIC_CORE"}
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, env={
        **environ, **env}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


SYNTH_AND_REPORT = """
    import json, sys
    import pangea
    from pangea import _core
    config = pangea.synth("infra.py")
    assert config["app"]["resource"]["aws_docdb_cluster"]["main"]["cluster_identifier"] == "app"
    try:
        from pangea_aws import aws_docdb_cluster
        from pangea.template import Template
        Template(lambda: aws_docdb_cluster("x", cluster_identifier="BAD!", skip_final_snapshot=True,
                                           master_username="a", manage_master_user_password=True),
                 "t")()
    except pangea.ValidationError as exc:
        error = str(exc)
    print(json.dumps({"how": _core.LOADED_AS, "error": error,
                      "core_schema": "pydantic_core.core_schema" in sys.modules,
                      "package": "pydantic_core" in sys.modules}))
"""


def test_synthesis_loads_only_the_compiled_extension(tmp_path: Path) -> None:
    (tmp_path / "infra.py").write_text(TEMPLATE)
    found = _python(SYNTH_AND_REPORT, tmp_path)
    assert found["how"] == "extension module alone"
    assert not found["core_schema"] and not found["package"]
    assert "cluster_identifier: has the wrong format" in found["error"]


def test_the_package_import_is_the_fallback_and_gives_the_same_results(tmp_path: Path) -> None:
    (tmp_path / "infra.py").write_text(TEMPLATE)
    alone = _python(SYNTH_AND_REPORT, tmp_path)
    package = _python(SYNTH_AND_REPORT, tmp_path, PANGEA_PYDANTIC_CORE="package")
    assert package["how"] == "package" and package["core_schema"]
    assert package["error"] == alone["error"]


def test_an_unknown_layout_falls_back_to_the_package(tmp_path: Path) -> None:
    found = _python("""
        import importlib.util, json, sys
        real = importlib.util.find_spec
        importlib.util.find_spec = lambda name, *a: None if name == "pydantic_core" else real(name, *a)
        from pangea import _core
        importlib.util.find_spec = real
        print(json.dumps({"how": _core.LOADED_AS}))
    """, tmp_path)
    assert found["how"] == "package"


def test_pydantic_imported_later_shares_the_loaded_extension(tmp_path: Path) -> None:
    found = _python("""
        import json
        from pangea import _core
        import pydantic_core
        print(json.dumps({"same": pydantic_core.SchemaValidator is _core.SchemaValidator}))
    """, tmp_path)
    assert found == {"same": True}


def test_cli_synth_loads_no_yaml_and_no_terraform_code_without_a_config(tmp_path: Path) -> None:
    (tmp_path / "infra.py").write_text(TEMPLATE)
    found = _python("""
        import json, sys
        from pangea.cli import main
        from pangea.cli.console import Console
        import io
        out, err = io.StringIO(), io.StringIO()
        code = main(["synth", "infra.py", "--out", "build"], Console(out=out, err=err))
        print(json.dumps({"code": code, "yaml": "yaml" in sys.modules,
                          "deploy": "pangea.cli.deploy" in sys.modules,
                          "steps": "pangea.cli.steps" in sys.modules}))
    """, tmp_path)
    assert found == {"code": 0, "yaml": False, "deploy": False, "steps": False}
    assert (tmp_path / "build" / "app" / "main.tf.json").is_file()


def test_a_synthesis_imports_no_dataclasses_or_difflib_and_compiles_only_needed_patterns(
        tmp_path: Path) -> None:
    """Both modules and regular-expression compilation cost start-up time that a template
    without mistakes never needs (difflib words suggestions; a type's patterns are compiled
    for the attributes a call sets)."""
    (tmp_path / "infra.py").write_text(TEMPLATE)
    found = _python("""
        import json, re, sys
        compiled = []
        real = re._compile
        re._compile = lambda pattern, flags: (compiled.append(pattern), real(pattern, flags))[1]
        import pangea
        from pangea_aws.resources import aws_docdb_cluster as module
        from pangea import vartypes, sensitivity
        at_import = set(compiled)
        pangea.synth("infra.py")
        patterns = {r.regex for r in module.AwsDocdbClusterArgs._rules if hasattr(r, "regex")}
        lazy = {vartypes._TOKEN._source[0], sensitivity._VAR._source[0]}
        print(json.dumps({"dataclasses": "dataclasses" in sys.modules,
                          "difflib": "difflib" in sys.modules,
                          "at_import": sorted((patterns | lazy) & at_import),
                          "rule_patterns": sorted(patterns & set(compiled))}))
    """, tmp_path)
    assert not found["dataclasses"] and not found["difflib"]
    assert found["at_import"] == []
    # the template sets cluster_identifier and master_username, whose rules have patterns;
    # pydantic-core checks both in Rust (pangea.typed_body), so Python compiles neither
    assert found["rule_patterns"] == []


def test_a_synthesis_does_not_import_typing(tmp_path: Path) -> None:
    """typing is about a tenth of pangea's import cost: the synthesis path imports it only for
    type checkers (pangea._typing stands in for NamedTuple, cast and overload). Nor does it
    load the math and zlib extensions (each a shared library to open, 0.2-0.3 ms), twice:
    the second run reads the template's code from the cache."""
    (tmp_path / "infra.py").write_text(TEMPLATE)
    for _ in range(2):
        found = _python("""
            import json, sys
            import pangea
            config = pangea.synth("infra.py")
            print(json.dumps({name: name in sys.modules for name in ("typing", "math", "zlib")}
                             | {"written": sorted(config["app"]["resource"]["aws_docdb_cluster"])}))
        """, tmp_path)
        assert found == {"typing": False, "math": False, "zlib": False, "written": ["main"]}


def test_a_plain_synthesis_imports_only_the_modules_it_uses(tmp_path: Path) -> None:
    """Variables, outputs, count/for_each and resource()/data() import their modules when
    first used; a template without them does not pay for those modules."""
    (tmp_path / "infra.py").write_text(TEMPLATE)
    lazy = ["pangea.generic", "pangea.language.iteration", "pangea.sensitivity",
            "pangea.vartypes"]
    found = _python(f"""
        import json, sys
        import pangea
        pangea.synth("infra.py")
        print(json.dumps(sorted(m for m in {lazy!r} if m in sys.modules)))
    """, tmp_path)
    assert found == []
    (tmp_path / "more.py").write_text(textwrap.dedent("""
        from pangea import count_index, output, resource, template, variable
        from pangea_aws import aws_docdb_cluster_instance

        @template
        def app():
            size = variable("size", type="number", default=2)
            for_all = aws_docdb_cluster_instance("i", count=size, identifier=f"db-{count_index()}",
                                                 cluster_identifier="c",
                                                 instance_class="db.r6g.large")
            resource("aws_sns_topic", "t", name="x")
            output("first", for_all.id)
    """))
    found = _python(f"""
        import json, sys
        import pangea
        config = pangea.synth("more.py")["app"]
        print(json.dumps({{"loaded": sorted(m for m in {lazy!r} if m in sys.modules),
                          "count": config["resource"]["aws_docdb_cluster_instance"]["i"]["count"],
                          "identifier": config["resource"]["aws_docdb_cluster_instance"]["i"][
                              "identifier"],
                          "variable": config["variable"]["size"]}}))
    """, tmp_path)
    assert found == {"loaded": lazy, "count": "${var.size}", "identifier": "db-${count.index}",
                     "variable": {"type": "number", "default": 2}}


def test_the_extension_loads_without_the_datetime_module_and_leaves_the_real_one(
        tmp_path: Path) -> None:
    """pydantic-core's extension is given _datetime (the C module) for the datetime C API while
    it initialises; afterwards `import datetime` is the real module, with the same classes,
    and datetimes validate. A process that imported datetime first keeps its module."""
    check = """
        import json, sys
        {first}
        from pangea import _core
        during = sys.modules.get("datetime")
        import datetime, _datetime
        value = _core.SchemaValidator({{"type": "datetime"}}).validate_python("2024-05-06T07:08:09Z")
        print(json.dumps({{"before_import": during is not None and during.__name__,
                          "real": datetime.__name__ == "datetime" and hasattr(datetime, "__file__"),
                          "same_classes": datetime.datetime is _datetime.datetime,
                          "value": value.isoformat(), "how": _core.LOADED_AS}}))
    """
    alone = _python(check.format(first=""), tmp_path)
    assert alone == {"before_import": False, "real": True, "same_classes": True,
                     "value": "2024-05-06T07:08:09+00:00", "how": "extension module alone"}
    first = _python(check.format(first="import datetime"), tmp_path)
    assert first == {**alone, "before_import": "datetime"}


def test_cli_synth_and_validate_of_typed_templates_load_only_what_they_use(
        tmp_path: Path) -> None:
    """Typed bodies were checked when declared, so the schema check (and the schema) is not
    loaded; the Terraform-running module, dataclasses, tempfile, hashlib, threading, typing and
    shutil (which argparse would import for the terminal width) are left to the commands that
    use them."""
    (tmp_path / "infra.py").write_text(TEMPLATE)
    unused = ["pangea.schema_check", "pangea.schema_doc", "pangea_aws._schema",
              "pangea.cli.terraform", "pangea.cli.workspace", "pangea.cli.state_files",
              "dataclasses", "difflib", "tempfile", "hashlib", "subprocess", "threading",
              "typing", "shutil"]
    for argv in (["synth", "infra.py", "--out", "build"], ["validate", "infra.py"]):
        found = _python(f"""
            import io, json, sys
            from pangea.cli import main
            from pangea.cli.console import Console
            out, err = io.StringIO(), io.StringIO()
            code = main({argv!r}, Console(out=out, err=err))
            print(json.dumps({{"code": code,
                              "loaded": [m for m in {unused!r} if m in sys.modules]}}))
        """, tmp_path)
        assert found == {"code": 0, "loaded": []}, argv


def test_without_the_editable_install_finder_a_synthesis_imports_no_pathlib(
        tmp_path: Path) -> None:
    """The development venv's editable-install finder imports pathlib (and re, enum,
    importlib.util) into every process, hiding what pangea itself pulls in; `python -S` with
    the same paths shows a regular install. pathlib (17M instructions with its imports) is
    only for the commands' paths, not for a synthesis."""
    import pangea
    import pangea_aws
    import pydantic_core

    paths = [str(Path(m.__file__).parents[1]) for m in (pangea, pangea_aws, pydantic_core)]
    (tmp_path / "infra.py").write_text(TEMPLATE)
    result = subprocess.run([sys.executable, "-S", "-c", textwrap.dedent(f"""
        import json, sys
        sys.path[:0] = {paths!r}
        import pangea
        config = pangea.synth("infra.py")
        print(json.dumps({{name: name in sys.modules for name in
                          ("pathlib", "typing", "dataclasses", "difflib", "pangea_aws")}}))
    """)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"pathlib": False, "typing": False, "dataclasses": False,
                                         "difflib": False, "pangea_aws": True}
