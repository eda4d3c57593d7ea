"""Seed section "Architecture Patterns / 5. Memory Cache Layer".

A MemoryDB cluster (two shards, one replica each, TLS) whose access is controlled by an ACL.

Corrections:

- The ACL listed the user "cache-user", which the seed never creates; MemoryDB refuses an ACL
  naming a user that does not exist. The user is declared (``aws_memorydb_user``) and the ACL
  refers to it, which also orders the creation.
- The user authenticates with a password (a sensitive variable). IAM authentication would
  avoid the password but needs engine version 7.0 or later, and the seed asks for 6.2.
- ``engine="redis"`` is stated: engine versions are per engine (6.2 is a Redis OSS version;
  Valkey starts at 7.2), so the version only means something together with the engine.
- The user's access string allows all keys and commands (``on ~* &* +@all``); narrow it for
  real applications.
"""

from pangea import output, template, variable
from pangea_aws import aws_memorydb_acl, aws_memorydb_cluster, aws_memorydb_user


@template
def caching_layer():
    password = variable("cache_user_password", type="string", sensitive=True)
    cache_user = aws_memorydb_user(
        "cache_user",
        user_name="cache-user",
        access_string="on ~* &* +@all",
        authentication_mode={"type": "password", "passwords": [password]},
    )
    cache_acl = aws_memorydb_acl(
        "app_cache",
        name="app-cache-acl",
        user_names=[cache_user.user_name],
    )
    cache_cluster = aws_memorydb_cluster(
        "main",
        name="app-cache-cluster",
        node_type="db.r6g.large",
        num_shards=2,
        num_replicas_per_shard=1,
        acl_name=cache_acl.name,
        tls_enabled=True,
        engine="redis",
        engine_version="6.2",
    )
    output("endpoint_url", cache_cluster.endpoint_url)
    output("total_nodes", cache_cluster.total_nodes)
