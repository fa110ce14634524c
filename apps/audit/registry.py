"""What makes an audit entry readable: a sentence per action and, per kind of object, its
link, its short name and the labels of its fields.

The audit app knows no feature app: each app registers its own actions and objects in its
``portal.py`` (collected at start-up with the rest of what the app adds to the portal)::

    register_action("api_key.revoked", "revoked the API key “{target}”", label="API key revoked")
    register_target("accounts.apikey", url_name="accounts:api-key-list", name=_key_name)

``{target}`` in a sentence stands for the object's name (linked on the page while the object
exists); the person is put in front. An action nobody registered still reads as words
("store touched").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActionText:
    action: str
    sentence: str  # after the person's name, e.g. "revoked the API key “{target}”"
    label: str  # the kind of change in the filter, e.g. "API key revoked"


@dataclass(frozen=True)
class TargetKind:
    target_type: str  # the model's label_lower, e.g. "catalog.product"
    url_name: str = ""  # reversed with the store's handle (and the id, when id_kwarg is set)
    id_kwarg: str = ""  # e.g. "product_id"; empty when the page lists every such object
    name: Callable[[str], str] | None = None  # the short name from the stored text
    field_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # field → value → text


_actions: dict[str, ActionText] = {}
_targets: dict[str, TargetKind] = {}


def register_action(action: str, sentence: str, *, label: str) -> ActionText:
    if action in _actions:
        raise ValueError(f"{action} is registered already")
    if "{target}" not in sentence:
        raise ValueError(f"the sentence of {action} does not name its {{target}}")
    _actions[action] = ActionText(action, sentence, label)
    return _actions[action]


def unregister_action(action: str) -> None:
    _actions.pop(action, None)


def register_target(target_type: str, **options) -> TargetKind:
    if target_type in _targets:
        raise ValueError(f"{target_type} is registered already")
    _targets[target_type] = TargetKind(target_type, **options)
    return _targets[target_type]


def unregister_target(target_type: str) -> None:
    _targets.pop(target_type, None)


def _words(code: str) -> str:
    return code.replace(".", " ").replace("_", " ")


def action_text(action: str) -> ActionText:
    """The registered text of ``action``, or one made of its words."""
    if action in _actions:
        return _actions[action]
    words = _words(action)
    return ActionText(action, f": {words} “{{target}}”", words[:1].upper() + words[1:])


def target_kind(target_type: str) -> TargetKind:
    return _targets.get(target_type) or TargetKind(target_type)


def field_label(kind: TargetKind, name: str) -> str:
    if name in kind.field_labels:
        return kind.field_labels[name]
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]
