"""module(): sources, typed inputs and outputs of local modules (read from their variable and
output declarations), meta-arguments, and a real Terraform run of a local module."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pangea import PangeaError, module, output, provider, terraform_data
from pangea.language import hcl
from pangea.vartypes import parse_type

GREET_TF = '''
# a comment, with "quotes" and { braces }
variable "name" {
  type        = string
  description = "who to greet"
}

variable "punctuation" {
  type    = string
  default = "!"
  validation {
    condition     = length(var.punctuation) == 1   // one character
    error_message = "One character, e.g. \\"!\\"."
  }
}

variable "servers" {
  type = map(object({
    size  = number
    zones = optional(list(string), ["a"])
  }))
  default = {}
}

/* a block comment
   variable "not_real" { }
*/
output "greeting" {
  value = "hello ${var.name}${var.punctuation}"
}

output "secret" {
  value     = <<-EOT
    ${var.name} } { "
  EOT
  sensitive = true
}

locals { sizes = { for k, v in var.servers : k => v.size } }

output "sizes" { value = local.sizes }
'''


@pytest.fixture
def greet(tmp_path: Path) -> Path:
    directory = tmp_path / "modules" / "greet"
    directory.mkdir(parents=True)
    (directory / "main.tf").write_text(GREET_TF)
    (directory / "extra.tf.json").write_text(
        '{"variable": {"tags": {"type": "map(string)", "default": {}}},'
        ' "output": {"tag_count": {"value": "${length(var.tags)}"}}}')
    return directory


def test_reader_finds_variables_and_outputs(greet: Path) -> None:
    interface = hcl.read_module(greet)
    assert sorted(interface.variables) == ["name", "punctuation", "servers", "tags"]
    name = interface.variables["name"]
    assert (name.required, name.type, name.description) == (True, "string", "who to greet")
    assert interface.variables["punctuation"].required is False
    assert interface.variables["tags"].type == "map(string)"
    assert sorted(interface.outputs) == ["greeting", "secret", "sizes", "tag_count"]
    assert interface.outputs["secret"].sensitive is True
    servers = parse_type(interface.variables["servers"].type)
    assert str(servers) == "map(object({size = number, zones = optional(list(string))}))"


def test_reader_reports_broken_files(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('variable "x" {\n  type = string\n')
    with pytest.raises(hcl.HclSyntaxError, match="main.tf"):
        hcl.read_module(tmp_path)


def _template(greet: Path, body: str) -> str:
    return textwrap.dedent(f"""
        from pangea import module, output, template, terraform_data

        @template
        def app():
    """) + textwrap.indent(textwrap.dedent(body), "    ")


def test_local_module_end_to_end(greet: Path, tmp_path: Path, synth_one, workdir) -> None:
    path = tmp_path / "infra.py"
    path.write_text(_template(greet, """
        hello = module("hello", source="./modules/greet", name="world",
                       servers={"web": {"size": 2}})
        many = module("many", source="./modules/greet", for_each={"a": "x", "b": "y"},
                      name=tf_each_value())
        output("greeting", hello.greeting)
        output("sizes", hello.sizes)
        output("b", many["b"].greeting)
        output("secret", hello.secret, sensitive=True)
    """).replace("from pangea import", "from pangea import each_value as tf_each_value,"))
    config = synth_one(path)
    assert config["module"]["hello"] == {"name": "world", "servers": {"web": {"size": 2}},
                                         "source": str(greet)}
    assert config["module"]["many"]["for_each"] == {"a": "x", "b": "y"}
    assert config["module"]["many"]["name"] == "${each.value}"
    assert config["output"]["b"] == {"value": '${module.many["b"].greeting}'}
    workdir.write(config)
    workdir.tf("init", "-input=false")
    workdir.apply()
    outputs = workdir.outputs()
    assert outputs["greeting"] == "hello world!"
    assert outputs["sizes"] == {"web": 2}
    assert outputs["b"] == "hello y!"


def _error(tmp_path: Path, body: str) -> str:
    import pangea

    path = tmp_path / "bad.py"
    path.write_text(_template(tmp_path, body))
    with pytest.raises(PangeaError) as info:
        pangea.synth(path)
    return str(info.value)


def test_unknown_and_missing_inputs_name_the_module_and_fix(greet: Path, tmp_path: Path) -> None:
    message = _error(tmp_path, """
        module("hello", source="./modules/greet", nmae="world")
    """)
    assert "module.hello" in message
    assert "declares no variable 'nmae'; did you mean name?" in message
    assert "name: is required by the module (main.tf:3, type string) (who to greet); " \
           "pass name=..." in message
    assert "bad.py:7" in message  # the user's line


def test_literal_of_the_wrong_type(greet: Path, tmp_path: Path) -> None:
    message = _error(tmp_path, """
        module("hello", source="./modules/greet", name="w", servers={"web": {"size": "big"}})
    """)
    assert "servers['web'].size: must be a number (got \"big\") (the module's variable has " \
           "type map(object({size = number, zones = optional(list(string))})))" in message


def test_unknown_output(greet: Path, tmp_path: Path) -> None:
    message = _error(tmp_path, """
        hello = module("hello", source="./modules/greet", name="w")
        output("x", hello.greting)
    """)
    assert "has no output 'greting'. Did you mean greeting?" in message


def test_sources_and_versions(tmp_path: Path, run_template) -> None:
    def registry():
        vpc = module("vpc", source="terraform-aws-modules/vpc/aws", version="~> 5.8",
                     cidr="10.0.0.0/16", azs=["eu-west-1a"])
        output("vpc_id", vpc.vpc_id)  # unknown module: any output name

    config = run_template(registry)
    assert config["module"]["vpc"] == {"azs": ["eu-west-1a"], "cidr": "10.0.0.0/16",
                                       "source": "terraform-aws-modules/vpc/aws",
                                       "version": "~> 5.8"}
    assert config["output"]["vpc_id"] == {"value": "${module.vpc.vpc_id}"}

    def git_with_version():
        module("net", source="git::https://example.com/net.git?ref=v1.2.0", version="1.2.0")

    with pytest.raises(PangeaError, match="version is only for registry modules"):
        run_template(git_with_version)

    def missing_local():
        module("net", source="./does/not/exist")

    with pytest.raises(PangeaError, match="local module directory .* does not exist"):
        run_template(missing_local)

    def bad_version():
        module("vpc", source="terraform-aws-modules/vpc/aws", version="latest")

    with pytest.raises(PangeaError, match="is not a version constraint"):
        run_template(bad_version)


def test_meta_arguments(run_template) -> None:
    def body():
        west = provider("aws", region="us-west-2", alias="west")
        first = terraform_data("first")
        terraform_data("other")  # a depends_on address must be declared (Terraform checks it)
        module("net", source="app.terraform.io/acme/net/aws", version="1.0.0", count=2,
               depends_on=[first, "terraform_data.other"], providers={"aws": west},
               for_="keyword input")

    config = run_template(body)["module"]["net"]
    assert config["count"] == 2
    assert config["depends_on"] == ["terraform_data.first", "terraform_data.other"]
    assert config["providers"] == {"aws": "aws.west"}
    assert config["for"] == "keyword input"

    def both():
        module("net", source="acme/net/aws", count=1, for_each={"a": "b"})

    with pytest.raises(PangeaError, match="count and for_each cannot both be set"):
        run_template(both)


def test_sensitive_module_output_in_a_plain_output_warns(greet: Path, tmp_path: Path) -> None:
    import pangea

    path = tmp_path / "warned.py"
    path.write_text(_template(tmp_path, """
        hello = module("hello", source="./modules/greet", name="w")
        output("shown", hello.secret)
        output("hidden", hello.secret, sensitive=True)
    """))
    result = pangea.synthesize(path)
    [warning] = result.diagnostics
    assert warning.code == "sensitive-module-output" and warning.address == "output.shown"
    assert "module.hello.secret, which the module marks sensitive" in warning.render()
    with pytest.raises(PangeaError, match="an error in strict mode"):
        pangea.synthesize(path, strict=True)


def test_synth_out_writes_local_module_sources_relative(greet: Path, tmp_path: Path,
                                                        monkeypatch, terraform) -> None:
    import io
    import json
    import shutil
    import subprocess

    from pangea.cli import main
    from pangea.cli.console import Console

    (tmp_path / "infra.py").write_text(_template(tmp_path, """
        hello = module("hello", source="./modules/greet", name="moved")
        output("greeting", hello.greeting)
    """))
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = main(["synth", "infra.py", "--out", "build"], console=Console(out=out, err=err,
                                                                         stdin=io.StringIO()))
    assert code == 0, err.getvalue()
    written = json.loads((tmp_path / "build" / "app" / "main.tf.json").read_text())
    assert written["module"]["hello"]["source"] == "../../modules/greet"
    copy = tmp_path.parent / (tmp_path.name + "-copy")
    shutil.copytree(tmp_path, copy)
    shutil.rmtree(tmp_path / "modules")  # only the copy's module is left
    workdir = copy / "build" / "app"
    (workdir / "backend.tf.json").unlink()  # this test is about the module path only
    env = {"TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", "PATH": "/usr/bin:/bin"}
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        run = subprocess.run([terraform, *args, "-no-color"], cwd=workdir, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
    shown = subprocess.run([terraform, "output", "-raw", "greeting"], cwd=workdir, env=env,
                           capture_output=True, text=True, timeout=60)
    assert shown.stdout == "hello moved!"


def test_reader_edge_cases(tmp_path: Path) -> None:
    (tmp_path / "a.tf").write_text(
        'variable "one_line" { type = string }\r\n'
        'variable "directive" {\r\n'
        '  default = "%{ if true }yes%{ endif } ${join(",", ["a", "b"])}"\r\n'
        '}\r\n'
        'output "heredoc" {\n'
        '  value = <<EOT\n'
        'a } " { ${var.one_line}\n'
        'EOT\n'
        '}\n'
        'variable "escaped" {\n'
        '  default     = "$${not_interpolated} \\" }"\n'
        '  description = "quote \\" inside"\n'
        '  type        = object({ a = string, b = optional(number, 1) })\n'
        '}\n')
    interface = hcl.read_module(tmp_path)
    assert interface.variables["one_line"].type == "string"
    assert interface.variables["one_line"].required is True
    assert interface.variables["directive"].required is False
    assert interface.variables["escaped"].description == 'quote " inside'
    assert str(parse_type(interface.variables["escaped"].type)) == \
        "object({a = string, b = optional(number)})"
    assert list(interface.outputs) == ["heredoc"]
