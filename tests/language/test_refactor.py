"""moved, import_, removed and check: the JSON, the address checks, and real Terraform runs
(terraform_data needs no provider download)."""

from __future__ import annotations

import pytest

import pangea
from pangea import PangeaError, check, import_, moved, removed, terraform_data, tf


def test_moved_renames_without_replacing(template_file, synth_one, workdir) -> None:
    first = template_file("""
        from pangea import output, template, terraform_data

        @template
        def app():
            old = terraform_data("old", input="kept")
            output("id", old.id)
    """)
    workdir.write(synth_one(first))
    workdir.tf("init", "-input=false")
    workdir.apply()
    before = workdir.outputs()["id"]

    second = template_file("""
        from pangea import moved, output, template, terraform_data

        @template
        def app():
            new = terraform_data("new", input="kept")
            moved(from_="terraform_data.old", to=new)
            output("id", new.id)
    """, name="renamed.py")
    config = synth_one(second)
    assert config["moved"] == [{"from": "terraform_data.old", "to": "terraform_data.new"}]
    assert config["terraform"]["required_version"] == ">= 1.4"  # terraform_data: 1.4
    workdir.write(config)
    plan = workdir.tf("plan", "-input=false")
    assert "has moved to terraform_data.new" in plan.out
    assert "0 to add, 0 to change, 0 to destroy" in plan.out
    workdir.apply()
    assert workdir.outputs()["id"] == before  # the same object, not a replacement
    assert workdir.tf("state", "list").out.split() == ["terraform_data.new"]


@pytest.mark.parametrize("destroy", [False, True])
def test_removed_forgets_or_destroys(template_file, synth_one, workdir, destroy: bool) -> None:
    first = template_file("""
        from pangea import template, terraform_data

        @template
        def app():
            terraform_data("gone", input="x")
            terraform_data("stays", input="y")
    """)
    workdir.write(synth_one(first))
    workdir.tf("init", "-input=false")
    workdir.apply()
    second = template_file(f"""
        from pangea import removed, template, terraform_data

        @template
        def app():
            terraform_data("stays", input="y")
            removed(from_="terraform_data.gone", destroy={destroy})
    """, name="removed.py")
    config = synth_one(second)
    assert config["removed"] == [{"from": "terraform_data.gone",
                                  "lifecycle": {"destroy": destroy}}]
    assert config["terraform"]["required_version"] == ">= 1.7"
    workdir.write(config)
    plan = workdir.tf("plan", "-input=false")
    if destroy:
        assert "0 to add, 0 to change, 1 to destroy" in plan.out
    else:
        assert "will no longer be managed by Terraform" in plan.out
        assert "0 to destroy" in plan.out
    workdir.apply()
    assert workdir.tf("state", "list").out.split() == ["terraform_data.stays"]


def test_import_adopts_an_object(template_file, synth_one, workdir) -> None:
    path = template_file("""
        from pangea import import_, template, terraform_data

        @template
        def app():
            adopted = terraform_data("adopted", input="a")
            import_(to=adopted, id="existing-id-1")
            terraform_data("many", for_each=["x", "y"], input="m")
            import_(to="terraform_data.many[each.key]", id=f"id-{each_key()}",
                    for_each=["x", "y"])
    """.replace("import import_,", "import each_key, import_,"))
    config = synth_one(path)
    assert config["import"][0] == {"id": "existing-id-1", "to": "terraform_data.adopted"}
    assert config["import"][1]["for_each"] == '${toset(["x", "y"])}'
    workdir.write(config)
    workdir.tf("init", "-input=false")
    plan = workdir.tf("plan", "-input=false")
    assert "3 to import" in plan.out
    workdir.apply()
    state = workdir.tf("state", "show", "terraform_data.adopted").out
    assert "existing-id-1" in state
    assert "id-y" in workdir.tf("state", "show", 'terraform_data.many["y"]').out


def test_check_assertion_warns_and_scoped_data_failure_warns(template_file, synth_one, workdir,
                                                            tmp_path) -> None:
    missing = tmp_path / "no-such.tfstate"
    path = template_file(f"""
        from pangea import check, remote_state, template, terraform_data, tf

        @template
        def app():
            item = terraform_data("item", input=3)
            check("enough", assertions=[{{"condition": tf("terraform_data.item.output > 5"),
                                         "error_message": "need more than five"}}])
            other = remote_state("other", backend="local", config={{"path": {str(missing)!r}}})
            check("other_state", data=other, assertions=[
                {{"condition": tf("length(keys(data.terraform_remote_state.other.outputs)) > 0"),
                  "error_message": "the other state has no outputs"}}])
    """)
    config = synth_one(path)
    assert "terraform_remote_state" not in config.get("data", {})  # scoped inside the check
    assert config["check"]["other_state"]["data"]["terraform_remote_state"]["other"][
        "backend"] == "local"
    assert config["check"]["enough"]["assert"] == [
        {"condition": "${terraform_data.item.output > 5}", "error_message": "need more than five"}]
    workdir.write(config)
    workdir.tf("init", "-input=false")
    run = workdir.apply()  # checks warn; they never fail the run
    text = run.out + run.err
    assert "need more than five" in text
    assert "Check block assertion failed" in text


def test_passing_check_is_silent(template_file, synth_one, workdir) -> None:
    path = template_file("""
        from pangea import check, template, terraform_data, tf

        @template
        def app():
            terraform_data("item", input=9)
            check("enough", assertions=[pangea.assertion(tf("terraform_data.item.output > 5"),
                                                         "need more than five")])
        import pangea
    """)
    workdir.write(synth_one(path))
    workdir.tf("init", "-input=false")
    run = workdir.apply()
    assert "need more than five" not in run.out + run.err


# -- errors (no Terraform needed) ------------------------------------------------------------

def _error(run_template, body) -> str:
    with pytest.raises(PangeaError) as info:
        run_template(body)
    return str(info.value)


def test_address_errors(run_template) -> None:
    def bad_address():
        moved(from_="terraform_data", to="terraform_data.b")

    assert "is not a Terraform address" in _error(run_template, bad_address)

    def interpolation():
        moved(from_="${terraform_data.a}", to="terraform_data.b")

    assert "is not a Terraform address" in _error(run_template, interpolation)

    def type_change():
        moved(from_="terraform_data.a", to="aws_s3_bucket.b")

    assert "changes the resource type" in _error(run_template, type_change)

    def module_to_resource():
        moved(from_="module.a", to="terraform_data.b")

    assert "mixes a module and a resource" in _error(run_template, module_to_resource)

    def data_moved():
        moved(from_="data.aws_x.a", to="data.aws_x.b")

    assert "data sources cannot be moved" in _error(run_template, data_moved)


def test_moved_between_module_instances_is_accepted(run_template) -> None:
    def body():
        moved(from_="module.net", to='module.net["eu"]')
        moved(from_='module.a.terraform_data.x[0]', to='module.a.terraform_data.x["k"]')

    assert run_template(body)["moved"] == [
        {"from": "module.net", "to": 'module.net["eu"]'},
        {"from": "module.a.terraform_data.x[0]", "to": 'module.a.terraform_data.x["k"]'}]


def test_removed_refuses_what_terraform_refuses(run_template) -> None:
    def still_declared():
        terraform_data("x")
        removed(from_="terraform_data.x", destroy=False)

    message = _error(run_template, still_declared)
    assert "is still declared in this template" in message and "delete the declaration" in message

    def with_key():
        removed(from_="terraform_data.x[0]", destroy=False)

    assert "instance keys cannot be removed" in _error(run_template, with_key)

    def no_destroy():
        removed(from_="terraform_data.x")  # type: ignore[call-arg]

    assert "destroy" in _error(run_template, no_destroy)


def test_import_needs_its_resource_and_an_id(run_template) -> None:
    def undeclared():
        import_(to="terraform_data.x", id="i-1")

    assert "declares no terraform_data.x" in _error(run_template, undeclared)

    def no_id():
        import_(to=terraform_data("x"), id="")

    assert "needs the object's import id" in _error(run_template, no_id)


def test_import_for_each(run_template) -> None:
    def body():
        terraform_data("x", for_each=["a", "b"])
        import_(to="terraform_data.x[each.key]", id=pangea.each_value(),
                for_each={"a": "id-a", "b": "id-b"})

    config = run_template(body)
    assert config["import"] == [{"for_each": {"a": "id-a", "b": "id-b"}, "id": "${each.value}",
                                 "to": "terraform_data.x[each.key]"}]
    assert config["terraform"]["required_version"] == ">= 1.7"

    def each_without_for_each():
        terraform_data("x", for_each=["a"])
        import_(to="terraform_data.x[each.key]", id="a")

    with pytest.raises(PangeaError, match="only import_.*for_each"):
        run_template(each_without_for_each)

    def typed():
        x = terraform_data("x", for_each=["a", "b"])
        import_(to=x["a"], id="id-a")

    assert run_template(typed)["import"] == [{"id": "id-a", "to": 'terraform_data.x["a"]'}]


def test_check_errors(run_template) -> None:
    def python_bool():
        check("c", assertions=[{"condition": True, "error_message": "m"}])

    assert "decided before Terraform runs" in _error(run_template, python_bool)

    def plain_string():
        check("c", assertions=[{"condition": "a > b", "error_message": "m"}])

    assert "wrap it: tf('...')" in _error(run_template, plain_string)

    def missing_message():
        check("c", assertions=[{"condition": tf("true")}])

    assert "needs both condition and error_message" in _error(run_template, missing_message)

    def twice():
        check("c", assertions=[pangea.assertion(tf("true"), "m")])
        check("c", assertions=[pangea.assertion(tf("true"), "m")])

    assert "declared twice" in _error(run_template, twice)


def test_check_scopes_a_generated_data_source(run_template, pinned_lookup) -> None:
    from pangea.schema_check import check_config
    from pangea_aws import data_aws_docdb_engine_version

    def body():
        engine = data_aws_docdb_engine_version("latest", version="5.0.0")
        check("engine_known", data=engine, assertions=[
            pangea.assertion(tf("data.aws_docdb_engine_version.latest.version != \"\""),
                             "no DocumentDB 5.0.0 engine in this region")])

    config = run_template(body)
    assert "data" not in config  # only inside the check
    assert config["check"]["engine_known"]["data"] == {
        "aws_docdb_engine_version": {"latest": {"version": "5.0.0"}}}
    assert check_config({"data": config["check"]["engine_known"]["data"]}, pinned_lookup) == []

    def twice():
        engine = data_aws_docdb_engine_version("latest", version="5.0.0")
        check("a", data=engine, assertions=[pangea.assertion(tf("true"), "m")])
        check("b", data=engine, assertions=[pangea.assertion(tf("true"), "m")])

    with pytest.raises(PangeaError, match="scoped in another check already"):
        run_template(twice)
