"""The store's setup guide: steps that tick themselves from the store's real data.

Each app registers its steps (``apps.core.portal.SetupStep``); a role sees only the steps it
can act on, and a step is done when its query says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from apps.core.models import Store
from apps.core.portal import SetupStep, contributions
from apps.core.roles import role_has


@dataclass(frozen=True)
class SetupStepState:
    step: SetupStep
    done: bool
    url: str


def setup_guide_for(*, store: Store, role: str) -> list[SetupStepState]:
    return [
        SetupStepState(
            step=step,
            done=step.is_done(store),
            url=reverse(step.url_name, kwargs={"handle": store.handle}),
        )
        for step in contributions(SetupStep)
        if role_has(role, step.perm)
    ]
