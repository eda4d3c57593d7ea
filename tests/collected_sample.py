"""A template file with eight mistakes in five resources of two templates (shared by the
API and CLI tests of collected errors)."""

EIGHT_MISTAKES = '''from pangea import template, output
from pangea_aws import (aws_docdb_cluster, aws_docdb_cluster_instance,
                        aws_docdb_cluster_parameter_group, aws_docdb_subnet_group)


@template("db")
def db():
    cluster = aws_docdb_cluster("main", cluster_identifier="main", master_username="admin",
                                manage_master_user_password=True, skip_final_snapshot=True)
    one = aws_docdb_cluster_instance("one", cluster_identifier=cluster.id)  # MISTAKE-1
    aws_docdb_cluster_instance("two", cluster_identifier=cluster.id,  # MISTAKE-2
                               instance_class=5, promotion_tier="high")
    aws_docdb_subnet_group("g", subnet_ids="subnet-1")  # MISTAKE-3
    output("instance", one.id)  # a reference to an invalid resource is still usable


@template("params")
def params():
    aws_docdb_cluster_parameter_group("p", family=5, parameter=[{"name": "tls"}],  # MISTAKE-4
                                      bogus=1)
    aws_docdb_cluster("other", cluster_identifier="other", master_username="admin",  # MISTAKE-5
                      manage_master_user_password=True, skip_final_snapshot=True,
                      lifecycle={"prevent_destory": True})


@template("fine")
def fine():
    aws_docdb_subnet_group("ok", subnet_ids=["subnet-1"])
'''

# (template, address, attribute path, marker on the line of the call): eight problems
EXPECTED = [
    ("db", "aws_docdb_cluster_instance.one", "instance_class", "MISTAKE-1"),
    ("db", "aws_docdb_cluster_instance.two", "instance_class", "MISTAKE-2"),
    ("db", "aws_docdb_cluster_instance.two", "promotion_tier", "MISTAKE-2"),
    ("db", "aws_docdb_subnet_group.g", "subnet_ids", "MISTAKE-3"),
    ("params", "aws_docdb_cluster_parameter_group.p", "family", "MISTAKE-4"),
    ("params", "aws_docdb_cluster_parameter_group.p", "parameter[0].value", "MISTAKE-4"),
    ("params", "aws_docdb_cluster_parameter_group.p", "bogus", "MISTAKE-4"),
    ("params", "aws_docdb_cluster.other", "lifecycle.prevent_destory", "MISTAKE-5"),
]


def line_of(marker: str) -> int:
    for number, line in enumerate(EIGHT_MISTAKES.splitlines(), 1):
        if marker in line:
            return number
    raise AssertionError(marker)
