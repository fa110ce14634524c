"""The shipping setup of tests/shipping/conftest.py, shared."""

from tests.shipping.conftest import shipping_setup  # noqa: F401
