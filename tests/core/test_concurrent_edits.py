"""Two people editing the same snippet at once lose nothing of each other's work.

Cluster profiles, partner organisations and contact people have no revisions; the second
of two saves used to write back every field its form was opened with, so a translator
saving the English city erased the Czech city a colleague had saved meanwhile
(``ConcurrentEditsFormMixin``). Driven as browsers would: each editor opens the edit
page, changes what they change, and posts back the whole form.
"""

import pytest
from django.test import Client
from lxml import html as lxml_html

from cms.clusters.models import ClusterProfile
from cms.core.models import Sector
from cms.partners.models import ContactPerson, PartnerOrganisation


def opened(client: Client, url: str) -> dict:
    """What the browser would post back from the edit page, unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    return posted_back(response)


def posted_back(response) -> dict:
    """The values of the page's edit form, as the browser would post them."""
    page = lxml_html.fromstring(response.content)
    form = page.get_element_by_id("w-editor-form", None)  # a snippet's
    form = page.get_element_by_id("page-edit-form") if form is None else form
    data: dict[str, list[str]] = {}
    for element in form.iter("input", "textarea", "select"):
        name = element.get("name")
        kind = element.get("type", "text")
        if not name or kind in ("submit", "button", "file", "image"):
            continue
        if element.tag == "select":
            options = element.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and element.get("multiple") is None and options:
                chosen = options[:1]
            values = [o.get("value", o.text or "") for o in chosen]
        elif element.tag == "textarea":
            text = element.text or ""
            values = [text[1:] if text.startswith("\n") else text]  # as browsers read it
        elif kind in ("checkbox", "radio"):
            values = [element.get("value", "on")] if element.get("checked") is not None else []
        else:
            values = [element.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data


#: A field both editors changed, as the refused form marks it (the admin is in Czech).
KEEPS_MINE = "Mezitím změnil někdo jiný na: „%s“. Když uložíte znovu, zůstane zde vaše hodnota."


def discard_link(response) -> str:
    """Where the refusal's "Discard my changes and reload" button leads."""
    page = lxml_html.fromstring(response.content)
    links = page.xpath("//a[normalize-space()='Zahodit mé změny a načíst znovu']/@href")
    assert len(links) == 1, response.content.decode()
    return links[0]


def errors_of(response) -> dict:
    return {
        name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()
    }


def edit_url(obj) -> str:
    meta = obj._meta
    return f"/admin/snippets/{meta.app_label}/{meta.model_name}/edit/{obj.pk}/"


@pytest.fixture
def cluster(cz):
    return ClusterProfile.objects.filter(country=cz).exclude(name_cs="").first()


def snippet_of(kind: str, cz):
    if kind == "cluster":
        return ClusterProfile.objects.filter(country=cz).exclude(name_cs="").first()
    if kind == "partner":
        return PartnerOrganisation.objects.create(
            name_cs="Národní partner", name_en="National partner", slug="np", country=cz
        )
    return ContactPerson.objects.create(name="Jana Nováková", slug="jana", country=cz)


#: Per snippet type, two fields two people change at once: a translator's each.
FIELDS = {
    "cluster": ("city_cs", "city_en"),
    "partner": ("city_cs", "city_en"),
    "contact": ("role_cs", "role_en"),
}


@pytest.mark.parametrize("kind", FIELDS)
def test_two_translators_saving_at_once_both_keep_their_edit(kind, cz, editors):
    """The auditor's case: A changes the Czech city, B the English one; both saves land."""
    a, b = editors
    obj = snippet_of(kind, cz)
    url = edit_url(obj)
    form_a, form_b = opened(a, url), opened(b, url)
    field_a, field_b = FIELDS[kind]
    form_a[field_a] = ["Changed by A"]
    form_b[field_b] = ["Changed by B"]

    assert a.post(url, form_a).status_code == 302
    response = b.post(url, form_b)
    assert response.status_code == 302, errors_of(response)

    obj.refresh_from_db()
    assert getattr(obj, field_a) == "Changed by A"
    assert getattr(obj, field_b) == "Changed by B"


def test_a_single_edit_saves(cluster, editors):
    a, _b = editors
    url = edit_url(cluster)
    form = opened(a, url)
    form["city_cs"] = ["Liberec"]
    assert a.post(url, form).status_code == 302
    cluster.refresh_from_db()
    assert cluster.city_cs == "Liberec"


def test_the_edit_page_still_shows_who_else_has_it_open(cluster, editors):
    """Wagtail's editing sessions work for snippets without revisions too (who else is
    editing); only its "a newer version was saved" warning needs revisions."""
    a, _b = editors
    assert 'data-controller="w-swap w-action w-session"' in a.get(edit_url(cluster)).text


def test_choices_and_rich_text_saved_meanwhile_are_kept(cluster, editors):
    """Sectors, the contact's link and the Czech description changed by A; B changes the
    English name. B's form carried the old ones (the description as the editor's JSON)."""
    a, b = editors
    url = edit_url(cluster)
    form_a, form_b = opened(a, url), opened(b, url)
    sectors = sorted(str(pk) for pk in Sector.objects.values_list("pk", flat=True)[:2])
    form_a["sectors"] = sectors
    form_a["description_cs"] = [
        '{"blocks":[{"key":"a1b2c","type":"unstyled","depth":0,"text":"Nový popis",'
        '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
    ]
    form_b["name_en"] = ["Renamed by B"]

    assert a.post(url, form_a).status_code == 302
    response = b.post(url, form_b)
    assert response.status_code == 302, errors_of(response)

    cluster.refresh_from_db()
    assert cluster.name_en == "Renamed by B"
    assert "Nový popis" in cluster.description_cs
    assert sorted(str(s.pk) for s in cluster.sectors.all()) == sectors


def test_a_field_changed_by_both_is_refused_with_the_others_value_and_the_input_kept(
    cluster, editors
):
    a, b = editors
    url = edit_url(cluster)
    english_city = cluster.city_en
    form_a, form_b = opened(a, url), opened(b, url)
    form_a["city_cs"] = ["Brno"]
    form_a["region_cs"] = ["Jihomoravský kraj"]
    form_b["city_cs"] = ["Opava"]
    form_b["city_en"] = ["Opava (EN)"]
    assert a.post(url, form_a).status_code == 302

    response = b.post(url, form_b)

    assert response.status_code == 200
    assert errors_of(response)["city_cs"] == [KEEPS_MINE % "Brno"]
    body = response.content.decode()
    assert "Někdo jiný tuto položku uložil, zatímco jste ji upravovali" in body
    assert discard_link(response) == url  # the way back to the saved version
    page = lxml_html.fromstring(response.content)
    assert page.xpath("//input[@name='city_cs']/@value") == ["Opava"]  # B's input stays
    assert page.xpath("//input[@name='city_en']/@value") == ["Opava (EN)"]
    cluster.refresh_from_db()
    assert (cluster.city_cs, cluster.region_cs) == ("Brno", "Jihomoravský kraj")
    assert cluster.city_en == english_city  # nothing of B's is saved yet

    # B has seen A's value and saves again: B's city on purpose, A's region still kept.
    response = b.post(url, posted_back(response))
    assert response.status_code == 302, errors_of(response)
    cluster.refresh_from_db()
    assert (cluster.city_cs, cluster.city_en, cluster.region_cs) == (
        "Opava",
        "Opava (EN)",
        "Jihomoravský kraj",
    )


def test_a_save_refused_after_a_merge_shows_the_values_kept_and_whose_they_are(cluster, editors):
    """A empties the English name (Czech is ready: valid). B unticks Czech: with A's empty
    name kept, visitors would find the profile in no language, and B is refused. B's form
    used to show B's stale English name, say nothing of A, and refuse again whatever B did
    (retyping the old name counted as "unchanged", so A's empty one was kept each time)."""
    a, b = editors
    url = edit_url(cluster)
    ClusterProfile.objects.filter(pk=cluster.pk).update(
        name_en="Moravian cluster", ready_languages=["cs"]
    )
    form_a, form_b = opened(a, url), opened(b, url)
    form_a["name_en"] = [""]
    assert a.post(url, form_a).status_code == 302
    form_b["ready_languages"] = []

    refused = b.post(url, form_b)

    assert refused.status_code == 200
    assert "ready_languages" in errors_of(refused)
    page = lxml_html.fromstring(refused.content)
    assert page.xpath("//input[@name='name_en']/@value") in ([], [""])  # A's value, shown
    assert any("(“”)" in error for error in errors_of(refused)["__all__"])
    form = posted_back(refused)
    form["name_en"] = ["Moravian cluster"]  # B puts the name back: B's change now
    response = b.post(url, form)
    assert response.status_code == 302, errors_of(response)
    cluster.refresh_from_db()
    assert (cluster.name_en, cluster.ready_languages) == ("Moravian cluster", [])


def refused_snippet_save(cluster, editors):
    """A changes the Czech city and region; B, who opened the profile at the same moment,
    the Czech and English city, and is refused. B's refused form, as the browser has it."""
    a, b = editors
    url = edit_url(cluster)
    form_a, form_b = opened(a, url), opened(b, url)
    form_a["city_cs"] = ["Brno"]
    form_a["region_cs"] = ["Jihomoravský kraj"]
    form_b["city_cs"] = ["Opava"]
    form_b["city_en"] = ["Opava (EN)"]
    assert a.post(url, form_a).status_code == 302
    response = b.post(url, form_b)
    assert errors_of(response)["city_cs"] == [KEEPS_MINE % "Brno"]
    return response


def take_theirs_boxes(response) -> dict:
    """The refused form's "Take their value instead of mine" boxes: field name → ticked."""
    page = lxml_html.fromstring(response.content)
    return {
        box.get("value"): box.get("checked") is not None
        for box in page.xpath("//input[@type='checkbox'][@name='take_theirs']")
        if box.getparent().text_content().strip() == "Převzít uloženou hodnotu místo mé"
    }


def test_taking_their_value_of_a_field_keeps_mine_elsewhere(cluster, editors):
    """The per-field choice: B takes A's Czech city, keeps their own English one; A's
    region, which B never touched, stays."""
    _a, b = editors
    refused = refused_snippet_save(cluster, editors)
    assert take_theirs_boxes(refused) == {"city_cs": False}  # only under the conflicting field
    form = posted_back(refused)
    form["take_theirs"] = ["city_cs"]

    response = b.post(edit_url(cluster), form)

    assert response.status_code == 302, errors_of(response)
    cluster.refresh_from_db()
    assert (cluster.city_cs, cluster.city_en, cluster.region_cs) == (
        "Brno",
        "Opava (EN)",
        "Jihomoravský kraj",
    )


def test_a_ticked_box_stays_ticked_when_the_save_is_refused_for_something_else(cluster, editors):
    """B ticks "take theirs" but empties the Czech name (required on the Czech site): the
    form comes back with the box still ticked, so the next save still takes A's city."""
    _a, b = editors
    refused = refused_snippet_save(cluster, editors)
    form = posted_back(refused)
    form["take_theirs"] = ["city_cs"]
    form["name_cs"] = [""]

    again = b.post(edit_url(cluster), form)

    assert again.status_code == 200
    assert "name_cs" in errors_of(again) and "city_cs" not in errors_of(again)
    assert take_theirs_boxes(again) == {"city_cs": True}
    form = posted_back(again)
    form["name_cs"] = ["Klastr B"]
    response = b.post(edit_url(cluster), form)
    assert response.status_code == 302, errors_of(response)
    cluster.refresh_from_db()
    assert (cluster.name_cs, cluster.city_cs, cluster.city_en) == ("Klastr B", "Brno", "Opava (EN)")


def test_discarding_after_a_refused_snippet_save_shows_the_saved_version(cluster, editors):
    """The other way out: B takes A's version. The button opens the form afresh, with A's
    values and none of B's, and saving that form changes nothing A saved."""
    a, b = editors
    url = edit_url(cluster)
    english_city = cluster.city_en
    form_a, form_b = opened(a, url), opened(b, url)
    form_a["city_cs"] = ["Brno"]
    form_b["city_cs"] = ["Opava"]
    form_b["city_en"] = ["Opava (EN)"]
    assert a.post(url, form_a).status_code == 302
    refused = b.post(url, form_b)
    assert errors_of(refused)["city_cs"] == [KEEPS_MINE % "Brno"]

    reloaded = b.get(discard_link(refused))

    assert reloaded.status_code == 200
    page = lxml_html.fromstring(reloaded.content)
    assert page.xpath("//input[@name='city_cs']/@value") == ["Brno"]
    assert page.xpath("//input[@name='city_en']/@value") == [english_city]
    assert b.post(url, posted_back(reloaded)).status_code == 302
    cluster.refresh_from_db()
    assert (cluster.city_cs, cluster.city_en) == ("Brno", english_city)


def test_the_same_change_by_both_is_no_conflict(cluster, editors):
    a, b = editors
    url = edit_url(cluster)
    form_a, form_b = opened(a, url), opened(b, url)
    form_a["city_cs"] = form_b["city_cs"] = ["Plzeň"]
    assert a.post(url, form_a).status_code == 302
    assert b.post(url, form_b).status_code == 302
    cluster.refresh_from_db()
    assert cluster.city_cs == "Plzeň"


def test_a_garbled_form_is_refused_with_a_message(cluster, editors):
    a, _b = editors
    url = edit_url(cluster)
    form = opened(a, url)
    assert form["opened_digests"][0].startswith("{")  # the page carries what it showed
    form["opened_digests"] = ["not json"]
    form["city_cs"] = ["Zlín"]
    response = a.post(url, form)
    assert response.status_code == 200
    assert "Formulář nešlo porovnat s uloženou verzí" in response.content.decode()
    cluster.refresh_from_db()
    assert cluster.city_cs != "Zlín"
