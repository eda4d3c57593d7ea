"""RAM can share only some resource types (overrides/tables/aws_ram_shareable.yaml, from the
AWS RAM User Guide's "Shareable AWS resources"): a reference to the ARN of any other type
given to a resource share is refused at synthesis, as AWS refuses it at apply; an ARN string
and an untyped expression are left to AWS."""

from __future__ import annotations

import json
import lzma
import re
import textwrap
from pathlib import Path

import pytest
import yaml

import pangea

PROJECT = Path(__file__).resolve().parents[1]
TABLE = PROJECT / "overrides" / "tables" / "aws_ram_shareable.yaml"
SOURCE = "https://docs.aws.amazon.com/ram/latest/userguide/shareable.html"


def _synth(write_template, body: str) -> dict:
    # the functions the body calls, by name: `import *` would import all 1,600 AWS modules
    called = sorted(set(re.findall(r"\b((?:data_)?aws_\w+)\(", body)))
    source = textwrap.dedent(f'''
        from pangea import output, remote_outputs, tf, template, variable
        from pangea_aws import {", ".join(["aws_ram_resource_share", *called])}

        @template
        def network():
            output("group_arn", variable("group_arn"))

        @template
        def sharing():
            share = aws_ram_resource_share("s", name="s", allow_external_principals=False)
    ''') + textwrap.indent(textwrap.dedent(body), "    ")
    return pangea.synth(write_template(source), strict=True)["sharing"]


def _refused(write_template, body: str) -> str:
    with pytest.raises(pangea.PangeaError) as excinfo:
        _synth(write_template, body)
    return str(excinfo.value)


def test_a_subnet_group_is_refused_with_address_path_and_fix(write_template) -> None:
    message = _refused(write_template, '''
        group = aws_docdb_subnet_group("db", name="db", subnet_ids=[variable("a")])
        aws_ram_resource_association("group", resource_arn=group.arn,
                                     resource_share_arn=share.arn)
    ''')
    assert "template 'sharing': aws_ram_resource_association.group: resource_arn: " in message
    assert ("resource_arn: refers to the ARN of aws_docdb_subnet_group.db, and "
            "aws_docdb_subnet_group is not a resource type AWS RAM can share, so AWS refuses "
            "it at apply") in message
    assert "share the subnets of its subnet group (aws_subnet)" in message
    assert SOURCE in message


@pytest.mark.parametrize("reference", [
    "aws_subnet('a', vpc_id=variable('vpc'), cidr_block='10.0.0.0/24').arn",
    "data_aws_subnet('a', id=variable('subnet')).arn",
    "aws_ec2_transit_gateway('tgw').arn",
    "aws_licensemanager_license_configuration('l', name='l', license_counting_type='vCPU').arn",
])
def test_shareable_types_are_accepted(write_template, reference: str) -> None:
    config = _synth(write_template, f'''
        aws_ram_resource_association("r", resource_arn={reference},
                                     resource_share_arn=share.arn)
    ''')
    assert config["resource"]["aws_ram_resource_association"]["r"]["resource_arn"].endswith(
        ".arn}")


def test_an_indexed_instance_is_judged_by_its_type(write_template) -> None:
    accepted = _synth(write_template, '''
        aws_subnet("a", vpc_id=variable("vpc"), cidr_block="10.0.0.0/24", count=2)
        aws_ram_resource_association("r", resource_arn=tf("aws_subnet.a[1].arn"),
                                     resource_share_arn=share.arn)
    ''')
    assert "aws_ram_resource_association" in accepted["resource"]
    message = _refused(write_template, '''
        aws_vpc("v", cidr_block="10.0.0.0/16", count=2)
        aws_ram_resource_association("r", resource_arn=tf("aws_vpc.v[1].arn"),
                                     resource_share_arn=share.arn)
    ''')
    assert "refers to the ARN of aws_vpc.v[1], and aws_vpc is not" in message


@pytest.mark.parametrize("value", [
    '"arn:aws:rds:eu-west-1:123456789012:subgrp:db"',  # AWS judges a string ARN
    'variable("arn")',
    'remote_outputs("network").group_arn',
    'tf("local.group_arn")',
    'f"{aws_docdb_subnet_group(\'g\', name=\'g\', subnet_ids=[variable(\'s\')]).arn}"',
])
def test_strings_and_untyped_expressions_are_left_to_aws(write_template, value: str) -> None:
    # (an f-string around a reference is still the bare reference: it is judged below)
    if value.startswith("f"):
        message = _refused(write_template, f'''
            aws_ram_resource_association("r", resource_arn={value},
                                         resource_share_arn=share.arn)
        ''')
        assert "aws_docdb_subnet_group" in message
        return
    config = _synth(write_template, f'''
        aws_ram_resource_association("r", resource_arn={value}, resource_share_arn=share.arn)
    ''')
    assert "r" in config["resource"]["aws_ram_resource_association"]


def test_an_attribute_other_than_arn_is_not_judged(write_template) -> None:
    """Only a resource's own ``arn`` says what it is: ``aws_instance.x.outpost_arn`` and the
    like are ARNs of other resources, and pangea cannot tell which type."""
    config = _synth(write_template, '''
        cluster = aws_rds_cluster("c", engine="aurora-postgresql", skip_final_snapshot=True,
                                  manage_master_user_password=True, master_username="u")
        aws_ram_resource_association("r", resource_arn=cluster.master_user_secret[0].secret_arn,
                                     resource_share_arn=share.arn)
    ''')
    assert "r" in config["resource"]["aws_ram_resource_association"]


def test_the_exclusive_associations_judge_each_arn(write_template) -> None:
    message = _refused(write_template, '''
        subnet = aws_subnet("a", vpc_id=variable("vpc"), cidr_block="10.0.0.0/24")
        group = aws_neptune_subnet_group("g", name="g", subnet_ids=[subnet.id])
        aws_ram_resource_share_associations_exclusive(
            "all", resource_share_arn=share.arn, resource_arns=[subnet.arn, group.arn])
    ''')
    assert "aws_ram_resource_share_associations_exclusive.all: resource_arns: " in message
    assert "the ARN of aws_neptune_subnet_group.g, and aws_neptune_subnet_group is not" in message
    assert "aws_subnet.a" not in message


def test_the_table_cites_its_source_and_names_only_real_types() -> None:
    table = yaml.safe_load(TABLE.read_text())
    assert table["source"] == SOURCE
    doc = json.loads(lzma.decompress(
        (PROJECT / "provider_schema" / "aws-6.47.0.json.xz").read_bytes()))
    schemas = doc["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
    known = set(schemas["resource_schemas"]) | set(schemas["data_source_schemas"])
    types = {name for names in table["types"].values() for name in names}
    assert types - known == set()
    assert {"aws_subnet", "aws_ec2_transit_gateway", "aws_route53_resolver_rule",
            "aws_licensemanager_license_configuration"} <= types
    # the database types of the seed's RAM example are not shareable
    assert not types & {"aws_docdb_subnet_group", "aws_neptune_subnet_group",
                        "aws_memorydb_subnet_group", "aws_docdb_cluster", "aws_vpc"}
