"""A fill with a zero side is a malformed filter (a 400), not a division by zero (a 500)."""

import pytest
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import Filter

from tests.api.conftest import make_image
from tests.factories import logged_in, network_admin


@pytest.mark.parametrize("spec", ["fill-0x0", "fill-0x10", "fill-10x0", "fill-0x10-c50"])
def test_a_fill_with_a_zero_side_is_a_malformed_filter(spec):
    with pytest.raises(InvalidFilterSpecError, match="at least 1 pixel"):
        Filter(spec=spec).operations  # noqa: B018 - parsed when read


def test_the_admin_preview_of_such_a_fill_is_a_400(db):
    image = make_image()
    client = logged_in(network_admin())
    assert client.get(f"/admin/images/{image.pk}/preview/fill-0x0/").status_code == 400
    response = client.get(f"/admin/images/{image.pk}/preview/fill-10x10-c50/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
