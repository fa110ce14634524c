"""The abandonment window is between 5 minutes and 7 days, on the model and in the form."""

import pytest
from django.core.exceptions import ValidationError

from tests.accounts.test_views import SETTINGS


@pytest.mark.parametrize(
    ("minutes", "is_saved"),
    [("4", False), ("5", True), ("10080", True), ("10081", False), ("2147483648", False)],
)
def test_abandonment_window_is_between_5_minutes_and_7_days(
    store, owner, client_for, minutes, is_saved
):
    response = client_for(owner).post(
        "/store/alpha/settings/", {**SETTINGS, "abandonment_window_minutes": minutes}
    )

    store.refresh_from_db()
    if is_saved:
        assert response.status_code == 302
        assert store.abandonment_window_minutes == int(minutes)
    else:
        assert response.status_code == 200
        assert (
            b'id="id_abandonment_window_minutes_error">Choose between 5 minutes and 7 days '
            b"(10,080 minutes).</p>" in response.content
        )
        assert store.abandonment_window_minutes == 60


def test_the_model_bounds_the_abandonment_window_too(store):
    store.abandonment_window_minutes = 10081
    with pytest.raises(ValidationError) as raised:
        store.full_clean()
    assert raised.value.message_dict["abandonment_window_minutes"] == [
        "Choose between 5 minutes and 7 days (10,080 minutes)."
    ]
