"""The dispatch pages as each role uses them."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from gandang.dispatch import services
from gandang.dispatch.models import Attachment, Report

S = Report.State


def _post_report(client, report, **fields):
    data = {
        f"r{report.pk}-version": Report.objects.get(pk=report.pk).version,
        f"r{report.pk}-progress": fields.get("progress", "召开专题会议两次，完成方案初稿"),
        f"r{report.pk}-percent": fields.get("percent", 40),
        f"r{report.pk}-problems": "",
        f"r{report.pk}-next_steps": "征求意见后印发",
        f"r{report.pk}-coordination": "",
    }
    data.update(fields.get("extra", {}))
    return client.post(f"/dispatch/reports/{report.pk}/edit/", data)


def test_liaison_fills_own_units_reports_on_one_page(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    page = client.get(f"/dispatch/periods/{period.pk}/fill/").content.decode()
    assert city.items["a"].title in page and city.items["b"].title not in page
    assert _post_report(client, report_a).status_code == 302
    assert Report.objects.get(pk=report_a.pk).progress.startswith("召开专题会议")


def test_a_step_from_the_fill_page_comes_back_to_the_same_card(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    _post_report(client, report_a)
    page = client.get(f"/dispatch/periods/{period.pk}/fill/").content.decode()
    assert f'name="submit" value="{report_a.pk}"' in page
    data = {
        f"r{report_a.pk}-version": Report.objects.get(pk=report_a.pk).version,
        f"r{report_a.pk}-progress": "召开专题会议两次，完成方案初稿",
        f"r{report_a.pk}-percent": 40,
        "submit": str(report_a.pk),
    }
    r = client.post(f"/dispatch/periods/{period.pk}/fill/", data)
    assert (
        r.status_code == 302 and r["Location"] == f"/dispatch/periods/{period.pk}/fill/#report-{report_a.pk}"
    )
    assert Report.objects.get(pk=report_a.pk).state == S.SUBMITTED


def test_reached_milestone_is_marked_done_on_acceptance(login, city, period, report_a):
    ms = city.items["a"].milestones.get()
    client = login(city.users["liaison_a"])
    extra = {
        f"r{report_a.pk}-reach-{ms.pk}": "1",
        f"r{report_a.pk}-reach-date-{ms.pk}": "2023-10-12",
        f"r{report_a.pk}-reach-evidence-{ms.pk}": "泰改发〔2023〕3号",
    }
    _post_report(client, report_a, extra=extra)
    client.post(f"/dispatch/reports/{report_a.pk}/step/submit/")
    login(city.users["head_a"]).post(f"/dispatch/reports/{report_a.pk}/step/approve/")
    login(city.users["office"]).post(f"/dispatch/periods/{period.pk}/accept/", {"report": [report_a.pk]})
    ms.refresh_from_db()
    assert str(ms.done_date) == "2023-10-12" and ms.evidence == "泰改发〔2023〕3号"
    assert Report.objects.get(pk=report_a.pk).state == S.ACCEPTED


def test_copy_is_flagged_to_the_liaison(login, city, report_a):
    october = report_a.period
    services.period_open(actor=city.users["office"], year=2023, month=11)
    client = login(city.users["liaison_a"])
    _post_report(client, report_a, progress="完成方案起草并征求意见，召开两次专题会议")
    november = Report.objects.get(item=city.items["a"], period__month=11)
    response = _post_report(client, november, progress="完成方案起草并征求意见，召开两次专题会议。")
    assert response.status_code == 302
    november.refresh_from_db()
    assert november.is_copy and november.similarity >= 0.9
    body = client.get(response["Location"]).content.decode()
    assert "相似度" in body and october.pk


def test_office_review_screen_lists_units_and_flags(login, city, period, report_a):
    body = login(city.users["office"]).get(f"/dispatch/periods/{period.pk}/").content.decode()
    assert "各单位报送情况" in body and "市发展改革委" in body and "勾选的报告审核通过" in body


def test_return_without_reason_is_refused(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    _post_report(client, report_a)
    client.post(f"/dispatch/reports/{report_a.pk}/step/submit/")
    login(city.users["head_a"]).post(f"/dispatch/reports/{report_a.pk}/step/approve/")
    office = login(city.users["office"])
    response = office.post(f"/dispatch/reports/{report_a.pk}/step/return/", {"reason": ""}, follow=True)
    assert "需要填写原因" in response.content.decode()
    assert Report.objects.get(pk=report_a.pk).state == S.SIGNED


def test_liaison_cannot_edit_another_units_report(login, city, period):
    report_b = Report.objects.get(period=period, item=city.items["b"])
    client = login(city.users["liaison_a"])
    assert client.get(f"/dispatch/reports/{report_b.pk}/").status_code == 404
    assert _post_report(client, report_b).status_code == 404


def test_co_unit_adds_contribution_shown_separately(login, city, period, report_a):
    client = login(city.users["liaison_b"])
    response = client.post(
        f"/dispatch/reports/{report_a.pk}/contribution/", {"text": "岱岳区配合完成了摸底调查"}
    )
    assert response.status_code == 302
    body = login(city.users["office"]).get(f"/dispatch/reports/{report_a.pk}/").content.decode()
    assert "岱岳区配合完成了摸底调查" in body


def test_a_refused_contribution_says_why_in_words_not_a_403(login, city, period, report_a):
    """Over the model's 2,000 字, or sent just after the office accepted the report: the co-unit's liaison
    is told why on the report's page (the browser keeps what was typed), not shown a 403."""
    client = login(city.users["liaison_b"])
    url = f"/dispatch/reports/{report_a.pk}/contribution/"
    response = client.post(url, {"text": "推" * 2001}, follow=True)
    assert response.status_code == 200 and "2000" in response.content.decode()
    response = client.post(url, {"text": "推" * 4001}, follow=True)
    assert response.status_code == 200 and "请填写本单位工作情况" not in response.content.decode()
    Report.objects.filter(pk=report_a.pk).update(state=Report.State.ACCEPTED)
    response = client.post(url, {"text": "岱岳区配合完成了摸底调查"}, follow=True)
    assert (
        response.status_code == 200
        and "报告已审核通过，不能再补充本单位工作情况" in response.content.decode()
    )
    assert not report_a.contributions.exists()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachment_upload_checks_content_and_gates_download(login, city, period, report_a):
    client = login(city.users["liaison_a"])
    bad = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(f"/dispatch/reports/{report_a.pk}/attachments/", {"file": bad}, follow=True)
    assert "不符" in response.content.decode()
    assert not Attachment.objects.exists()
    exe = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(f"/dispatch/reports/{report_a.pk}/attachments/", {"file": exe}, follow=True)
    assert "不支持该文件类型" in response.content.decode()
    good = SimpleUploadedFile("../../etc/实施方案.pdf", PDF, content_type="application/pdf")
    client.post(f"/dispatch/reports/{report_a.pk}/attachments/", {"file": good})
    att = Attachment.objects.get()
    assert att.name == "实施方案.pdf" and "etc" not in att.file.name and att.file.name.endswith(".pdf")
    download = client.get(f"/dispatch/attachments/{att.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert login(city.users["observer"]).get(f"/dispatch/attachments/{att.pk}/").status_code == 200
    outsider = city.users["liaison_b"]
    outsider.unit = city.units["c"]
    outsider.save()
    assert login(outsider).get(f"/dispatch/attachments/{att.pk}/").status_code == 404


def test_oversized_attachment_is_refused(login, city, period, report_a, settings):
    settings.GANDANG_ATTACHMENT_MAX_BYTES = 1024
    client = login(city.users["liaison_a"])
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    response = client.post(f"/dispatch/reports/{report_a.pk}/attachments/", {"file": big}, follow=True)
    assert "上限" in response.content.decode()
    assert not Attachment.objects.exists()


def test_docx_is_recognised_by_its_parts(login, city, period, report_a):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    client = login(city.users["liaison_a"])
    client.post(
        f"/dispatch/reports/{report_a.pk}/attachments/",
        {"file": SimpleUploadedFile("说明.docx", buf.getvalue())},
    )
    assert Attachment.objects.get().name == "说明.docx"
    client.post(
        f"/dispatch/reports/{report_a.pk}/attachments/",
        {"file": SimpleUploadedFile("表.xlsx", buf.getvalue())},
    )
    assert Attachment.objects.count() == 1


def test_office_marks_no_effect_with_reason(login, city, period):
    item = city.items["a"]
    client = login(city.users["office"])
    client.post(f"/dispatch/items/{item.pk}/no-effect/", {"flag": "on", "reason": ""})
    assert not hasattr(item, "current_status") or not item.current_status.no_effect
    client.post(f"/dispatch/items/{item.pk}/no-effect/", {"flag": "on", "reason": "连续三个月无实质进展"})
    item.refresh_from_db()
    assert item.current_status.no_effect and item.current_status.no_effect_reason == "连续三个月无实质进展"
    assert (
        login(city.users["liaison_a"]).post(f"/dispatch/items/{item.pk}/no-effect/", {"flag": ""}).status_code
        == 403
    )


def test_a_reports_own_edit_page_names_its_buttons_and_sections(login, city, period, report_a):
    # The card of the month's page, shown alone: its buttons and headings are not left blank.
    client = login(city.users["liaison_a"])
    page = client.get(f"/dispatch/reports/{report_a.pk}/edit/").content.decode()
    assert f'name="save" value="{report_a.pk}">保存</button>' in page
    assert f'name="submit" value="{report_a.pk}">提交签发</button>' in page
    assert '<span class="label">附件</span>' in page


def test_a_units_saved_part_is_in_its_box_to_be_changed(login, city, period, report_a):
    """The co-unit's liaison finds its saved part in the box (saving again replaces it), told in words
    that name the unit's part, whether it co-operates or leads jointly; another unit's box is empty."""
    client = login(city.users["liaison_b"])
    url = f"/dispatch/reports/{report_a.pk}/contribution/"
    body = client.post(url, {"text": "岱岳区配合完成了摸底调查"}, follow=True).content.decode()
    assert "本单位工作情况已保存" in body
    assert 'maxlength="2000" required>岱岳区配合完成了摸底调查</textarea>' in body
    client.post(url, {"text": "岱岳区完成摸底调查并报送了数据"})
    assert [c.text for c in report_a.contributions.all()] == ["岱岳区完成摸底调查并报送了数据"]
    from gandang.org.models import User

    city.items["a"].co_units.add(city.units["c"])
    liaison_c = User.objects.create_user("liaison_c", role="liaison", unit=city.units["c"])
    other = login(liaison_c).get(f"/dispatch/reports/{report_a.pk}/").content.decode()
    assert 'maxlength="2000" required></textarea>' in other
