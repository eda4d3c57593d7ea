"""Variable values (--var, --var-file, tfvars files, namespace values), config discovery and
the namespace a template sees."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from pangea.cli.config import ConfigError, load_project
from pangea.cli.values import (
    CliVar,
    CliVarFile,
    ValuesError,
    VariableValues,
    conventional_files,
    parse_cli_values,
)

PASSWORD_TEMPLATE = """
from pangea import template, output, variable

@template
def documents():
    password = variable("master_password", type="string", sensitive=True)
    size = variable("size", type="number", default=1)
    output("size", size)
    output("secret", password, sensitive=True)
"""

SIZED = """
from pangea import template, output, variable, namespace

@template
def db():
    ns = namespace()
    output("instance_class", ns.settings["instance_class"])
    output("namespace", ns.name)
    output("size", variable("size", type="number", default=1))
"""

CONFIG = """
default_namespace: development
namespaces:
  development:
    state: {type: local}
    settings: {instance_class: db.t4g.medium}
    values: {size: 2}
  production:
    state: {type: local, path: prod-state}
    settings: {instance_class: db.r6g.large, replicas: [a, b]}
    values: {size: 3}
"""


def test_cli_values_keep_command_line_order_and_resolve_files(tmp_path):
    (tmp_path / "a.tfvars").write_text('x = "1"\n')
    parsed = parse_cli_values(
        [("var", "x=first"), ("var-file", "a.tfvars"), ("var", "y=a=b")], tmp_path
    )
    assert parsed == (
        CliVar("x", "first"),
        CliVarFile((tmp_path / "a.tfvars").resolve()),
        CliVar("y", "a=b"),
    )


@pytest.mark.parametrize("raw", ["novalue", "9bad=1", "=1"])
def test_malformed_var_is_refused_without_echoing_the_value(raw, tmp_path):
    with pytest.raises(ValuesError) as caught:
        parse_cli_values([("var", raw)], tmp_path)
    assert "NAME=VALUE" in str(caught.value)


def test_secret_in_a_malformed_var_is_not_echoed(tmp_path):
    with pytest.raises(ValuesError) as caught:
        parse_cli_values([("var", "bad name=hunter2")], tmp_path)
    assert "hunter2" not in str(caught.value)


def test_missing_var_file_names_the_path(tmp_path):
    with pytest.raises(ValuesError, match="--var-file nope.tfvars: no such file"):
        parse_cli_values([("var-file", "nope.tfvars")], tmp_path)


def test_conventional_files_follow_terraforms_order(tmp_path):
    for name in ("b.auto.tfvars", "terraform.tfvars.json", "a.auto.tfvars.json",
                 "terraform.tfvars", "other.tfvars", "x.auto.tfvars.bak"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in conventional_files(tmp_path)] == [
        "terraform.tfvars", "terraform.tfvars.json", "a.auto.tfvars.json", "b.auto.tfvars",
    ]


def test_terraform_arguments_in_precedence_order_and_only_for_declared(tmp_path):
    files = (tmp_path / "terraform.tfvars",)
    user_file = tmp_path / "prod.tfvars"
    values = VariableValues(
        files=files,
        namespace_values={"size": 2, "other": 1},
        cli=(CliVar("size", "5"), CliVarFile(user_file), CliVar("unrelated", "x")),
    )
    ns_file = tmp_path / "ns.json"
    assert values.terraform_args({"size"}, ns_file) == [
        f"-var-file={files[0]}", f"-var-file={ns_file}", "-var=size=5", f"-var-file={user_file}",
    ]
    assert values.namespace_file({"size"}) == {"size": 2}


def test_a_var_no_template_declares_is_an_error_with_a_suggestion():
    values = VariableValues(cli=(CliVar("master_pasword", "x"),))
    with pytest.raises(ValuesError) as caught:
        values.check_declared({"documents": {"master_password"}, "app": set()})
    message = str(caught.value)
    assert "did you mean 'master_password'" in message and "templates: app, documents" in message


def test_digest_changes_with_any_value_a_template_receives(tmp_path):
    base = VariableValues(cli=(CliVar("size", "1"),))
    assert base.digest({"size"}) != VariableValues(cli=(CliVar("size", "2"),)).digest({"size"})
    # A value for a variable the template does not declare does not touch its plan.
    assert base.digest(set()) == VariableValues().digest(set())


# --- pangea.yaml: settings, values, discovery ----------------------------------------------


def test_namespace_settings_and_values_are_read(tmp_path):
    (tmp_path / "pangea.yaml").write_text(CONFIG)
    project = load_project(tmp_path)
    prod = project.namespace("production")
    assert prod.settings == {"instance_class": "db.r6g.large", "replicas": ["a", "b"]}
    assert prod.values == {"size": 3}


@pytest.mark.parametrize(
    "body, expected",
    [
        ("values: {9x: 1}", "namespaces.a.values.9x: variable name '9x' is not a valid Terraform name"),
        ("settings: [1, 2]", "namespaces.a.settings: expected a mapping"),
        ("settings: {when: 2024-01-01}", "namespaces.a.settings.when: expected a string"),
        ("setings: {a: 1}", "did you mean 'settings'"),
    ],
)
def test_bad_settings_and_values_name_line_and_key(tmp_path, body, expected):
    (tmp_path / "pangea.yaml").write_text(f"namespaces:\n  a:\n    state: {{type: local}}\n    {body}\n")
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert expected in str(caught.value) and "pangea.yaml:4" in str(caught.value)


def test_config_is_found_by_walking_up(tmp_path):
    (tmp_path / "pangea.yaml").write_text(CONFIG)
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    project = load_project(sub)
    assert project.source == tmp_path / "pangea.yaml" and project.root == tmp_path
    assert project.work_root == tmp_path / ".pangea"


# --- the command ---------------------------------------------------------------------------


def test_every_command_says_which_config_namespace_and_state(project):
    project.write("pangea.yaml", CONFIG)
    project.write("infra.py", SIZED)
    result = project.run("list", "infra.py", "-n", "production")
    assert result.code == 0, result.err
    assert (
        f"config {project.root / 'pangea.yaml'}; namespace 'production'; "
        f"state local {project.root / 'prod-state'}" in result.err
    )


def test_without_config_the_command_says_so(project):
    project.write("infra.py", SIZED)
    result = project.run("list", "infra.py")
    assert f"no pangea.yaml in {project.root} or its parents" in result.err


def test_from_a_subdirectory_the_parent_config_and_its_namespaces_apply(project, monkeypatch):
    project.write("pangea.yaml", CONFIG)
    project.write("infra.py", SIZED)
    sub = project.root / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    result = project.run("validate", "../infra.py", "-n", "staging")
    assert result.code == 3
    assert "namespace 'staging' is not declared" in result.err
    assert "declared: development, production" in result.err
    assert not (sub / ".pangea").exists()


def test_templates_read_the_namespace_and_its_settings(project):
    project.write("pangea.yaml", CONFIG)
    project.write("infra.py", SIZED)
    dev = project.run("synth", "infra.py")
    prod = project.run("synth", "infra.py", "-n", "production")
    assert json.loads(dev.out)["db"]["output"]["instance_class"]["value"] == "db.t4g.medium"
    assert json.loads(prod.out)["db"]["output"]["instance_class"]["value"] == "db.r6g.large"
    assert json.loads(prod.out)["db"]["output"]["namespace"]["value"] == "production"


def test_a_missing_setting_names_the_namespace_and_where_to_add_it(project):
    project.write("pangea.yaml", CONFIG)
    project.write("infra.py", SIZED.replace('["instance_class"]', '["instance_klass"]'))
    result = project.run("synth", "infra.py")
    assert result.code == 3
    assert "namespace 'development' has no setting 'instance_klass'" in result.err
    assert "did you mean 'instance_class'" in result.err
    assert "namespaces.development.settings" in result.err
    assert "infra.py:6: template 'db'" in result.err


def test_namespace_outside_the_command_is_default_and_settable():
    import pangea
    from pangea import NamespaceInfo, using_namespace

    assert pangea.namespace().name == "default" and dict(pangea.namespace().settings) == {}
    with using_namespace(NamespaceInfo("production", {"size": 3})) as info:
        assert pangea.namespace() is info and info.setting("size") == 3
        assert info.setting("missing", None) is None
    assert pangea.namespace().name == "default"


@pytest.mark.terraform
def test_readme_password_variable_gets_its_value_from_var(tf_project):
    tf_project.write("infra.py", PASSWORD_TEMPLATE)
    missing = tf_project.run("plan", "infra.py")
    assert missing.code == 1
    assert "--var NAME=VALUE" in missing.err and "TF_VAR_NAME" in missing.err

    result = tf_project.run("plan", "infra.py", "--var", "master_password=hunter2-secret")
    assert result.code == 2, result.err
    assert "hunter2-secret" not in result.out + result.err

    typo = tf_project.run("plan", "infra.py", "--var", "master_pasword=x")
    assert typo.code == 3 and "did you mean 'master_password'" in typo.err


@pytest.mark.terraform
def test_value_precedence_files_namespace_then_command_line(tf_project):
    tf_project.write("infra.py", SIZED)
    tf_project.write("pangea.yaml", CONFIG)  # development: size 2
    tf_project.write("terraform.tfvars", "size = 7\n")
    tf_project.write("z.auto.tfvars.json", '{"size": 8}\n')

    def planned_size(*extra):
        result = tf_project.run("apply", "infra.py", "--auto-approve", *extra)
        assert result.code == 0, result.err
        return json.loads(tf_project.run("output", "infra.py", "--json").out)["db"]["size"]["value"]

    assert planned_size() == 2  # namespace values beat the shared tfvars files
    tf_project.write("late.tfvars", "size = 9\n")
    assert planned_size("--var", "size=4", "--var-file", "late.tfvars") == 9
    assert planned_size("--var-file", "late.tfvars", "--var", "size=4") == 4
