"""The pages of reform information and the periodical, through the HTTP client: what each person sees
and does, and what bad input gets (a Chinese message or a 400/404, nothing half-saved, the text kept)."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gandang.information import services
from gandang.information.models import Issue, Piece
from tests.information.conftest import adopted, drafted, issued, signed

pytestmark = pytest.mark.django_db


def _png(name="现场.png"):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _msgs(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_liaison_drafts_saves_and_submits_a_piece(client, city):
    client.force_login(city.users["liaison_a"])
    r = client.post(
        reverse("information:piece_create"), {"title": "推行“拿地即开工”", "text": "第一段\n第二段"}
    )
    piece = Piece.objects.get()
    assert r.status_code == 302 and r.url == piece.get_absolute_url()
    page = client.get(piece.get_absolute_url())
    assert "保存并提交签发" in page.content.decode()
    r = client.post(
        reverse("information:piece_edit", args=[piece.pk]),
        {"title": piece.title, "text": "改后的正文", "version": piece.version, "then": "submit"},
        follow=True,
    )
    piece.refresh_from_db()
    assert piece.state == "submitted" and piece.text == "改后的正文"
    assert "已提交签发" in " ".join(_msgs(r))


def test_a_piece_without_a_title_is_refused_and_the_text_kept(client, city):
    client.force_login(city.users["liaison_a"])
    r = client.post(reverse("information:piece_create"), {"title": "", "text": "辛苦写的正文"})
    assert r.status_code == 400 and "辛苦写的正文" in r.content.decode()
    assert not Piece.objects.exists()


def test_a_stale_edit_is_refused_and_what_was_typed_survives(client, city):
    piece = drafted(city)
    client.force_login(city.users["liaison_a"])
    url = reverse("information:piece_edit", args=[piece.pk])
    client.post(url, {"title": "第一次", "text": "一", "version": piece.version})
    r = client.post(url, {"title": "第二次", "text": "我后来写的", "version": piece.version})
    assert r.status_code == 400
    body = r.content.decode()
    assert "已被他人修改" in body and "我后来写的" in body
    piece.refresh_from_db()
    assert piece.title == "第一次"


def test_the_office_edits_adopts_or_returns_with_a_reason(client, city):
    piece = signed(city)
    client.force_login(city.users["office"])
    r = client.post(
        reverse("information:piece_edit", args=[piece.pk]),
        {"title": "改革办改过的标题", "text": piece.text, "version": piece.version},
    )
    assert r.status_code == 302
    r = client.post(reverse("information:piece_step", args=[piece.pk, "return"]), {"reason": ""}, follow=True)
    assert "退回需要填写原因" in " ".join(_msgs(r))
    piece.refresh_from_db()
    assert piece.state == "signed" and piece.title == "改革办改过的标题"
    client.post(reverse("information:piece_step", args=[piece.pk, "adopt"]))
    piece.refresh_from_db()
    assert piece.state == "adopted"
    history = client.get(piece.get_absolute_url()).content.decode()
    assert "改革办编辑" in history


def test_forged_ids_and_unknown_steps_are_404(client, city):
    piece = drafted(city)
    client.force_login(city.users["liaison_b"])
    assert client.get(reverse("information:piece_detail", args=[piece.pk])).status_code == 404
    client.force_login(city.users["liaison_a"])
    assert client.get(reverse("information:piece_detail", args=[999999])).status_code == 404
    assert client.post(reverse("information:piece_step", args=[piece.pk, "delete"])).status_code == 404
    # A malformed filter is ignored, not a server error.
    r = client.get(
        reverse("information:piece_list"), {"year": "abc", "month": "13", "unit": "-1", "page": "x"}
    )
    assert r.status_code == 200


def test_pictures_upload_and_a_wrong_file_is_refused_in_words(client, city):
    piece = drafted(city)
    client.force_login(city.users["liaison_a"])
    url = reverse("information:photo_upload", args=[piece.pk])
    client.post(url, {"file": _png()})
    assert piece.photos.get().is_picture
    fake = SimpleUploadedFile("病毒.png", b"MZ\x90\x00 not a picture", content_type="image/png")
    r = client.post(url, {"file": fake}, follow=True)
    assert piece.photos.count() == 1 and any("文件" in m for m in _msgs(r))
    r = client.post(url, {}, follow=True)
    assert "请选择要上传的文件" in _msgs(r)


def test_raising_a_piece_opens_its_experience_which_names_the_piece(client, city):
    piece = adopted(city)
    client.force_login(city.users["office"])
    r = client.post(reverse("information:piece_raise", args=[piece.pk]))
    piece.refresh_from_db()
    assert r.status_code == 302 and r.url == piece.experience.get_absolute_url()
    page = client.get(r.url).content.decode()
    assert "来源改革信息" in page and piece.get_absolute_url() in page
    r = client.post(reverse("information:piece_raise", args=[piece.pk]), follow=True)
    assert "已转为经验做法" in " ".join(_msgs(r))


def test_the_raised_experience_shows_the_pieces_photos_and_hands_them_out(client, city):
    piece = adopted(city)
    png = _png("现场照片.png")
    services.photo_add(actor=city.users["office"], piece=piece, upload=png)
    client.force_login(city.users["office"])
    r = client.post(reverse("information:piece_raise", args=[piece.pk]), follow=True)
    assert "图片和附件1个一并转入" in " ".join(_msgs(r))
    piece.refresh_from_db()
    att = piece.experience.attachments.get()
    page = r.content.decode()
    download = reverse("achievements:attachment_download", args=[att.pk])
    assert "现场照片.png" in page and download in page
    # The unit's liaison reads its experience's copy of the photo it sent.
    client.force_login(city.users["liaison_a"])
    got = client.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == png.open().read()
    client.force_login(city.users["liaison_b"])  # another unit: the experience's gate refuses it
    assert client.get(download).status_code == 404


def test_the_office_compiles_orders_and_issues_an_issue_then_everyone_downloads_it(client, city):
    a, b = adopted(city, title="甲信息"), adopted(city, title="乙信息")
    with_photo = Piece.objects.get(pk=a.pk)
    # A picture is added by the office while it may still edit the piece.
    services.photo_add(actor=city.users["office"], piece=with_photo, upload=_png())
    client.force_login(city.users["office"])
    r = client.post(reverse("information:issue_create"), {"title": "营商环境专刊"})
    issue = Issue.objects.get()
    assert r.url == issue.get_absolute_url()
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "甲信息" in page and "编入本期" in page
    client.post(reverse("information:issue_add", args=[issue.pk]), {"piece": [str(a.pk), str(b.pk), "abc"]})
    client.post(reverse("information:issue_move", args=[issue.pk]), {"piece": b.pk, "dir": "up"})
    assert [p.title for p in issue.pieces.order_by("position")] == ["乙信息", "甲信息"]
    assert client.post(reverse("information:issue_move", args=[issue.pk]), {"piece": "x"}).status_code == 404
    r = client.post(
        reverse("information:issue_publish", args=[issue.pk]), {"issued_on": "2099-01-01"}, follow=True
    )
    assert "印发日期不能晚于今天" in " ".join(_msgs(r))
    r = client.post(
        reverse("information:issue_publish", args=[issue.pk]), {"issued_on": "not a date"}, follow=True
    )
    assert "请填写正确的印发日期" in " ".join(_msgs(r))
    client.post(reverse("information:issue_publish", args=[issue.pk]), {"issued_on": "2023-11-03"})
    issue.refresh_from_db()
    assert issue.is_issued and issue.number_label == "2023年第1期（总第1期）"
    # Frozen: its title no longer changes.
    r = client.post(reverse("information:issue_edit", args=[issue.pk]), {"title": "改"})
    assert r.status_code == 400 and "已印发" in r.content.decode()
    # Every role reads and downloads it.
    client.force_login(city.users["liaison_b"])
    assert "营商环境专刊" in client.get(issue.get_absolute_url()).content.decode()
    docx = client.get(reverse("information:issue_download", args=[issue.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = client.get(reverse("information:issue_download", args=[issue.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert "filename*=UTF-8''" in docx["Content-Disposition"]


def test_the_issued_document_holds_the_pieces_in_order_with_their_pictures(city):
    from gandang.documents import structure as s
    from gandang.information import periodical

    a = adopted(city, title="甲")
    services.photo_add(actor=city.users["office"], piece=a, upload=_png())
    b = adopted(city, title="乙")
    office = city.users["office"]
    issue = services.issue_create(actor=office)
    services.issue_add(actor=office, issue=issue, pieces=[b.pk, a.pk])
    issue = services.issue_publish(actor=office, issue=issue, issued_on=date(2023, 11, 1))
    doc = periodical.issued_document(issue)
    headings = [blk.text for blk in doc.blocks if isinstance(blk, s.Heading)]
    assert headings == ["乙", "甲"]
    assert sum(isinstance(blk, s.Image) for blk in doc.blocks) == 1
    assert doc.title == "本期要目" and f"（{city.units['a'].name}供稿）" in doc.text()


def test_the_counts_equal_the_lists_they_open(client, city):
    adopted(city, title="采用的")
    signed(city, title="未采用的")
    drafted(city, unit="b")  # not sent: counted nowhere
    client.force_login(city.users["office"])
    page = client.get(reverse("information:counts"), {"year": 2023})
    rows = page.context["rows"]
    assert [(c.unit, c.sent_total, c.adopted_total) for c in rows] == [(city.units["a"], 2, 1)]
    november = rows[0].months[10]
    assert november == (11, 2, 1)
    listed = client.get(
        reverse("information:piece_list"), {"unit": city.units["a"].pk, "year": 2023, "month": 11}
    )
    assert listed.context["page"].paginator.count == 2
    listed = client.get(
        reverse("information:piece_list"),
        {"unit": city.units["a"].pk, "year": 2023, "month": 11, "adopted": 1},
    )
    assert [p.title for p in listed.context["page"]] == ["采用的"]
    assert f"unit={city.units['a'].pk}&amp;year=2023&amp;month=11&amp;adopted=1" in page.content.decode()


def test_a_unit_sees_only_its_own_line(client, city):
    adopted(city)
    client.force_login(city.users["liaison_b"])
    assert client.get(reverse("information:counts"), {"year": 2023}).context["rows"] == []
    assert client.get(reverse("information:counts"), {"year": "abc"}).status_code == 200


def test_the_nav_leads_to_information_and_its_tabs(client, city):
    client.force_login(city.users["head_a"])
    home = client.get("/").content.decode()
    assert reverse("information:piece_list") in home
    page = client.get(reverse("information:piece_list")).content.decode()
    for name in ("information:issue_list", "information:counts"):
        assert reverse(name) in page


def test_the_pages_read_in_english(client, city):
    piece = signed(city)
    client.force_login(city.users["office"])
    client.cookies["django_language"] = "en"
    page = client.get(piece.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reform information" in page and "Adopt" in page


def test_the_workbench_lists_each_persons_information_to_do(client, city):
    returned = signed(city, title="被退回的")
    services.piece_step(actor=city.users["office"], piece=returned, action="return", reason="请补充数据")
    to_sign = drafted(city, title="等签发的")
    services.piece_step(actor=city.users["liaison_a"], piece=to_sign, action="submit")
    signed(city, title="等审核的")
    adopted(city, title="等编刊的")
    client.force_login(city.users["liaison_a"])
    page = client.get("/").content.decode()
    assert 'id="information-todo"' in page and "被退回的" in page and "请补充数据" in page
    client.force_login(city.users["head_a"])
    page = client.get("/").content.decode()
    assert "等签发的" in page and "被退回的" not in page
    client.force_login(city.users["office"])
    page = client.get("/").content.decode()
    assert "等审核的" in page and "等签发的" not in page
    assert "1条已采用的信息尚未编入刊物" in page
    client.force_login(city.users["liaison_b"])
    assert 'id="information-todo"' not in client.get("/").content.decode()


def test_the_office_names_its_periodical_in_the_configuration(client, city):
    from gandang.information.models import PeriodicalSettings

    client.force_login(city.users["office"])
    r = client.get("/manage/information/periodicalsettings/")
    assert r.status_code == 302 and r.url.endswith("/add/")
    r = client.post(r.url, {"name": "《岱宗改革》", "total_before": "30", "copy_to": "省委改革办"})
    assert r.status_code == 302
    assert PeriodicalSettings.objects.get().total_before == 30
    issue = issued(city, n=1)
    assert issue.name == "岱宗改革" and issue.total == 31
    client.force_login(city.users["liaison_a"])
    assert client.get("/manage/information/periodicalsettings/").status_code == 403


def test_a_city_leader_writes_a_directive_on_a_piece_and_its_unit_is_assigned(client, city):
    from gandang.matters.models import Instruction

    piece = adopted(city)
    client.force_login(city.users["leader"])
    page = client.get(piece.get_absolute_url()).content.decode()
    assert f"/matters/on/information.piece/{piece.pk}/instruct/" in page
    r = client.post(
        f"/matters/on/information.piece/{piece.pk}/instruct/",
        {
            "instruct-text": "这条信息很好，请总结经验。",
            "instruct-unit": city.units["a"].pk,
            "instruct-deadline": "2023-11-30",
        },
    )
    ins = Instruction.objects.get()
    assert r.status_code == 302 and ins.on_record == "information.piece" and ins.on_record_id == piece.pk
    assert ins.matters.get().unit == city.units["a"]
    client.force_login(city.users["office"])
    assert f'id="instruction-{ins.pk}"' in client.get(piece.get_absolute_url()).content.decode()
    # A unit that cannot read the piece cannot have it written on either.
    client.force_login(city.users["liaison_b"])
    assert client.get(f"/matters/on/information.piece/{piece.pk}/instruct/").status_code in (404, 405)


def test_the_counts_give_each_units_pieces_printed_in_an_issued_issue(client, city):
    # 刊发: adopted and printed in an issue of the periodical that has been issued (a draft issue is not yet).
    office = city.users["office"]
    printed, drafted_in = adopted(city, title="已刊发"), adopted(city, title="编辑中")
    adopted(city)  # adopted, waiting for an issue
    issue = services.issue_create(actor=office)
    services.issue_add(actor=office, issue=issue, pieces=[printed.pk])
    services.issue_publish(actor=office, issue=issue, issued_on=date(2023, 11, 6))
    services.issue_add(actor=office, issue=services.issue_create(actor=office), pieces=[drafted_in.pk])
    client.force_login(office)
    page = client.get(reverse("information:counts"), {"year": 2023})
    row = page.context["rows"][0]
    assert (row.adopted_total, row.printed_total) == (3, 1)
    assert page.context["total"].printed_total == 1
    link = f"unit={city.units['a'].pk}&amp;year=2023&amp;adopted=issued"
    assert link in page.content.decode()
    listed = client.get(
        reverse("information:piece_list"), {"unit": city.units["a"].pk, "year": 2023, "adopted": "issued"}
    )
    assert [p.title for p in listed.context["page"]] == ["已刊发"]
    assert 'value="issued" selected' in listed.content.decode()


@pytest.mark.parametrize(
    ("name", "caption"),
    [
        ("容缺受理窗口.png", "容缺受理窗口"),
        ("IMG_20231205_101112.png", ""),
        ("微信图片_20231205101112.png", ""),
        ("mmexport1701745000000.png", ""),
        ("屏幕截图 2023-12-05 101112.png", ""),
        ("photo.png", ""),
    ],
)
def test_a_picture_is_captioned_by_a_name_the_unit_gave_it_not_a_cameras(city, name, caption):
    # The periodical prints the caption under the picture: a phone's or an app's file name is no caption.
    from gandang.documents import structure as s
    from gandang.information import periodical

    piece = adopted(city)
    services.photo_add(actor=city.users["office"], piece=piece, upload=_png(name))
    office = city.users["office"]
    issue = services.issue_create(actor=office)
    services.issue_add(actor=office, issue=issue, pieces=[piece.pk])
    issue = services.issue_publish(actor=office, issue=issue, issued_on=date(2023, 11, 1))
    [image] = [b for b in periodical.issued_document(issue).blocks if isinstance(b, s.Image)]
    assert image.caption == caption
