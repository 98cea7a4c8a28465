"""The public showcase: published experiences for anyone; nothing unpublished or internal, ever."""

import pytest
from django.urls import get_resolver, reverse

from tests.achievements.conftest import make_experience


@pytest.fixture
def mixed(city):
    return {
        "published": make_experience(city, title="公开的经验", publish=True),
        "adopted": make_experience(city, title="内部采用的经验XQ"),
        "draft": make_experience(city, title="草稿经验ZZ", adopt=False),
    }


def test_anyone_reads_published_experiences_and_searches(client, mixed):
    page = client.get(reverse("showcase:list")).content.decode()
    assert "公开的经验" in page
    assert "内部采用的经验XQ" not in page and "草稿经验ZZ" not in page
    assert client.get(reverse("showcase:detail", args=[mixed["published"].pk])).status_code == 200
    assert "公开的经验" in client.get(reverse("showcase:list") + "?q=串珠").content.decode()
    assert "公开的经验" not in client.get(reverse("showcase:list") + "?q=不存在的词").content.decode()


def test_unpublished_experiences_are_not_reachable_publicly(client, mixed):
    for key in ("adopted", "draft"):
        r = client.get(reverse("showcase:detail", args=[mixed[key].pk]))
        assert r.status_code == 404
        assert mixed[key].title not in r.content.decode()


def test_every_other_page_refuses_anonymous_visitors(client, mixed):
    """Walk every URL pattern: only login, healthz, set_language, the CSRF token (for a page whose
    person signed in again elsewhere; it reveals nothing) and the showcase answer without login."""
    public = {"login", "healthz", "set_language", "csrf_token", "showcase:list", "showcase:detail"}
    for name in _names(get_resolver()):
        if name in public or name.startswith("api:"):
            continue
        try:
            url = reverse(name)
        except Exception:
            continue  # needs arguments: the permission matrix covers those with real ids
        r = client.get(url)
        assert r.status_code in (302, 401, 403, 404, 405), (name, r.status_code)
        body = r.content.decode(errors="ignore")
        assert "内部采用的经验XQ" not in body and "草稿经验ZZ" not in body


def test_the_published_page_shows_no_attachments_or_promotions_links(client, city, mixed):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.achievements import services

    exp = mixed["published"]
    services.experience_step(
        actor=city.users["office"], experience=exp, action="unpublish", reason="补充附件"
    )
    services.attachment_add(
        actor=city.users["office"],
        experience=exp,
        upload=SimpleUploadedFile("内部材料.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    services.experience_step(actor=city.users["office"], experience=exp, action="publish")
    body = client.get(reverse("showcase:detail", args=[exp.pk])).content.decode()
    assert "内部材料.pdf" not in body and "/achievements/" not in body


def _names(resolver, prefix=""):
    from django.urls import URLPattern, URLResolver

    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "manage":
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name
