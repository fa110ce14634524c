"""Serve plotly.min.js straight from the installed ``plotly`` wheel.

Pointing STATICFILES_DIRS at plotly's whole package_data folder would make collectstatic copy
36 MB of data sets; this finder exposes exactly one file, as ``vendor/plotly.min.js``.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).parent / "package_data"
PUBLIC_PATH = "vendor/plotly.min.js"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(PLOTLY_DIR))

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == PUBLIC_PATH:
            match = str(PLOTLY_DIR / "plotly.min.js")
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield "plotly.min.js", _PrefixedStorage(self.storage)


class _PrefixedStorage(FileSystemStorage):
    """collectstatic stores a listed file under ``storage.prefix`` + its name."""

    def __init__(self, inner):
        super().__init__(location=inner.location)
        self.prefix = "vendor"
