import io

import pytest
from PIL import Image


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def png_bytes():
    def make(size=(64, 48), color=(200, 30, 30), fmt="PNG"):
        out = io.BytesIO()
        Image.new("RGB", size, color).save(out, format=fmt)
        return out.getvalue()

    return make
