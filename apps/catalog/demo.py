"""Demo catalog (filled in by the catalog work)."""


def seed(context) -> None:
    return None
