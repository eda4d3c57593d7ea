"""for_each from Python collections (cdktf's invalid-for_each complaints), each/count
references checked against their block, count values, and for expressions, run through a
real Terraform."""

from __future__ import annotations

import pytest

from pangea import (
    PangeaError,
    count_index,
    each_key,
    each_value,
    for_expr,
    output,
    terraform_data,
    tf,
    variable,
)


def test_python_collections_become_valid_for_each(template_file, synth_one, workdir) -> None:
    path = template_file("""
        from pangea import count_index, each_key, each_value, for_expr, output, template
        from pangea import terraform_data, variable

        @template
        def app():
            names = (n for n in ["b", "a", "b"])              # a generator, with a duplicate
            tags = terraform_data("tag", for_each=names, input=each_key())
            servers = {"web": {"size": 2, "zone": "a"}, "db": {"size": 4, "zone": "b"}}
            sized = terraform_data("server", for_each=servers,
                                   input=f"{each_key()}:{each_value().size}@{each_value().zone}")
            zones = variable("zones", type="list(string)", default=["x", "y"])
            per_zone = terraform_data("zone", for_each=zones, input=each_value())
            copies = terraform_data("copy", count=3, input=count_index())
            output("tags", for_expr(tags, lambda t: t.output))
            output("servers", for_expr(sized, lambda k, s: s.output, key=lambda k, s: k))
            output("zones", for_expr(per_zone, lambda z: z.output,
                                     condition=lambda z: f"{z.output} != \\"x\\""))
            output("copies", for_expr(copies, lambda c: c.output))
            output("big", for_expr(servers, lambda k, s: k, condition=lambda k, s: f"{s.size} > 2"))
    """)
    config = synth_one(path)
    resources = config["resource"]["terraform_data"]
    assert resources["tag"]["for_each"] == '${toset(["b", "a", "b"])}'
    assert resources["server"]["for_each"] == {"db": {"size": 4, "zone": "b"},
                                               "web": {"size": 2, "zone": "a"}}
    assert resources["zone"]["for_each"] == "${toset(var.zones)}"  # a list becomes a set
    assert config["output"]["zones"]["value"] == \
        '${[for z in terraform_data.zone : z.output if z.output != "x"]}'
    workdir.write(config)
    workdir.tf("init", "-input=false")
    workdir.apply()
    outputs = workdir.outputs()
    assert sorted(outputs["tags"]) == ["a", "b"]
    assert outputs["servers"] == {"db": "db:4@b", "web": "web:2@a"}
    assert outputs["zones"] == ["y"]
    assert outputs["copies"] == [0, 1, 2]
    assert outputs["big"] == ["db"]


def _error(run_template, body) -> str:
    with pytest.raises(PangeaError) as info:
        run_template(body)
    return str(info.value)


def test_for_each_refuses_what_terraform_refuses(run_template) -> None:
    def objects():
        terraform_data("x", for_each=[{"name": "a"}, {"name": "b"}])

    message = _error(run_template, objects)
    assert "for_each takes a map or a set of strings" in message
    assert "for_each={o['name']: o for o in items}" in message

    def numbers():
        terraform_data("x", for_each=[1, 2])

    assert "[str(x) for x in items]" in _error(run_template, numbers)

    def single():
        terraform_data("x", for_each=variable("one", type="string"))

    assert "is a single value" in _error(run_template, single)

    def integer():
        terraform_data("x", for_each=3)

    assert "use count for a number of copies" in _error(run_template, integer)

    def count_list():
        terraform_data("x", count=["a", "b"])

    assert "use len(...) or for_each" in _error(run_template, count_list)

    def negative():
        terraform_data("x", count=-1)

    assert "must be 0 or more" in _error(run_template, negative)


def test_each_and_count_need_their_meta_argument(run_template) -> None:
    def each_without_for_each():
        terraform_data("x", input=each_value().name)

    message = _error(run_template, each_without_for_each)
    assert "terraform_data.x uses each, but this block has no for_each" in message

    def count_without_count():
        terraform_data("x", for_each=["a"], input=f"n-{count_index()}")

    assert "uses count.index, but this block has no count" in _error(run_template,
                                                                     count_without_count)

    def each_in_output():
        output("o", each_key())

    assert "output.o uses each" in _error(run_template, each_in_output)


def test_for_expr_forms(run_template) -> None:
    def body():
        users = variable("users", type="list(object({name = string, arn = string}))")
        output("by_name", for_expr(users, lambda u: u.arn, key=lambda u: u.name))
        output("grouped", for_expr(users, lambda u: u.arn, key=lambda u: u.name, grouping=True))
        output("objects", for_expr([1, 2], lambda i, n: {"index": i, "label": f"n{n}"}))
        output("raw", for_expr(users, lambda u: u.name, condition=lambda u: tf("u.arn != null")))

    outputs = run_template(body)["output"]
    assert outputs["by_name"]["value"] == "${{for u in var.users : u.name => u.arn}}"
    assert outputs["grouped"]["value"] == "${{for u in var.users : u.name => u.arn...}}"
    assert outputs["objects"]["value"] == \
        '${[for i, n in [1, 2] : {"index" = i, "label" = "n${n}"}]}'
    assert outputs["raw"]["value"] == "${[for u in var.users : u.name if u.arn != null]}"

    def reserved():
        output("x", for_expr(["a"], lambda each: each))

    assert "is a Terraform keyword" in _error(run_template, reserved)

    def python_condition():
        output("x", for_expr(["a"], lambda v: v, condition=lambda v: True))

    assert "Python value True" in _error(run_template, python_condition)
