"""The supervision pages as each role uses them: list from the item, answer as the unit, verify, download."""

import io
import shutil
import subprocess
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document as open_docx
from docx.oxml.ns import qn

from gandang.supervision.models import Listing, Proposal
from tests.supervision.conftest import write


@pytest.fixture(autouse=True)
def _today(settings):
    settings.GANDANG_TODAY = "2023-11-06"


def test_office_lists_an_item_from_its_page_and_gets_the_letter(city, login):
    c = login(city.users["office"])
    item = city.items["a"]
    page = c.get(reverse("ledger:item_detail", args=[item.pk])).content.decode()
    new_url = reverse("supervision:listing_new") + f"?item={item.pk}"
    assert new_url.replace("&", "&amp;") in page or new_url in page
    form = c.get(new_url)
    assert form.status_code == 200 and "确定挂牌并发提醒函" in form.content.decode()
    bad = c.post(
        reverse("supervision:listing_new"),
        {"item": item.pk, "level": "office", "reason": "慢", "requirements": "快", "deadline": "2023-11-01"},
    )
    assert bad.status_code == 200 and "整改时限应晚于今天" in bad.content.decode()
    assert not Listing.objects.exists()
    r = c.post(
        reverse("supervision:listing_new"),
        {
            "item": item.pk,
            "level": "leader",
            "reason": "连续两月严重滞后",
            "requirements": "倒排工期",
            "deadline": "2023-12-06",
        },
        follow=True,
    )
    body = r.content.decode()
    assert "改提〔2023〕1号" in body and "已挂牌督办" in body
    listing = Listing.objects.get()
    assert listing.level == "leader"
    # The ledger list and the item page carry the 挂牌 badge; the ledger filter finds it.
    ledger = c.get(reverse("ledger:item_list") + "?flag=listed").content.decode()
    assert "tag-listed" in ledger and item.title in ledger and city.items["b"].title not in ledger
    assert "挂牌督办 · 市级领导督办" in c.get(reverse("ledger:item_detail", args=[item.pk])).content.decode()


def test_non_office_cannot_open_the_listing_form(city, login):
    for who in ("leader", "liaison_a", "head_a", "observer"):
        c = login(city.users[who])
        assert c.get(reverse("supervision:listing_new") + f"?item={city.items['a'].pk}").status_code == 403


def test_proposal_tab_lists_and_dismisses(city, login):
    p = Proposal.objects.create(item=city.items["b"], trigger="red", reason="9月、10月连续严重滞后")
    c = login(city.users["office"])
    page = c.get(reverse("supervision:index") + "?tab=proposals").content.decode()
    assert "9月、10月连续严重滞后" in page and f"?proposal={p.pk}" in page
    c.post(reverse("supervision:proposal_dismiss", args=[p.pk]), {"reason": "客观原因"})
    p.refresh_from_db()
    assert p.state == "dismissed" and p.dismiss_reason == "客观原因"
    # Unit members never see the proposals tab, even by URL.
    liaison = (
        login(city.users["liaison_b"]).get(reverse("supervision:index") + "?tab=proposals").content.decode()
    )
    assert "9月、10月连续严重滞后" not in liaison


def test_unit_answers_and_office_delists_through_the_pages(city, listed, client):
    u = city.users
    url = reverse("supervision:listing_detail", args=[listed.pk])
    client.force_login(u["liaison_a"])
    home = client.get("/").content.decode()
    assert "挂牌督办事项待整改" in home and listed.item.title in home
    client.post(
        reverse("supervision:rectification_edit", args=[listed.pk]),
        {
            "causes": "统筹不够",
            "measures": "已出台办法",
            "next_steps": "跟踪问效",
            "version": listed.rectification.version,
        },
    )
    client.post(reverse("supervision:rectification_step", args=[listed.pk, "submit"]))
    client.force_login(u["head_a"])
    assert "待签发的整改报告" in client.get("/").content.decode()
    client.post(reverse("supervision:rectification_step", args=[listed.pk, "approve"]))
    client.force_login(u["office"])
    assert "待核验的整改报告" in client.get("/").content.decode()
    page = client.get(url).content.decode()
    assert "核验通过并摘牌" in page and "已出台办法" in page
    client.post(reverse("supervision:rectification_step", args=[listed.pk, "accept"]), {"reason": "整改到位"})
    listed.refresh_from_db()
    assert listed.state == "delisted"
    page = client.get(url).content.decode()
    assert "已摘牌" in page and "整改到位" in page
    closed = client.get(reverse("supervision:index") + "?tab=closed").content.decode()
    assert listed.item.title in closed


def test_stale_rectification_form_keeps_the_text_and_says_why(city, listed, login):
    c = login(city.users["liaison_a"])
    old = listed.rectification.version
    write(listed, city.users["liaison_a"])
    r = c.post(
        reverse("supervision:rectification_edit", args=[listed.pk]),
        {"causes": "", "measures": "旧页面的内容", "next_steps": "", "version": old},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "他人修改" in body and "旧页面的内容" in body


def test_letter_docx_has_official_faces_and_the_text(city, listed, login):
    letter = listed.letters.get()
    r = login(city.users["head_a"]).get(reverse("supervision:letter_download", args=[letter.pk, "docx"]))
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    doc = open_docx(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "改提〔2023〕1号" in text and "一是倒排工期；二是明确责任人。" in text and "市发展改革委：" in text
    title = next(p for p in doc.paragraphs if p.text.startswith("关于加快推进"))
    rfonts = title.runs[0].element.rPr.find(qn("w:rFonts"))
    assert title.runs[0].font.size.pt == 22 and rfonts.get(qn("w:eastAsia")) == "方正小标宋简体"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_letter_pdf_and_the_cli_write_the_same_letter(city, listed, login, tmp_path):
    letter = listed.letters.get()
    r = login(city.users["office"]).get(reverse("supervision:letter_download", args=[letter.pk, "pdf"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    web = tmp_path / "web.pdf"
    web.write_bytes(r.content)
    cli = tmp_path / "cli.pdf"
    call_command("letter", "改提〔2023〕1号", "-o", str(cli))
    texts = [
        subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True).stdout for p in (web, cli)
    ]
    assert texts[0] == texts[1]
    flat = texts[0].replace(" ", "").replace("\n", "")
    assert "改提〔2023〕1号" in flat and "深化要素市场化配置改革" in flat
    call_command("letter", str(letter.pk), "-o", str(tmp_path / "x.docx"))
    assert (tmp_path / "x.docx").stat().st_size > 5000


def test_cli_refuses_unknown_letters_and_formats(city, listed, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有找到"):
        call_command("letter", "改提〔2023〕99号", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match=r"\.docx 或 \.pdf"):
        call_command("letter", "1", "-o", str(tmp_path / "x.txt"))


def test_issued_letter_does_not_change_when_the_template_does(city, listed):
    from gandang.documents.models import DocumentTemplate
    from gandang.supervision.services import letter_as_document

    before = letter_as_document(listed.letters.get()).text()
    DocumentTemplate.objects.filter(kind="reminder").update(title="新的标题{item}")
    assert letter_as_document(listed.letters.get()).text() == before
    from gandang.supervision import services

    other = services.listing_create(
        actor=city.users["office"],
        item=city.items["b"],
        data=services.ListingInput(level="office", reason="x", requirements="y", deadline=date(2023, 12, 30)),
    )
    assert other.letters.get().title == "新的标题推进乡村振兴片区建设"


def test_api_lists_listings_in_the_users_scope(city, listed, login):
    rows = login(city.users["liaison_a"]).get("/api/supervision/listings").json()
    assert [r["item_code"] for r in rows] == ["1"] and rows[0]["letters"][0][
        "doc_number"
    ] == "改提〔2023〕1号"
    assert login(city.users["liaison_b"]).get("/api/supervision/listings").json() == []


def test_escalate_from_the_page_issues_the_supervision_letter(city, listed, login, settings):
    settings.GANDANG_TODAY = "2023-12-07"  # the day after the deadline
    c = login(city.users["office"])
    c.post(reverse("supervision:listing_escalate", args=[listed.pk]), {"escalation": 0})
    listed.refresh_from_db()
    assert listed.escalation == 1
    assert (
        "改督〔2023〕1号" in c.get(reverse("supervision:listing_detail", args=[listed.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("office", "/supervision/"),
        ("office", "/supervision/?tab=letters"),
        ("office", "/supervision/?tab=proposals"),
        ("liaison_a", "/"),
        ("office", "/"),
        ("office", "/api/supervision/listings"),
    ],
)
def test_supervision_pages_do_not_grow_queries_with_listings(login, city, role, url):
    from gandang.ledger.models import Item
    from gandang.supervision import services
    from tests.test_query_counts import add_items, count

    def list_all():
        for item in Item.objects.filter(listings__isnull=True, lead_unit=city.units["a"]):
            services.listing_create(
                actor=city.users["office"],
                item=item,
                data=services.ListingInput(
                    level="office", reason="慢", requirements="快", deadline=date(2023, 12, 30)
                ),
            )
            Proposal.objects.create(item=item, trigger="red", reason="连续严重滞后")

    client = login(city.users[role])
    add_items(city, 2, 0)
    list_all()
    few = count(client, url)
    add_items(city, 10, 2)
    list_all()
    assert count(client, url) == few


def test_save_and_submit_keeps_the_typed_text_and_submits_it(city, listed, login):
    c = login(city.users["liaison_a"])
    r = c.post(
        reverse("supervision:rectification_edit", args=[listed.pk]),
        {
            "causes": "统筹不够",
            "measures": "已出台办法",
            "next_steps": "",
            "version": listed.rectification.version,
            "then": "submit",
        },
    )
    assert r.status_code == 302
    listed.rectification.refresh_from_db()
    assert listed.rectification.measures == "已出台办法" and listed.rectification.state == "submitted"
    # Without the measures the text is still saved, and the liaison is told why it was not submitted.
    listing = listed
    from gandang.supervision.models import Rectification

    Rectification.objects.filter(pk=listing.rectification.pk).update(state="draft")
    listing.rectification.refresh_from_db()
    r = c.post(
        reverse("supervision:rectification_edit", args=[listing.pk]),
        {
            "causes": "新的原因",
            "measures": "",
            "next_steps": "",
            "version": listing.rectification.version,
            "then": "submit",
        },
        follow=True,
    )
    listing.rectification.refresh_from_db()
    assert listing.rectification.causes == "新的原因" and listing.rectification.state == "draft"
    assert "整改报告已保存，但未能提交" in r.content.decode()


def test_a_wrong_new_deadline_says_what_is_wrong(client, city, settings):
    from datetime import date

    from gandang.supervision import services

    listing = services.listing_create(
        actor=city.users["office"],
        item=city.items["a"],
        data=services.ListingInput(
            level="office", reason="进展缓慢", requirements="加快", deadline=date(2099, 1, 1)
        ),
    )
    client.force_login(city.users["office"])
    r = client.post(
        f"/supervision/{listing.pk}/extend/",
        {"deadline": "2023年2月30日", "reason": "需要更多时间"},
        follow=True,
    )
    assert "2023年2月30日" in r.content.decode() and "请填写新的整改时限和理由" not in r.content.decode()


def test_a_jointly_led_item_shows_every_lead_unit_and_the_listing_stays_with_the_first(city, login, listed):
    from gandang.ledger.models import JointLead

    item = city.items["a"]
    JointLead.objects.create(item=item, unit=city.units["c"], order=1)
    Proposal.objects.create(item=item, trigger="red", reason="连续严重滞后")
    both = "市发展改革委、市教育局"
    c = login(city.users["office"])
    assert both in c.get(reverse("supervision:index") + "?tab=proposals").content.decode()
    assert both in c.get(reverse("supervision:index")).content.decode()
    assert both in c.get(reverse("supervision:listing_new") + f"?item={item.pk}").content.decode()
    detail = c.get(listed.get_absolute_url()).content.decode()
    assert both in detail
    # Who answers the listing (责任单位) is still the first lead unit alone.
    assert listed.unit == city.units["a"] and listed.rectification.unit == city.units["a"]


@pytest.mark.parametrize("tab", ["open", "proposals"])
def test_the_lists_run_as_many_queries_for_many_jointly_led_items_as_for_one(city, login, listed, tab):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gandang.ledger.models import JointLead
    from gandang.supervision import services
    from tests.supervision.conftest import TODAY

    def count(client):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("supervision:index") + f"?tab={tab}").status_code == 200
        return len(ctx.captured_queries)

    c = login(city.users["office"])
    JointLead.objects.create(item=city.items["a"], unit=city.units["c"], order=1)
    Proposal.objects.create(item=city.items["a"], trigger="red", reason="连续严重滞后")
    few = count(c)
    for key in ("b", "c"):
        JointLead.objects.create(item=city.items[key], unit=city.units["a"], order=1)
        if tab == "proposals":  # (listing an item closes its open proposal)
            Proposal.objects.create(item=city.items[key], trigger="red", reason="连续严重滞后")
            continue
        services.listing_create(
            actor=city.users["office"],
            item=city.items[key],
            data=services.ListingInput(
                level="office", reason="慢", requirements="快", deadline=date(2023, 12, 6)
            ),
            today=TODAY,
        )
    assert count(c) == few
