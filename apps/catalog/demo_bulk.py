"""Large demo catalogs through the import's bulk path (filled in by the import work)."""


def seed(context) -> None:
    return None
