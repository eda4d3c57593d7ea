"""pangea's JSON writer gives exactly json.dumps(indent=2, sort_keys=True)'s text."""

from __future__ import annotations

import json
from collections import OrderedDict
from enum import IntEnum

import pytest

import pangea
from pangea.cli.json_text import render_json


class Level(IntEnum):
    HIGH = 3


class Name(str):
    pass


DOCUMENTS = {
    "empty dict": {},
    "empty list": [],
    "scalars": {"s": "x", "i": 7, "neg": -3, "big": 2**80, "f": 0.1, "g": 1e300, "h": -2.5e-9,
                "whole": 3.0, "t": True, "n": False, "null": None},
    "unicode and escapes": {"é": "naïve ☃ 😀", "q": 'say "hi"\\', "ctl": "a\nb\tc\x00\x1f\x7f",
                            "": "empty key", "slash": "a/b", "sur": "\ud800"},
    "nested": {"b": {"z": [1, [2, [3, {}]], {"k": []}], "a": {"y": {"x": {}}}},
               "a": [[], {}, [[]], [{}], None, "s", 1.5, True]},
    "unsorted keys": {"zeta": 1, "alpha": {"m": 2, "b": 1}, "Beta": 0, "_": 3},
    "list at the top": [{"b": 1, "a": 2}, [], "x", 3],
    "scalar at the top": "just a string",
    "terraform shape": {"resource": {"aws_vpc": {"main": {
        "cidr_block": "10.0.0.0/16", "tags": {"Name": "${var.name}"},
        "lifecycle": {"ignore_changes": ["tags"]}, "count": 2,
        "dynamic": {"ingress": {"for_each": "${var.rules}", "content": {"port": 443}}}}}},
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws",
                                                     "version": "6.47.0"}}}},
    # left to json.dumps: its own conversions give the same text
    "tuple": {"t": (1, 2, ("x",))},
    "non-string keys": {"a": {1: "one", 2: "two"}},
    "special floats": {"nan": float("nan"), "inf": float("inf"), "minf": float("-inf")},
    "subclasses": {"level": Level.HIGH, "name": Name("n"), "od": OrderedDict(b=1, a=2)},
}


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_same_text_as_json_dumps(name):
    document = DOCUMENTS[name]
    assert render_json(document) == json.dumps(document, indent=2, sort_keys=True) + "\n"


def test_top_level_order_kept_on_request_and_every_level_below_sorted():
    document = {"network": {"z": 1, "a": {"y": 2, "b": 3}}, "app": {"k": [{"d": 1, "c": 2}]}}
    expected = json.dumps({k: json.loads(json.dumps(v, sort_keys=True))
                           for k, v in document.items()}, indent=2) + "\n"
    assert render_json(document, sort_top=False) == expected
    assert list(json.loads(render_json(document, sort_top=False))) == ["network", "app"]
    unusual = {"b": {"t": (1, 2)}, "a": {}}
    assert render_json(unusual, sort_top=False) == json.dumps(
        {"b": {"t": [1, 2]}, "a": {}}, indent=2) + "\n"


def test_a_synthesized_configuration(write_template):
    path = write_template('''
        from pangea import template, output, variable
        from pangea_aws import aws_docdb_cluster, aws_docdb_cluster_instance

        @template
        def db():
            size = variable("size", type="number", default=2)
            cluster = aws_docdb_cluster("c", cluster_identifier="docdb-1", port=27017,
                                        tags={"Owner": "Zoë", "Env": "prod"},
                                        enabled_cloudwatch_logs_exports=["audit"],
                                        storage_encrypted=True, master_username="admin",
                                        manage_master_user_password=True, skip_final_snapshot=True)
            aws_docdb_cluster_instance("i", cluster_identifier=cluster.id, count=size,
                                       instance_class="db.r6g.large")
            output("endpoint", cluster.endpoint)
    ''')
    config = pangea.synth(path)["db"]
    assert render_json(config) == json.dumps(config, indent=2, sort_keys=True) + "\n"
