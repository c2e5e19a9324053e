"""A country's snippets say which site languages visitors will not get, as pages do.

A snippet has no drafts: every save publishes it. A Slovak cluster profile saved with Slovak
unticked was served in English without a word; now the edit view shows the same "Languages
for visitors" panel as a page, and the save says it in a message. Driven through the real
snippet admin views as a Slovak editor (whose admin is in Slovak).
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from cms.clusters.models import ClusterProfile
from cms.core.models import Country
from cms.partners.models import ContactPerson
from tests.factories import country_user

ADD_CLUSTER = "/admin/snippets/clusters/clusterprofile/add/"
#: "Slovak is not ready (held back): visitors of sk.localhost will see the English version
#: instead.", in the Slovak editor's language.
HELD_BACK = (
    "Slovenčina nie je pripravená (zadržaná): návštevníci sk.localhost uvidia "
    "namiesto nej verziu v jazyku angličtina."
)


@pytest.fixture
def slovak_editor(db) -> Client:
    client = Client()
    client.force_login(country_user("SK"))
    return client


@pytest.fixture
def sk(db):
    return Country.objects.get(code="SK")


def slovak_cluster(sk, **extra) -> dict:
    """A profile in Slovak and English, Slovak ticked (English, the common language, is
    always ready: the form offers no tick for it)."""
    return {
        "name_sk": "Sklársky klaster",
        "name_en": "Glass cluster",
        "slug": "sklarsky-klaster",
        "country": sk.pk,
        "ready_languages": ["sk"],
        **extra,
    }


def warnings_after(response) -> list[str]:
    return [str(m).strip() for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_saving_a_profile_with_slovak_held_back_says_what_visitors_get(slovak_editor, sk):
    response = slovak_editor.post(ADD_CLUSTER, slovak_cluster(sk, ready_languages=[]))
    assert response.status_code == 302, response.context["form"].errors
    assert HELD_BACK in warnings_after(response)
    cluster = ClusterProfile.objects.get(slug="sklarsky-klaster")
    edit = slovak_editor.get(f"/admin/snippets/clusters/clusterprofile/edit/{cluster.pk}/")
    html = edit.content.decode()
    assert "data-not-published" in html and HELD_BACK in html


def test_a_profile_served_in_every_site_language_saves_without_a_warning(slovak_editor, sk):
    response = slovak_editor.post(ADD_CLUSTER, slovak_cluster(sk))
    assert response.status_code == 302, response.context["form"].errors
    assert warnings_after(response) == []
    cluster = ClusterProfile.objects.get(slug="sklarsky-klaster")
    edit = slovak_editor.get(f"/admin/snippets/clusters/clusterprofile/edit/{cluster.pk}/")
    assert "data-not-published" not in edit.content.decode()


def test_a_field_borrowed_from_another_language_is_named(slovak_editor, sk):
    """A description written in English only: Slovak visitors read the English one."""
    data = slovak_cluster(sk, description_en="<p>Glass from Slovakia.</p>")
    response = slovak_editor.post(ADD_CLUSTER, data)
    assert response.status_code == 302, response.context["form"].errors
    (warning,) = warnings_after(response)
    # "Slovak – fields without text of their own: description. Visitors of sk.localhost
    # will see the text in this language there: English."
    assert warning.startswith("Slovenčina") and "popis" in warning and "angličtina" in warning


def test_editing_a_contact_says_it_too(slovak_editor, sk):
    contact = ContactPerson.objects.filter(country=sk).exclude(role_sk="").first()
    url = f"/admin/snippets/partners/contactperson/edit/{contact.pk}/"
    form = slovak_editor.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(ready_languages=[], country=sk.pk)
    if contact.organisation_id:
        data["organisation"] = contact.organisation_id
    response = slovak_editor.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert HELD_BACK in warnings_after(response)
