"""plotly.min.js comes from the plotly wheel through one small finder; nothing else of it."""

from pathlib import Path

from django.contrib.staticfiles import finders

from apps.core.staticfinders import PlotlyFinder


def test_plotly_is_found_under_vendor():
    path = finders.find("vendor/plotly.min.js")

    assert path is not None
    assert Path(path).name == "plotly.min.js"
    assert Path(path).stat().st_size > 1_000_000
    assert finders.find("vendor/plotly.min.js", find_all=True) == [path]


def test_the_finder_exposes_nothing_else_of_the_wheel():
    finder = PlotlyFinder()

    assert finder.find("plotly.min.js") is None
    assert finder.find("vendor/plotly.js") is None
    assert finder.find("vendor/plotly.min.js", find_all=True) == [
        finders.find("vendor/plotly.min.js")
    ]
    listed = [(name, storage.prefix) for name, storage in finder.list([])]
    assert listed == [("plotly.min.js", "vendor")]
