"""Reform information in a browser: a unit's liaison writes a piece with a picture and submits it, the unit
head signs it, the office edits and adopts it, compiles it into an issue of the periodical and issues it;
the unit then reads the issued issue and downloads it, and the counts table opens the piece."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, live_server, username, path="/"):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _png(tmp_path):
    from PIL import Image

    path = tmp_path / "现场.png"
    Image.new("RGB", (60, 40), (30, 120, 200)).save(path, format="PNG")
    return str(path)


def test_a_units_piece_goes_into_an_issued_periodical(page, live_server, city, settings, tmp_path):
    from gandang.documents.models import DocumentSettings
    from gandang.information.models import Issue, Piece

    settings.GANDANG_TODAY = "2023-11-06"
    DocumentSettings.objects.create(issuer="中共泰安市委全面深化改革委员会办公室")
    page.on("dialog", lambda d: d.accept())
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The liaison: 改革信息 in the top navigation → 报送改革信息 → a picture → 保存并提交签发.
    _login(page, live_server, "liaison_a")
    page.click("nav.mainnav a:has-text('改革信息')")
    page.click("a:has-text('报送改革信息')")
    page.fill("#id_title", "市发改委推行项目审批“拿地即开工”")
    page.fill("#id_text", "今年以来，市发改委推行项目审批“拿地即开工”。\n已有12个项目拿地当天开工。")
    page.click("button:has-text('保存')")
    page.wait_for_url(re.compile(r".*/information/\d+/$"))
    page.set_input_files("#photos input[type=file]", _png(tmp_path))
    page.click("#photos button:has-text('上传')")
    page.wait_for_load_state()
    assert "现场.png" in page.inner_text("#photos")
    page.click("button:has-text('保存并提交签发')")
    page.wait_for_load_state()
    assert "待签发" in page.inner_text("h1")
    piece = Piece.objects.get()

    # The unit head signs it off.
    _login(page, live_server, "head_a", f"/information/{piece.pk}/")
    page.click("#flow button:has-text('签发')")
    page.wait_for_load_state()
    assert "待审核" in page.inner_text("h1")

    # The office edits the title and adopts it, then compiles a new issue and issues it.
    _login(page, live_server, "office", "/information/?state=signed")
    page.click("main a:has-text('拿地即开工')")
    page.fill("#id_title", "泰安市推行项目审批“拿地即开工”")
    page.click("button:has-text('保存编辑')")
    page.wait_for_load_state()
    page.click("#flow button:has-text('采用')")
    page.wait_for_load_state()
    assert "已采用" in page.inner_text("h1")
    page.click("nav.mainnav a:has-text('改革信息')")
    page.click(".tabs a:has-text('改革刊物')")
    assert "1条已采用的信息尚未编入刊物" in page.inner_text("main")
    page.click("button:has-text('新编一期')")
    page.wait_for_url(re.compile(r".*/information/issues/\d+/$"))
    page.fill("#id_title", "营商环境专刊")
    page.click("main form button:has-text('保存')")
    page.wait_for_load_state()
    page.check(f"#waiting input[value='{piece.pk}']")
    page.click("button:has-text('编入本期')")
    page.wait_for_load_state()
    assert "拿地即开工" in page.inner_text("#pieces")
    page.fill("#id_issued_on", "2023-11-06")
    page.click("button:has-text('印发本期')")
    page.wait_for_load_state()
    assert "《泰安改革》2023年第1期（总第1期）" in page.inner_text("h1")
    issue = Issue.objects.get()
    assert issue.is_issued and "泰安市推行项目审批" in str(issue.content)

    # The unit reads the issued issue and downloads it; its counts open the piece.
    _login(page, live_server, "liaison_a", "/information/issues/")
    page.click("main a:has-text('2023年第1期')")
    with page.expect_download() as dl:
        page.click("a:has-text('下载 Word')")
    assert dl.value.suggested_filename == "泰安改革2023年第1期.docx"
    page.click("nav.mainnav a:has-text('改革信息')")
    page.click(".tabs a:has-text('报送采用统计')")
    page.locator("table.counts tbody tr", has_text="市发展改革委").locator(
        "a[href*='adopted=1']"
    ).first.click()
    page.wait_for_load_state()
    assert "泰安市推行项目审批“拿地即开工”" in page.inner_text("main")
    assert not errors, errors
