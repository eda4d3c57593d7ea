"""terraform_data and remote_state (terraform_remote_state of any backend), with real
Terraform runs: one state written by a template, read by another through the local
backend."""

from __future__ import annotations

import pytest

from pangea import PangeaError, remote_outputs, remote_state, terraform_data


def test_terraform_data_reference_and_replacement(template_file, synth_one, workdir) -> None:
    path = template_file("""
        from pangea import output, template, terraform_data, variable

        @template
        def app():
            release = variable("release", type="string", default="1")
            marker = terraform_data("marker", input={"release": release},
                                    triggers_replace=[release],
                                    lifecycle={"create_before_destroy": True})
            after = terraform_data("after", input=marker.output, depends_on=[marker])
            output("release", after.output["release"])
            output("id", marker.id)
    """)
    config = synth_one(path)
    body = config["resource"]["terraform_data"]["marker"]
    assert body == {"input": {"release": "${var.release}"}, "lifecycle": {
        "create_before_destroy": True}, "triggers_replace": ["${var.release}"]}
    assert config["terraform"] == {"required_version": ">= 1.4"}
    workdir.write(config)
    workdir.tf("init", "-input=false")
    workdir.apply()
    first = workdir.outputs()
    assert first["release"] == "1"
    plan = workdir.tf("plan", "-input=false", "-var", "release=2")
    assert "terraform_data.marker must be replaced" in plan.out
    workdir.tf("apply", "-auto-approve", "-input=false", "-var", "release=2")
    second = workdir.outputs()
    assert second["release"] == "2" and second["id"] != first["id"]


def test_terraform_data_errors(run_template) -> None:
    def unknown():
        terraform_data("x", inptu=1)

    with pytest.raises(PangeaError, match="inptu: is not an argument of terraform_data"):
        run_template(unknown)

    def computed():
        terraform_data("x").output.missing_attribute_is_fine  # AnyRef navigates
        terraform_data("y", lifecycle={"ignore_changes": ["output"]})

    run_template(computed)

    def reference_unknown():
        terraform_data("x").outptu

    with pytest.raises(PangeaError, match="has no attribute .outptu.. Did you mean output"):
        run_template(reference_unknown)


def test_remote_state_local_backend(template_file, synth_one, workdir, tmp_path) -> None:
    producer = template_file("""
        from pangea import output, template, terraform_data

        @template
        def network():
            net = terraform_data("net", input={"vpc_id": "vpc-123"})
            output("vpc_id", net.output["vpc_id"])
    """, name="network.py")
    workdir.write(synth_one(producer))
    workdir.tf("init", "-input=false")
    workdir.apply()
    state = workdir.root / "terraform.tfstate"
    assert state.exists()

    consumer = template_file(f"""
        from pangea import output, remote_state, template

        @template
        def app():
            net = remote_state("net", backend="local", config={{"path": {str(state)!r}}},
                               defaults={{"vpc_id": "none"}})
            output("vpc", net.vpc_id)
    """, name="app.py")
    config = synth_one(consumer)
    assert config["data"]["terraform_remote_state"]["net"] == {
        "backend": "local", "config": {"path": str(state)}, "defaults": {"vpc_id": "none"}}
    reader = workdir.root.parent / "reader"
    reader.mkdir()
    (reader / "main.tf.json").write_text(__import__("json").dumps(config))
    import subprocess

    env = workdir.env
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        proc = subprocess.run([workdir.binary, *args, "-no-color"], cwd=reader, env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    out = subprocess.run([workdir.binary, "output", "-raw", "vpc"], cwd=reader, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.stdout == "vpc-123"


def test_remote_state_backends_and_names(run_template) -> None:
    def s3():
        net = remote_state("net", backend="s3", config={"bucket": "b", "key": "net.tfstate",
                                                        "region": "eu-west-1"})
        terraform_data("x", input=net.subnet_ids[0])

    config = run_template(s3)
    assert config["data"]["terraform_remote_state"]["net"]["backend"] == "s3"
    assert config["resource"]["terraform_data"]["x"]["input"] == \
        "${data.terraform_remote_state.net.outputs.subnet_ids[0]}"

    def missing_key():
        remote_state("net", backend="s3", config={"bucket": "b"})

    with pytest.raises(PangeaError, match="config.key: is required by the s3 backend"):
        run_template(missing_key)

    def unknown_backend():
        remote_state("net", backend="s4", config={})

    with pytest.raises(PangeaError, match="backend 's4' is not one terraform_remote_state"):
        run_template(unknown_backend)

    def clash():
        remote_outputs("net")
        remote_state("net", backend="local")

    with pytest.raises(PangeaError, match="declared twice"):
        run_template(clash)
