"""The upload size check every import shares (apps.core.tabular.upload_size_refusal)."""

from __future__ import annotations

from django.test import RequestFactory

from apps.core import tabular
from apps.core.uploads import STOPPED_ATTRIBUTE


def test_a_request_over_the_limit_is_refused_from_its_length_alone():
    request = RequestFactory().post("/", data=b"", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = str(3 * 1024 * 1024)

    assert tabular.upload_size_refusal(request, limit=1024 * 1024) == (
        "The file is about 3.0 MB; the limit is 1.0 MB. Split it into smaller files."
    )


def test_an_upload_the_handler_stopped_is_refused():
    request = RequestFactory().post("/", data={"name": "x"})
    setattr(request, STOPPED_ATTRIBUTE, True)

    assert tabular.upload_size_refusal(request, limit=1024) == (
        "The file is larger than the limit of 1.0 KB. Split it into smaller files."
    )


def test_an_upload_within_the_limit_is_not_refused():
    request = RequestFactory().post("/", data={"name": "x"})

    assert tabular.upload_size_refusal(request, limit=1024 * 1024) == ""
