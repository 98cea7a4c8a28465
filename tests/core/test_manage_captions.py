"""/manage/ (Django's admin) reads Chinese to a screen reader too, and the API docs describe every
parameter and field in Chinese."""

import re

from django.contrib import admin as django_admin
from django.urls import reverse

from gandang.core.admin import site

LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Text a screen reader reads that the eye may not see: attributes, visually hidden headers, the title.
CAPTIONS = [
    re.compile(r'(?:aria-label|title|alt|placeholder)="([^"]*)"'),
    re.compile(r'class="[^"]*(?:visually-hidden|sr-only)[^"]*"[^>]*>([^<]*)<'),
    re.compile(r'<thead class="visually-hidden">(.*?)</thead>', re.S),
    re.compile(r"<title>(.*?)</title>", re.S),
]


def _captions(html: str) -> list[str]:
    found = []
    for pattern in CAPTIONS:
        for text in pattern.findall(html):
            text = re.sub(r"<[^>]+>", " ", text).strip()
            if text:
                found.append(text)
    return found


def _pages(city) -> list[str]:
    urls = [reverse("manage:index")]
    for model, _model_admin in site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse(f"manage:{info[0]}_{info[1]}_changelist"))
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"manage:{info[0]}_{info[1]}_change", args=[first.pk]))
            urls.append(reverse(f"manage:{info[0]}_{info[1]}_history", args=[first.pk]))
    urls.append(reverse("manage:org_user_add"))
    return urls


def test_no_english_caption_on_the_configuration_screens(login, city):
    english = {}
    pages = _pages(city)
    assert len(pages) > 20
    seen = set()
    # Each screen as each role that keeps it (三权分立: the office, the system, security and audit
    # administrators each have their own).
    for role in ("office", "sysadmin", "secadmin", "auditadmin"):
        client = login(city.users[role])
        for url in pages:
            response = client.get(url, follow=True)  # a singleton (公文设置) redirects to its form
            if response.status_code == 403:
                continue
            assert response.status_code == 200, (role, url)
            seen.add(url)
            _english_captions(response.content.decode(), url, english)
    assert seen == set(pages)  # every screen was read by someone
    assert english == {}


def _english_captions(html: str, url: str, english: dict) -> None:
    names = {"office", "liaison_a", "liaison_b", "head_a", "leader", "observer"}
    names |= {"sysadmin", "secadmin", "auditadmin", "partner"}
    for text in _captions(html):
        # A caption may name an account ("选择此对象执行操作 - head_a"): the name is data, not English.
        words = text
        for name in sorted(names, key=len, reverse=True):
            words = words.replace(name, "")
        if LATIN_WORD.search(words):
            english.setdefault(text, url)


def test_the_search_icon_and_boolean_icons_speak_chinese(login, city):
    html = login(city.users["sysadmin"]).get(reverse("manage:org_unit_changelist")).content.decode()
    assert 'alt="搜索"' in html and 'alt="Search"' not in html
    assert 'alt="是"' in html and 'alt="True"' not in html  # 启用 (is_active) of each unit
    assert '<th scope="col">模型名称</th>' in login(city.users["office"]).get("/manage/").content.decode()


def test_the_captions_follow_the_language(login, city):
    client = login(city.users["sysadmin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("manage:org_unit_changelist")).content.decode()
    assert 'alt="Yes"' in html and 'alt="Search"' in html


def test_our_admin_templates_win_over_djangos(login, city):
    """core/templates/admin overrides django.contrib.admin's (the audit history, the search form)."""
    from django.template.loader import get_template

    for name in ("admin/object_history.html", "admin/search_form.html"):
        assert "gandang/core/templates/admin" in get_template(name).origin.name, name
    assert django_admin.site is not site  # the office's site, not Django's default one


def test_the_api_docs_describe_every_parameter_and_field_in_chinese(login, city):
    schema = login(city.users["office"]).get("/api/openapi.json").json()
    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert chinese.search(schema["info"]["title"]) and chinese.search(schema["info"]["description"])
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert chinese.search(operation["summary"]), path
            assert all(chinese.search(tag) for tag in operation["tags"]), path
            for param in operation.get("parameters", []):
                assert chinese.search(param.get("description", "")), (path, param["name"])
    for name, component in schema["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            assert chinese.search(prop.get("description", "")), (name, field)
    items = next(p for p in schema["paths"]["/api/ledger/items"]["get"]["parameters"] if p["name"] == "flag")
    assert "key 重点改革任务" in items["description"]  # code values listed from the choices the pages use
