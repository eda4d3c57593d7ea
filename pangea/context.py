"""The template being synthesized: what it declares, and how values become JSON.

A :class:`TemplateContext` is active (a context variable) while a template's body runs.
Resource functions add to it; :meth:`TemplateContext.finish` turns it into Terraform JSON.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time (import cost)

import contextvars
from contextlib import contextmanager

if TYPE_CHECKING:
    from typing import Any, Callable, Iterator

from pangea.diagnostics import DEPRECATED, PROVIDER_MANAGED, Diagnostic, Level
from pangea.errors import (
    CrossTemplateReferenceError,
    PangeaError,
    TemplateError,
    ValidationError,
    combine,
    user_location,
)
from pangea.expr import Expr, Interpolation, Raw, is_interpolated
from pangea.names import check_identifier, plain_identifier
from pangea.struct import StructModel
from pangea import providers
from pangea.lazy_re import lazy_compile

_current: contextvars.ContextVar["TemplateContext | None"] = contextvars.ContextVar(
    "pangea_template", default=None
)

# Addresses inside an interpolation: type.name or data.type.name (first two/three parts). A
# match is an address only when its type is one a provider or this template knows: a `for`
# expression's variable (`[for my_item in ...: my_item.id]`) looks the same.
_ADDRESS = lazy_compile(r"(?<![\w.])(data\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)")
_BUILTIN_TYPES = frozenset({"terraform_data", "terraform_remote_state"})


def current(what: str) -> "TemplateContext":
    ctx = _current.get()
    if ctx is None:
        raise TemplateError(
            f"{what} was called outside a template",
            hint="declare resources inside a function decorated with @template, and synthesize it "
            "with pangea.synth() or the pangea command",
        )
    return ctx


def check_name(kind: str, name: Any, ctx: "TemplateContext") -> str:
    return check_identifier(kind, name, template=ctx.name)


# kinds whose valid names are exactly Terraform identifiers (no length limit, none reserved)
_PLAIN_NAME_KINDS = frozenset({"resource", "data"})


def name_ok(kind: str, name: Any, ctx: "TemplateContext", where: str | None = None) -> bool:
    """Whether ``name`` is a valid ``kind`` name; a bad one is recorded on the template (the
    body runs on, so its other mistakes are found too) and False returned. ``where`` (the
    resource type, ``output``, ...) leads the message, as an address would."""
    if kind in _PLAIN_NAME_KINDS and plain_identifier(name):  # the common case, cheaply
        return True
    try:
        check_identifier(kind, name, template=ctx.name)
    except TemplateError as exc:
        if where is not None:
            exc.address = where
            exc.args = (exc._render(),)
        ctx.errors.append(exc)
        return False
    return True


# Set by the first dynamic() of the process (pangea.language.dynamic_blocks): until then no
# resource call can hold a dynamic block, so none looks for one (nor imports that module).
DYNAMIC_USED = False


class TemplateContext:
    """Everything one template declares, as Terraform JSON fragments."""

    def __init__(self, name: str, file: str | None, all_contexts: dict[int, str]) -> None:
        self.name = name
        self.file = file
        self.resources: dict[str, dict[str, Any]] = {}
        self.data: dict[str, dict[str, Any]] = {}
        self.outputs: dict[str, Any] = {}
        self.variables: dict[str, Any] = {}
        self.locals: dict[str, Any] = {}
        self.providers: dict[str, list[dict[str, Any]]] = {}
        self.remote: dict[str, None] = {}
        self.sensitive_outputs: set[str] = set()
        self.used_providers: set[str] = set()  # local names of the providers it uses
        self.diagnostics: list[Diagnostic] = []  # warnings, in the order they were found
        # Invalid resource calls: recorded so the body runs on and every mistake is found;
        # raised together when the template ends (config()).
        self.errors: list[PangeaError] = []
        self._invalid: set[tuple[str, str, str]] = set()  # (kind, type, name) of those calls
        # (kind, type, name) -> the body a generated typed function added (validated against
        # its pinned schema): the offline check skips a body only while it is this very object.
        self.schema_checked: dict[tuple[str, str, str], dict[str, Any]] = {}
        # Language sections added by pangea.language (module, moved, import, removed, check,
        # ephemeral, and remote states of any backend), and checks run when the template ends.
        self.sections: dict[str, Any] = {}
        self.remote_states: dict[str, dict[str, Any]] = {}
        self.scoped_data: set[tuple[str, str]] = set()  # data sources inside check blocks
        self.finish_checks: list[Callable[["TemplateContext"], None]] = []
        self.required_version: str | None = None
        self._interpolations: list[tuple[str, str]] = []  # (address that holds it, text)
        self._contexts = all_contexts  # id(context) -> template name, to name foreign owners
        all_contexts[id(self)] = name

    # -- activation ---------------------------------------------------------------------
    def activate(self) -> contextvars.Token:
        return _current.set(self)

    @staticmethod
    def deactivate(token: contextvars.Token) -> None:
        _current.reset(token)

    # -- declarations -------------------------------------------------------------------
    def add_resource(self, kind: str, type_name: str, name: str, body: dict[str, Any],
                     schema_checked: bool = False) -> None:
        table = self.resources if kind == "resource" else self.data
        by_type = table.get(type_name)
        if by_type is None:  # the template's first of this type: note its provider once
            by_type = table[type_name] = {}
            provider = providers.for_type(type_name)
            if provider is not None:
                self.used_providers.add(provider.name)
        if name in by_type or (self._invalid and (kind, type_name, name) in self._invalid):
            address = f"{'data.' if kind == 'data' else ''}{type_name}.{name}"
            raise TemplateError(
                f"{address} is declared twice", template=self.name,
                hint="give each resource of a type its own name",
            )
        by_type[name] = body
        if schema_checked:
            self.schema_checked[(kind, type_name, name)] = body

    def add_invalid(self, kind: str, type_name: str, name: str,
                    error: PangeaError | None) -> None:
        """Record an invalid resource call: its address counts as declared (so references to
        it are not reported too), and its error (None: already recorded) is raised when the
        template ends."""
        if self.has(kind, type_name, name):
            self.add_resource(kind, type_name, name, {})  # raises: declared twice
        self._invalid.add((kind, type_name, name))
        if error is not None:
            self.errors.append(error.with_template(self.name))

    def record(self, error: PangeaError) -> None:
        """Record a mistake that does not stop the template body; raised when it ends."""
        self.errors.append(error.with_template(self.name))

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Run a declaration; a ValidationError or cross-template reference it raises is
        recorded instead of stopping the body (API misuse, such as a name declared twice,
        still stops it)."""
        try:
            yield
        except (ValidationError, CrossTemplateReferenceError) as exc:
            self.record(exc)

    def raise_errors(self) -> None:
        """Raise every recorded error (one as itself, several together)."""
        if self.errors:
            raise combine(self.errors)

    def has(self, kind: str, type_name: str, name: str) -> bool:
        if (kind, type_name, name) in self._invalid:
            return True
        if kind == "data" and (type_name, name) in self.scoped_data:
            return True
        if kind == "data" and type_name == "terraform_remote_state":
            return name in self.remote or name in self.remote_states
        table = self.resources if kind == "resource" else self.data
        return name in table.get(type_name, {})

    # -- values -> JSON -----------------------------------------------------------------
    def json_value(self, value: Any, address: str, path: str) -> Any:
        """Convert an argument value to JSON, checking every reference it holds."""
        if isinstance(value, Expr):
            owner = value._owner
            if owner is not None and owner is not self:
                self._foreign(value, address, path)
            if owner is None or isinstance(value, (Raw, Interpolation)):
                self._interpolations.append((address, value._render()))
            return value._render()
        if isinstance(value, str):
            if is_interpolated(value):
                self._interpolations.append((address, value))
            return value
        if isinstance(value, bool) or isinstance(value, int):
            return value
        if isinstance(value, float):
            if value - value != 0:  # inf or nan (not math.isfinite: math is an extension to load)
                raise ValidationError(address, [(path, f"must be a finite number (got {value})")],
                                      template=self.name)
            return value
        if isinstance(value, StructModel):
            body, problems, _ = self.json_struct(value, address, path)
            if problems:
                raise ValidationError(address, problems, template=self.name)
            return body
        if isinstance(value, dict):
            return {str(k): self.json_value(v, address, f"{path}[{k!r}]")
                    for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, (list, tuple)):
            return [self.json_value(v, address, f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, (set, frozenset)):
            items = [self.json_value(v, address, path) for v in value]
            return sorted(items, key=repr)
        if value is None:
            return None
        raise ValidationError(
            address, [(path, f"cannot be written to Terraform JSON (got {type(value).__name__})")],
            template=self.name,
        )

    def json_struct(self, model: "StructModel", address: str,
                    path: str) -> tuple[dict[str, Any], list[tuple[str, str]], dict[str, Any]]:
        """A validated model (arguments or a block) -> JSON body, the problems its rules and
        those of nested blocks find, and its set values by Terraform name.

        Rules read the JSON body itself: literals are unchanged in it, and an expression is
        a ``${...}`` string, which rules leave alone."""
        cls = type(model)
        tf_names = cls._tf_names
        deprecated = cls._deprecated
        managed = cls._managed
        body: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []
        fields = model.__dict__
        for py_name in model.__set_fields__():
            value = fields[py_name]
            if value is None:
                continue
            tf_name = tf_names.get(py_name, py_name)
            kind = type(value)
            if (kind is str and not is_interpolated(value)) or kind is int or kind is bool:
                body[tf_name] = value  # the common case, kept off the general path
            else:
                here = f"{path}.{tf_name}" if path else tf_name
                body[tf_name] = self._json_field(value, address, here, problems)
            if deprecated and tf_name in deprecated:
                here = f"{path}.{tf_name}" if path else tf_name
                self._warn_deprecated(address, here, deprecated[tf_name])
            if managed and tf_name in managed:
                self._warn_managed(address, f"{path}.{tf_name}" if path else tf_name)
        if cls.__fast_check__()(body):  # every rule passes: nothing to word
            return dict(sorted(body.items())), problems, body
        attribute_rules, cross_rules = cls.__rule_index__()
        sensitive = cls._sensitive
        for tf_name in body:
            for rule in attribute_rules.get(tf_name, ()):
                for sub_path, message in rule.check(body, sensitive):
                    problems.append((".".join(p for p in (path, sub_path) if p), message))
        for rule in cross_rules:
            found = rule.check(body, sensitive)
            if not found:
                continue
            if rule.level == "warning":  # accepted by Terraform, but it bites later
                self._warn_rule(rule, address, path, found)
                continue
            for sub_path, message in found:
                problems.append((".".join(p for p in (path, sub_path) if p), message))
        return dict(sorted(body.items())), problems, body

    def _json_field(self, value: Any, address: str, here: str,
                    problems: list[tuple[str, str]]) -> Any:
        """One field's value; nested blocks add their problems to ``problems``."""
        if isinstance(value, StructModel):
            sub, found, _ = self.json_struct(value, address, here)
            problems += found
            return sub
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], StructModel):
            items = []
            for index, item in enumerate(value):
                sub, found, _ = self.json_struct(item, address, f"{here}[{index}]")
                problems += found
                items.append(sub)
            return items
        if isinstance(value, dict) and value and all(isinstance(v, StructModel)
                                                     for v in value.values()):
            labelled = {}
            for label, item in sorted(value.items()):
                sub, found, _ = self.json_struct(item, address, f"{here}[{label!r}]")
                problems += found
                labelled[label] = sub
            return labelled
        return self.json_value(value, address, here)

    def _warn_rule(self, rule: Any, address: str, path: str,
                   found: list[tuple[str, str]]) -> None:
        file, line = user_location()
        for sub_path, message in found:
            self.diagnostics.append(Diagnostic(
                Level.WARNING, message, rule.warning_code(), file or self.file, line, self.name,
                address, ".".join(p for p in (path, sub_path) if p) or None, rule.hint))

    def _warn_deprecated(self, address: str, path: str, message: str) -> None:
        file, line = user_location()
        text = "is deprecated by the provider" + (f": {message}" if message else "")
        hint = ("the provider may remove it in a later version: "
                + ("use what its message names instead" if message else "stop setting it"))
        self.diagnostics.append(Diagnostic(Level.WARNING, text, DEPRECATED, file or self.file,
                                           line, self.name, address, path, hint))

    def _warn_managed(self, address: str, path: str) -> None:
        """A value for an attribute the provider sets itself: Terraform accepts it (the schema
        lists it as optional), but the provider replaces it, so it only misleads."""
        file, line = user_location()
        name = path.rsplit(".", 1)[-1]
        if name == "tags_all":
            text = ("is managed by the provider: it is `tags` merged with the provider's "
                    "default_tags, and the provider replaces a value given here")
            hint = "set tags= on the resource (or default_tags in provider(...)) instead"
        else:
            text = ("is the identifier the provider assigns when it creates the resource; "
                    "Terraform accepts a value here, but the provider does not use it")
            hint = f"remove {name}= and read the identifier from the reference (ref.{name})"
        self.diagnostics.append(Diagnostic(Level.WARNING, text, PROVIDER_MANAGED,
                                           file or self.file, line, self.name, address, path,
                                           hint))

    def _foreign(self, value: Expr, address: str, path: str) -> None:
        """Record a reference to another template's object; the value is still rendered, so
        the body runs on and its other mistakes are found too."""
        other = self._contexts.get(id(value._owner), "another template")
        where = f"{address}: {path}" if path else address
        self.errors.append(CrossTemplateReferenceError(
            f"{where} refers to {value._render()}, which template {other!r} declares",
            template=self.name,
            hint=f"export it from {other!r} with output(...) and read it here with "
            f"remote_outputs({other!r}).<output name>",
        ))

    # -- finishing ----------------------------------------------------------------------
    def check_interpolations(self) -> None:
        """Strings such as f-strings can carry references too: each must name something
        this template declares. Every dangling reference is recorded (once per holder)."""
        seen: set[tuple[str, str]] = set()
        for holder, text in self._interpolations:
            for match in _ADDRESS.finditer(text):
                is_data, type_name, name = match.groups()
                kind = "data" if is_data else "resource"
                if self.has(kind, type_name, name) or not self._is_type(type_name):
                    continue
                target = f"{'data.' if is_data else ''}{type_name}.{name}"
                if (holder, target) in seen:
                    continue
                seen.add((holder, target))
                self.errors.append(CrossTemplateReferenceError(
                    f"{holder} refers to {target}, which this template does not declare",
                    template=self.name, locate=False, file=self.file,
                    hint="declare it in this template, or read another template's values "
                    "through output(...) and remote_outputs(...)",
                ))

    def _is_type(self, type_name: str) -> bool:
        """Whether a name is a resource or data source type (not a `for` variable)."""
        return (type_name in self.resources or type_name in self.data
                or type_name in _BUILTIN_TYPES or providers.for_type(type_name) is not None)

    def required_providers(self) -> dict[str, dict[str, str]]:
        """Source and pinned version of every registered provider this template uses."""
        out = {}
        for name in sorted(self.used_providers):
            provider = providers.get(name)
            if provider is not None:
                out[name] = {"source": provider.source, "version": provider.version}
        return out

    def config(self, remote_state: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
        self.check_interpolations()
        for finish_check in self.finish_checks:  # each runs, whatever the others found
            try:
                finish_check(self)
            except PangeaError as exc:
                self.errors.append(exc.with_template(self.name))
        self.raise_errors()
        doc: dict[str, Any] = {}
        required = self.required_providers()
        if required:
            doc["terraform"] = {"required_providers": required}
        if self.required_version:
            doc.setdefault("terraform", {})["required_version"] = self.required_version
        if self.providers:
            doc["provider"] = {k: v for k, v in sorted(self.providers.items())}
        if self.variables:
            doc["variable"] = dict(sorted(self.variables.items()))
        if self.locals:
            doc["locals"] = dict(sorted(self.locals.items()))
        data = {t: dict(sorted(v.items())) for t, v in sorted(self.data.items())}
        if self.remote or self.remote_states:
            states = {name: remote_state(name) for name in self.remote}
            states.update(self.remote_states)
            data["terraform_remote_state"] = dict(sorted(states.items()))
            data = dict(sorted(data.items()))
        if data:
            doc["data"] = data
        if self.resources:
            doc["resource"] = {t: dict(sorted(v.items())) for t, v in sorted(self.resources.items())}
        if self.outputs:
            doc["output"] = dict(sorted(self.outputs.items()))
        doc.update(self.sections)
        return dict(sorted(doc.items()))

