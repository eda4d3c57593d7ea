"""Refactoring and adoption: ``moved``, ``import_``, ``removed`` and ``check`` blocks."""

from __future__ import annotations

import functools
from typing import Any, Sequence

from pangea.context import TemplateContext, check_name, current
from pangea.errors import TemplateError
from pangea.expr import Expr, ResourceRef, is_interpolated
from pangea.language.addresses import Address, address_of
from pangea.language.versions import need
from pangea.struct import short_repr
from pangea.template import RemoteOutputs

__all__ = ["assertion", "check", "import_", "moved", "removed"]


def moved(*, from_: Any, to: Any) -> None:
    """Record that an object moved from one address to another (Terraform 1.1+): no destroy."""
    ctx = current("moved()")
    source = address_of(from_, what="moved(from_=...)", ctx=ctx)
    target = address_of(to, what="moved(to=...)", ctx=ctx)
    for end, where in ((source, "from_"), (target, "to")):
        if end.data:
            raise TemplateError(f"moved({where}={end.text!r}): data sources cannot be moved",
                                template=ctx.name, hint="only resources and modules have state")
    if source.is_module != target.is_module:
        raise TemplateError(
            f"moved: {source.text} -> {target.text} mixes a module and a resource",
            template=ctx.name, hint="move a resource to a resource, or a module to a module")
    if not source.is_module and source.type_name != target.type_name:
        raise TemplateError(
            f"moved: {source.text} -> {target.text} changes the resource type",
            template=ctx.name,
            hint="a moved block keeps the type; to change it, use removed(...) and import_(...)")
    if source.text == target.text:
        raise TemplateError(f"moved: from_ and to are the same address ({source.text})",
                            template=ctx.name)
    blocks = ctx.sections.setdefault("moved", [])
    if any(b["from"] == source.text for b in blocks):
        raise TemplateError(f"moved: {source.text} is moved twice", template=ctx.name)
    blocks.append({"from": source.text, "to": target.text})
    need(ctx, "moved")


def import_(*, to: Any, id: Any, for_each: Any = None, provider: Any = None) -> None:
    """Adopt an existing object into a resource of this template (Terraform 1.5+).

    ``to`` is the resource's reference or address; ``id`` its provider import ID (a string or
    an expression); ``for_each`` (Terraform 1.7+) imports several, with ``to`` indexed by
    ``each.key``."""
    ctx = current("import_()")
    target = address_of(to, what="import_(to=...)", ctx=ctx, each_keys=for_each is not None)
    if target.is_module or target.data:
        raise TemplateError(f"import_(to={target.text!r}): the target must be a managed resource",
                            template=ctx.name, hint="import into a resource address, TYPE.NAME")
    where = "import"
    body: dict[str, Any] = {"to": target.text}
    if for_each is not None:
        from pangea.language.iteration import for_each_json

        body["for_each"] = for_each_json(ctx, where, for_each)
        need(ctx, "import for_each")
    if id is None or (isinstance(id, str) and not id):
        raise TemplateError(f"import_(to={target.text!r}) needs the object's import id",
                            template=ctx.name, hint="see the resource's documentation, "
                            "section Import, for the id format")
    if not isinstance(id, (str, Expr)):
        raise TemplateError(f"import_(to={target.text!r}): id must be a string or an "
                            f"expression (got {short_repr(id)})", template=ctx.name)
    body["id"] = ctx.json_value(id, where, "id")
    if provider is not None:
        from pangea.declare import _provider_ref

        body["provider"] = _provider_ref(ctx, where, provider)
    blocks = ctx.sections.setdefault("import", [])
    if any(b["to"] == target.text for b in blocks):
        raise TemplateError(f"import_: {target.text} is imported twice", template=ctx.name)
    blocks.append(dict(sorted(body.items())))
    need(ctx, "import")
    if not target.modules:
        ctx.finish_checks.append(functools.partial(_import_target_declared, target=target))


def _import_target_declared(ctx: TemplateContext, target: Address) -> None:
    assert target.type_name is not None and target.name is not None
    if not ctx.has("resource", target.type_name, target.name):
        raise TemplateError(
            f"import_(to={target.text!r}): this template declares no {target.type_name}."
            f"{target.name}", template=ctx.name, locate=False, file=ctx.file,
            hint="declare the resource the object is imported into (Terraform refuses an "
            "import block without its resource)")


def removed(*, from_: Any, destroy: bool) -> None:
    """Forget a resource or module that is no longer declared (Terraform 1.7+).

    ``destroy=False`` removes it from the state and leaves the real object; ``destroy=True``
    destroys it, as deleting the declaration would. There is no default: the two differ too
    much to leave implicit."""
    ctx = current("removed()")
    source = address_of(from_, what="removed(from_=...)", ctx=ctx)
    if source.data:
        raise TemplateError(f"removed(from_={source.text!r}): data sources have no state to "
                            "remove", template=ctx.name)
    if source.has_keys:
        raise TemplateError(
            f"removed(from_={source.text!r}): an address with instance keys cannot be removed",
            template=ctx.name, hint="remove the whole resource or module (no [key]); Terraform "
            "removes every instance")
    if not isinstance(destroy, bool):
        raise TemplateError(f"removed(destroy=...) must be True or False (got {destroy!r})",
                            template=ctx.name)
    blocks = ctx.sections.setdefault("removed", [])
    if any(b["from"] == source.text for b in blocks):
        raise TemplateError(f"removed: {source.text} is removed twice", template=ctx.name)
    blocks.append({"from": source.text, "lifecycle": {"destroy": destroy}})
    need(ctx, "removed")
    ctx.finish_checks.append(functools.partial(_removed_not_declared, source=source))


def _removed_not_declared(ctx: TemplateContext, source: Address) -> None:
    if source.modules and source.type_name is not None:
        return  # a resource inside a module: the module's own file decides
    if source.is_module:
        name = source.modules[-1][0]
        declared = len(source.modules) == 1 and name in ctx.sections.get("module", {})
    else:
        assert source.type_name is not None and source.name is not None
        declared = ctx.has("resource", source.type_name, source.name)
    if declared:
        raise TemplateError(
            f"removed(from_={source.text!r}): {source.text} is still declared in this template",
            template=ctx.name, locate=False, file=ctx.file,
            hint="delete the declaration; removed(...) is for objects no longer in the "
            "configuration")


def assertion(condition: Any, error_message: str) -> dict[str, Any]:
    """One assertion of a ``check`` block (a dict with the same two keys works too)."""
    return {"condition": condition, "error_message": error_message}


def check(name: str, /, *, assertions: Sequence[Any], data: Any = None) -> None:
    """A ``check`` block (Terraform 1.5+): assertions reported as warnings at plan and apply.

    ``assertions``: dicts (or :func:`assertion`) with ``condition`` (an expression) and
    ``error_message``. ``data``: data-source references (one or a list) to scope inside the
    check, so that a failing look-up warns instead of failing the run."""
    ctx = current("check()")
    check_name("check", name, ctx)
    checks = ctx.sections.setdefault("check", {})
    if name in checks:
        raise TemplateError(f"check {name!r} is declared twice", template=ctx.name)
    where = f"check.{name}"
    if isinstance(assertions, dict) or not isinstance(assertions, (list, tuple)) or not assertions:
        raise TemplateError(f"{where}: assertions must be a non-empty list of "
                            "{'condition': ..., 'error_message': ...}", template=ctx.name)
    body: dict[str, Any] = {}
    scoped = _scope_data(ctx, where, data)
    if scoped:
        body["data"] = scoped
    body["assert"] = [_assert_json(ctx, where, index, item)
                      for index, item in enumerate(assertions)]
    checks[name] = body
    ctx.sections["check"] = dict(sorted(checks.items()))
    need(ctx, "check")


def _assert_json(ctx: TemplateContext, where: str, index: int, item: Any) -> dict[str, Any]:
    path = f"assert[{index}]"
    if not isinstance(item, dict):
        raise TemplateError(f"{where}: {path} must be a dict with condition and error_message "
                            f"(got {short_repr(item)})", template=ctx.name)
    unknown = sorted(set(item) - {"condition", "error_message"})
    if unknown:
        raise TemplateError(f"{where}: {path} has unknown keys {', '.join(unknown)}",
                            template=ctx.name, hint="an assertion has condition and error_message")
    condition, message = item.get("condition"), item.get("error_message")
    if condition is None or message is None:
        raise TemplateError(f"{where}: {path} needs both condition and error_message",
                            template=ctx.name)
    if isinstance(condition, bool):
        raise TemplateError(
            f"{where}: {path}.condition is the Python value {condition}, decided before "
            "Terraform runs", template=ctx.name,
            hint="give an expression, e.g. tf('length(var.zones) > 1') or a comparison built "
            "from references")
    if not isinstance(condition, (Expr, str)):
        raise TemplateError(f"{where}: {path}.condition must be an expression (got "
                            f"{short_repr(condition)})", template=ctx.name)
    if isinstance(condition, str) and not is_interpolated(condition):
        raise TemplateError(
            f"{where}: {path}.condition {condition!r} is a plain string, not an expression",
            template=ctx.name, hint="wrap it: tf('...')")
    if not isinstance(message, (str, Expr)) or (isinstance(message, str) and not message.strip()):
        raise TemplateError(f"{where}: {path}.error_message must be a non-empty string",
                            template=ctx.name)
    return {"condition": ctx.json_value(condition, where, f"{path}.condition"),
            "error_message": ctx.json_value(message, where, f"{path}.error_message")}


def _scope_data(ctx: TemplateContext, where: str, data: Any) -> dict[str, Any]:
    """Move declared data sources into the check block (Terraform's scoped data)."""
    if data is None:
        return {}
    refs = list(data) if isinstance(data, (list, tuple)) else [data]
    scoped: dict[str, dict[str, Any]] = {}
    for ref in refs:
        if isinstance(ref, RemoteOutputs) and ref._expr.endswith(".outputs"):
            name = ref._expr.split(".")[2]
            ctx.json_value(ref, where, "data")  # ownership check
            body = ctx.remote_states.pop(name, None)
            if body is None:
                raise TemplateError(f"{where}: data takes remote_state(...) results, not "
                                    "remote_outputs(...) of a template", template=ctx.name)
            ctx.scoped_data.add(("terraform_remote_state", name))
            scoped.setdefault("terraform_remote_state", {})[name] = body
            continue
        text = ref._address if isinstance(ref, ResourceRef) else None
        if text is None or not text.startswith("data.") or text.count(".") != 2:
            raise TemplateError(
                f"{where}: data takes data-source references returned by data_... functions "
                f"(got {short_repr(ref)})", template=ctx.name)
        ctx.json_value(ref, where, "data")  # ownership check
        _, type_name, name = text.split(".")
        body = ctx.data.get(type_name, {}).pop(name, None)
        if body is None:
            raise TemplateError(f"{where}: {text} is not a data source of this template (or is "
                                "scoped in another check already)", template=ctx.name)
        if not ctx.data[type_name]:
            del ctx.data[type_name]
        ctx.scoped_data.add((type_name, name))
        scoped.setdefault(type_name, {})[name] = body
    return {t: dict(sorted(v.items())) for t, v in sorted(scoped.items())}
