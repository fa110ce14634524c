"""What makes an audit entry readable: a sentence per action and, per kind of object, its
link, its short name and the labels of its fields.

The audit app knows no feature app: each app registers its own actions and objects in its
``portal.py`` (collected at start-up with the rest of what the app adds to the portal)::

    register_action("api_key.revoked", "revoked the API key “{target}”", label="API key revoked")
    register_target("accounts.apikey", url_name="accounts:api-key-list", name=_key_name)

``{target}`` in a sentence stands for the object's name (linked on the page while the object
exists); the person is put in front. Any other ``{field}`` stands for the new value of that
field in the entry's changes (``"joined the store as {role}"`` → "joined the store as manager").
An action nobody registered still reads as words ("store touched").

Per kind of object, an app may also hide internal fields (a position), name money fields
(written in the store's currency) and word a field's change itself (``change_words``: a tag
added, an image removed, prices raised by 10 %) instead of as before → after.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActionText:
    action: str
    sentence: str  # after the person's name, e.g. "revoked the API key “{target}”"
    label: str  # the kind of change in the filter, e.g. "API key revoked"
    # the entry records an object made: its changes list the values it was given (no before)
    creates: bool = False

    @property
    def fields(self) -> list[str]:
        """The changed fields the sentence names, ``{role}`` → ``["role"]``."""
        return [
            name
            for _text, name, _spec, _conversion in string.Formatter().parse(self.sentence)
            if name and name != "target"
        ]


# ``(before, after)`` of one field → its change as ``(label, text)`` lines, e.g.
# ``(None, "+sale")`` → ``[("Tag added", "sale")]``; an empty label: the text is a whole
# sentence ("Price raised by 10 %"). Called with the keywords ``currency`` (the store's, for
# amounts) and ``changes`` (the entry's other fields, e.g. a count it covers).
ChangeWords = Callable[..., list[tuple[str, str]]]


@dataclass(frozen=True)
class TargetKind:
    target_type: str  # the model's label_lower, e.g. "catalog.product"
    url_name: str = ""  # reversed with the store's handle (and the id, when id_kwarg is set)
    id_kwarg: str = ""  # e.g. "product_id"; empty when the page lists every such object
    name: Callable[[str], str] | None = None  # the short name from the stored text
    field_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # field → value → text
    hidden_fields: frozenset[str] = frozenset()  # internal: never shown (a position)
    money_fields: frozenset[str] = frozenset()  # amounts, shown in the store's currency
    change_words: dict[str, ChangeWords] = field(default_factory=dict)


_actions: dict[str, ActionText] = {}
_targets: dict[str, TargetKind] = {}


CREATED_SUFFIX = ".created"


def register_action(
    action: str, sentence: str, *, label: str, creates: bool | None = None
) -> ActionText:
    """``creates``: the action makes its object (by default, an action named ``….created``)."""
    if action in _actions:
        raise ValueError(f"{action} is registered already")
    if creates is None:
        creates = action.endswith(CREATED_SUFFIX)
    text = ActionText(action, sentence, label, creates)
    if "{target}" not in sentence and not text.fields:
        raise ValueError(f"the sentence of {action} names neither its {{target}} nor a field")
    _actions[action] = text
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


def registered_actions() -> list[str]:
    """Every kind of entry the apps word (the audit log's "Kind" filter), by code."""
    return sorted(_actions)


def registered_target_types() -> list[str]:
    """Every object type the apps describe (the audit log's "Object type" filter)."""
    return sorted(_targets)


def _words(code: str) -> str:
    return code.replace(".", " ").replace("_", " ")


def action_text(action: str) -> ActionText:
    """The registered text of ``action``, or one made of its words."""
    if action in _actions:
        return _actions[action]
    words = _words(action)
    label = words[:1].upper() + words[1:]
    return ActionText(action, f": {words} “{{target}}”", label, action.endswith(CREATED_SUFFIX))


def target_kind(target_type: str) -> TargetKind:
    return _targets.get(target_type) or TargetKind(target_type)


def field_label(kind: TargetKind, name: str) -> str:
    if name in kind.field_labels:
        return kind.field_labels[name]
    words = name.replace("_", " ")
    return words[:1].upper() + words[1:]
