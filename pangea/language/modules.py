"""Module calls: ``module("vpc", source=..., version=..., **inputs)`` returns a reference
whose attributes are the module's outputs (``vpc.vpc_id`` renders ``${module.vpc.vpc_id}``).

A local module (``./path``, ``../path`` or an absolute path, relative paths resolved from the
template file's directory) is read: its ``variable`` and ``output`` declarations type the
call. Unknown inputs, missing required inputs, literal inputs of the wrong type and unknown
outputs are errors naming the module. Registry and remote modules are called as given.
"""

from __future__ import annotations

import difflib
import functools
import json
import keyword
import os
import re
from pathlib import Path
from typing import Any

from pangea.context import TemplateContext, check_name, current
from pangea.errors import TemplateError, ValidationError
from pangea.expr import AnyRef, Expr, ResourceRef, _index
from pangea.language import hcl
from pangea.vartypes import TfType, TypeSyntaxError, conform, parse_type
from pangea.struct import short_repr

__all__ = ["ModuleRef", "module"]

_REGISTRY = re.compile(
    r"^(?:(?P<host>[A-Za-z0-9.-]+\.[A-Za-z0-9-]+(?::[0-9]+)?)/)?"
    r"(?P<namespace>[A-Za-z0-9][A-Za-z0-9_-]*)/(?P<name>[A-Za-z0-9][A-Za-z0-9_-]*)/"
    r"(?P<system>[a-z0-9]+)(?://.*)?$")
_REMOTE_PREFIXES = ("git::", "hg::", "s3::", "gcs::", "http://", "https://", "git@",
                    "github.com/", "bitbucket.org/")
_VERSION = re.compile(r"^\s*(?:(?:=|!=|>|>=|<|<=|~>)\s*)?v?[0-9]+(\.[0-9]+){0,2}([-+][0-9A-Za-z.-]+)?"
                      r"(\s*,\s*(?:(?:=|!=|>|>=|<|<=|~>)\s*)?v?[0-9]+(\.[0-9]+){0,2}"
                      r"([-+][0-9A-Za-z.-]+)?)*\s*$")


class ModuleRef(ResourceRef):
    """A module call; attributes are its outputs, ``ref[key]`` one instance (count/for_each)."""

    __slots__ = ("_interface", "_call")

    def __init__(self, expr: str, owner: Any = None, inputs: dict[str, Any] | None = None,
                 interface: hcl.ModuleInterface | None = None, call: str = "") -> None:
        super().__init__(expr, owner, inputs)
        self._interface = interface
        self._call = call or expr

    def __getattr__(self, name: str) -> AnyRef:
        if name.startswith("__") or name in ModuleRef.__slots__ or name in ("_expr", "_owner",
                                                                              "_inputs"):
            raise AttributeError(name)
        interface = self._interface
        if interface is not None and name not in interface.outputs:
            known = sorted(interface.outputs)
            close = difflib.get_close_matches(name, known, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise AttributeError(
                f"{self._call} has no output {name!r}.{hint} Outputs declared in "
                f"{interface.directory}: {', '.join(known) or 'none'}")
        return AnyRef(f"{self._expr}.{name}", self._owner)

    def __getitem__(self, index: int | str | Expr) -> "ModuleRef":
        return ModuleRef(f"{self._expr}[{_index(index)}]", self._owner, self._inputs,
                         self._interface, self._call)


def module(name: str, /, *, source: str, version: str | None = None, count: Any = None,
           for_each: Any = None, depends_on: Any = None, providers: dict[str, Any] | None = None,
           **inputs: Any) -> ModuleRef:
    """Call a Terraform module. Inputs are keywords named as the module's variables (a
    trailing underscore is dropped from a Python keyword: ``for_=...`` sets ``for``)."""
    ctx = current("module()")
    check_name("module", name, ctx)
    address = f"module.{name}"
    modules = ctx.sections.setdefault("module", {})
    if name in modules:
        raise TemplateError(f"{address} is declared twice", template=ctx.name,
                            hint="give each module call its own name")
    if not isinstance(source, str) or not source.strip():
        raise TemplateError(f"{address}: source must be a non-empty string (got "
                            f"{short_repr(source)})", template=ctx.name)
    kind = _source_kind(source)
    body: dict[str, Any] = {}
    interface = None
    if kind == "local":
        directory = _local_directory(ctx, address, source)
        body["source"] = str(directory)
        interface = _interface(ctx, address, directory)
    else:
        body["source"] = source
    if version is not None:
        if kind != "registry":
            raise TemplateError(
                f"{address}: version is only for registry modules; {source!r} is a {kind} "
                "source", template=ctx.name,
                hint="pin a git source with ?ref=<tag> in the URL; a local module has no "
                "version")
        if not isinstance(version, str) or not _VERSION.match(version):
            raise TemplateError(f"{address}: version {version!r} is not a version constraint",
                                template=ctx.name, hint="e.g. '5.8.1', '~> 5.8' or '>= 5.0, < 6.0'")
        body["version"] = version
    values = {_input_name(key, interface): value for key, value in inputs.items()}
    rendered = {key: ctx.json_value(value, address, key)
                for key, value in sorted(values.items()) if value is not None}
    _check_inputs(ctx, address, rendered, interface)
    body.update(rendered)
    body.update(_meta(ctx, address, count, for_each, depends_on, providers))
    modules[name] = dict(sorted(body.items()))
    ctx.sections["module"] = dict(sorted(modules.items()))
    if interface is not None and any(o.sensitive for o in interface.outputs.values()):
        ctx.finish_checks.append(functools.partial(_sensitive_outputs_marked, name=name,
                                                   interface=interface))
    return ModuleRef(address, ctx, values, interface, f"module {name!r} ({source})")


def _sensitive_outputs_marked(ctx: TemplateContext, name: str,
                              interface: hcl.ModuleInterface) -> None:
    """A root output that shows a module's sensitive output: Terraform refuses it at plan
    ("Output refers to sensitive values") when the value itself is sensitive, which is what
    the flag usually means; a warning, since a literal marked sensitive passes."""
    from pangea.diagnostics import Diagnostic, Level

    sensitive = {o.name for o in interface.outputs.values() if o.sensitive}
    pattern = re.compile(rf"(?<![\w.])module\.{re.escape(name)}(?:\[[^\]]*\])?\."
                         r"([A-Za-z_][A-Za-z0-9_-]*)")
    for output_name, body in sorted(ctx.outputs.items()):
        if body.get("sensitive"):
            continue
        for match in pattern.finditer(json.dumps(body.get("value"))):
            if match.group(1) in sensitive:
                ctx.diagnostics.append(Diagnostic(
                    Level.WARNING,
                    f"shows module.{name}.{match.group(1)}, which the module marks sensitive; "
                    "Terraform refuses the plan if the value is sensitive",
                    "sensitive-module-output", ctx.file, None, ctx.name, f"output.{output_name}",
                    None, f"declare it with output({output_name!r}, ..., sensitive=True)"))
                break


def relative_module_sources(config: dict[str, Any], base: Path) -> dict[str, Any]:
    """``config`` with local module sources relative to ``base`` (where Terraform will run),
    for output meant to work in another directory or machine (``pangea synth --out``)."""
    modules = config.get("module")
    if not isinstance(modules, dict):
        return config
    rewritten = {}
    for name, body in modules.items():
        source = body.get("source") if isinstance(body, dict) else None
        if isinstance(source, str) and os.path.isabs(source):
            relative = os.path.relpath(source, base).replace(os.sep, "/")
            body = {**body, "source": relative if relative.startswith("../")
                    else f"./{relative}"}
        rewritten[name] = body
    return {**config, "module": rewritten}


def _source_kind(source: str) -> str:
    if source.startswith(("./", "../", "/")) or source in (".", ".."):
        return "local"
    if source.startswith(_REMOTE_PREFIXES) or "::" in source or "://" in source:
        return "git" if source.startswith(("git::", "git@", "github.com/", "bitbucket.org/")) \
            else "remote"
    if _REGISTRY.match(source):
        return "registry"
    return "remote"


def _local_directory(ctx: TemplateContext, address: str, source: str) -> Path:
    base = Path(ctx.file).resolve().parent if ctx.file else Path.cwd()
    directory = Path(os.path.normpath(base / source))
    if not directory.is_dir():
        raise TemplateError(
            f"{address}: local module directory {directory} does not exist",
            template=ctx.name,
            hint="a relative source is read from the template file's directory; check the path")
    return directory


def _interface(ctx: TemplateContext, address: str,
               directory: Path) -> hcl.ModuleInterface | None:
    try:
        interface = hcl.read_module(directory)
    except OSError as exc:
        raise TemplateError(f"{address}: cannot read module directory {directory}: "
                            f"{exc.strerror or exc}", template=ctx.name) from None
    except hcl.HclSyntaxError as exc:
        raise TemplateError(f"{address}: cannot read the module in {directory}: {exc}",
                            template=ctx.name,
                            hint="Terraform cannot load it either; fix the file") from None
    return interface


def _input_name(key: str, interface: hcl.ModuleInterface | None) -> str:
    if key.endswith("_") and not key.endswith("__"):
        bare = key[:-1]
        if keyword.iskeyword(bare) or (interface is not None and bare in interface.variables
                                       and key not in interface.variables):
            return bare
    return key


def _check_inputs(ctx: TemplateContext, address: str, values: dict[str, Any],
                  interface: hcl.ModuleInterface | None) -> None:
    """Inputs (as JSON) against the module's variables: names, required ones, literal types
    with Terraform's conversions (pangea.vartypes)."""
    if interface is None:
        return
    declared = interface.variables
    found: list[tuple[str, str]] = []
    for key in sorted(values):
        if key not in declared:
            close = difflib.get_close_matches(key, sorted(declared), n=3)
            hint = (f"did you mean {', '.join(close)}?" if close
                    else f"its variables are: {', '.join(sorted(declared)) or 'none'}")
            found.append((key, f"the module in {interface.directory} declares no variable "
                               f"{key!r}; {hint}"))
            continue
        expected = _variable_type(declared[key].type)
        if expected is not None:
            found += [(path, f"{message} (the module's variable has type {expected})")
                      for path, message in conform(values[key], expected, key,
                                                   declared[key].sensitive)]
    for var in sorted(declared.values()):
        if var.required and var.name not in values:
            what = f" ({var.description})" if var.description else ""
            found.append((var.name, f"is required by the module ({var.file}:{var.line}, type "
                                    f"{var.type or 'any'}){what}; pass {var.name}=..."))
    if found:
        raise ValidationError(address, found, template=ctx.name)


def _variable_type(text: str | None) -> TfType | None:
    """The variable's type; None (not checked) without one, or when it does not parse (then
    Terraform reports the module itself)."""
    if text is None:
        return None
    try:
        return parse_type(text)
    except TypeSyntaxError:
        return None


def _meta(ctx: TemplateContext, address: str, count: Any, for_each: Any, depends_on: Any,
          providers: dict[str, Any] | None) -> dict[str, Any]:
    from pangea.language.iteration import count_json, for_each_json
    from pangea.declare import _as_list, _dependency, _provider_ref

    out: dict[str, Any] = {}
    if count is not None and for_each is not None:
        raise ValidationError(address, [("", "count and for_each cannot both be set")],
                              template=ctx.name)
    if count is not None:
        out["count"] = count_json(ctx, address, count)
    if for_each is not None:
        out["for_each"] = for_each_json(ctx, address, for_each)
    if depends_on is not None:
        out["depends_on"] = [_dependency(ctx, address, d) for d in _as_list(depends_on)]
    if providers is not None:
        if not isinstance(providers, dict):
            raise ValidationError(address, [("providers", "must be a dict of the module's "
                                             "provider name -> provider(...) value")],
                                  template=ctx.name)
        out["providers"] = {str(k): _provider_ref(ctx, address, v)
                            for k, v in sorted(providers.items())}
    return out
