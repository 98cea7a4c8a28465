"""The piece's flow (the monthly report's sign-off, then the office's 采用 or return), the office's edit,
raising a piece into an experience, and compiling and issuing the periodical."""

from datetime import date

import pytest

from gandang.core.errors import ServiceError, StaleEdit
from gandang.core.models import AuditEntry
from gandang.information import flow, periodical, services
from gandang.information.models import Issue, Piece, PieceStep
from tests.information.conftest import adopted, drafted, issued, signed

S = Piece.State


def test_a_piece_goes_from_the_liaison_through_the_head_to_the_office(city):
    p = drafted(city)
    assert p.state == S.DRAFT and p.unit == city.units["a"]
    p = services.piece_step(actor=city.users["liaison_a"], piece=p, action="submit")
    assert p.state == S.SUBMITTED and p.submitted_at is None
    p = services.piece_step(actor=city.users["head_a"], piece=p, action="approve")
    assert p.state == S.SIGNED and p.submitted_at is not None
    p = services.piece_step(actor=city.users["office"], piece=p, action="adopt")
    assert p.state == S.ADOPTED and p.adopted_at is not None
    assert [s.action for s in PieceStep.objects.filter(piece=p)] == ["submit", "approve", "adopt"]


def test_a_unit_without_a_head_sends_straight_to_the_office(city):
    p = drafted(city, unit="b")
    p = services.piece_step(actor=city.users["liaison_b"], piece=p, action="submit")
    assert p.state == S.SIGNED and p.submitted_at is not None


def test_the_office_returns_with_a_reason_and_the_first_sending_month_stays(city):
    p = signed(city)
    first = p.submitted_at
    with pytest.raises(ServiceError, match="原因"):
        services.piece_step(actor=city.users["office"], piece=p, action="return")
    p = services.piece_step(actor=city.users["office"], piece=p, action="return", reason="要素不全")
    assert p.state == S.RETURNED and p.return_reason == "要素不全"
    # The liaison edits and sends it again.
    p = services.piece_update(actor=city.users["liaison_a"], piece=p, title=p.title, text="补充了成效数据。")
    p = services.piece_step(actor=city.users["liaison_a"], piece=p, action="submit")
    p = services.piece_step(actor=city.users["head_a"], piece=p, action="approve")
    assert p.submitted_at == first and p.return_reason == ""


def test_the_office_files_a_piece_for_reference_and_may_still_adopt_it_later(city):
    from gandang.information import selectors
    from gandang.notifications.models import Notification

    p = signed(city, title="县域医共体改革")
    with pytest.raises(ServiceError, match="只有改革办"):
        services.piece_step(actor=city.users["liaison_a"], piece=p, action="file")
    p = services.piece_step(actor=city.users["office"], piece=p, action="file")
    assert p.state == S.FILED and p.adopted_at is None
    # The liaison is told it was read and not adopted; the piece no longer waits in the office's queue.
    told = Notification.objects.filter(user=city.users["liaison_a"], title__contains="未采用").get()
    assert "县域医共体改革" in told.title
    [line] = selectors.counts_by_unit(Piece.objects.all(), year=p.submitted_at.year)
    assert (line.sent_total, line.adopted_total) == (1, 0)
    # A filed piece cannot be returned or filed again; the office may change its mind and adopt it.
    with pytest.raises(ServiceError, match="不能退回"):
        services.piece_step(actor=city.users["office"], piece=p, action="return", reason="x")
    p = services.piece_step(actor=city.users["office"], piece=p, action="adopt")
    assert p.state == S.ADOPTED and p.adopted_at is not None


def test_wrong_roles_and_states_are_refused_in_words(city):
    p = drafted(city)
    with pytest.raises(ServiceError, match="只有单位负责人"):
        services.piece_step(actor=city.users["liaison_a"], piece=p, action="approve")
    with pytest.raises(ServiceError, match="只能报送本单位"):
        services.piece_step(actor=city.users["liaison_b"], piece=p, action="submit")
    with pytest.raises(ServiceError, match="不能采用"):
        services.piece_step(actor=city.users["office"], piece=p, action="adopt")
    with pytest.raises(ServiceError, match="未知的操作"):
        services.piece_step(actor=city.users["office"], piece=p, action="publish")
    with pytest.raises(ServiceError, match="只有单位联络员"):
        services.piece_create(actor=city.users["head_a"], title="x", text="y")
    with pytest.raises(ServiceError, match="标题"):
        services.piece_create(actor=city.users["liaison_a"], title="  ", text="y")


def test_who_edits_when(city):
    p = drafted(city)
    assert flow.edit_refusal(city.users["liaison_a"], p) is None
    assert flow.edit_refusal(city.users["office"], p)  # a draft is the unit's own
    p = signed(city)
    assert flow.edit_refusal(city.users["liaison_a"], p)
    # The office edits what it received, and the audit history says so.
    p = services.piece_update(
        actor=city.users["office"], piece=p, title="改后标题", text="改后正文", version=p.version
    )
    entry = AuditEntry.objects.filter(object_id=p.pk, action=AuditEntry.Action.UPDATE).latest("id")
    assert entry.reason == "改革办编辑" and "title" in entry.changes
    with pytest.raises(StaleEdit):
        services.piece_update(actor=city.users["office"], piece=p, title="x", text="y", version=p.version - 1)


def test_raise_into_an_experience_keeps_the_link_both_ways(city):
    p = signed(city)
    with pytest.raises(ServiceError, match="采用后"):
        services.piece_raise(actor=city.users["office"], piece=p)
    p = services.piece_step(actor=city.users["office"], piece=p, action="adopt")
    exp = services.piece_raise(actor=city.users["office"], piece=p)
    p.refresh_from_db()
    assert p.experience == exp and exp.source_piece == p
    assert exp.title == p.title and exp.body == p.text and list(exp.units.all()) == [city.units["a"]]
    with pytest.raises(ServiceError, match="已转为"):
        services.piece_raise(actor=city.users["office"], piece=p)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def test_raising_a_piece_carries_its_photos_and_files_as_the_experiences_own_copies(city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office = city.users["office"]
    p = drafted(city)
    png = _png_bytes()
    photo = services.photo_add(
        actor=city.users["liaison_a"], piece=p, upload=SimpleUploadedFile("现场.png", png)
    )
    p = services.piece_step(actor=city.users["liaison_a"], piece=p, action="submit")
    p = services.piece_step(actor=city.users["head_a"], piece=p, action="approve")
    p = services.piece_step(actor=office, piece=p, action="adopt")
    services.photo_add(actor=office, piece=p, upload=SimpleUploadedFile("方案.pdf", PDF))
    exp = services.piece_raise(actor=office, piece=p)
    carried = list(exp.attachments.order_by("at", "id"))
    assert [(a.name, a.content_type, a.size) for a in carried] == [
        ("现场.png", "image/png", len(png)),
        ("方案.pdf", "application/pdf", len(PDF)),
    ]
    with carried[0].file.open("rb") as fh:
        assert fh.read() == png
    # Kept in the experiences' folder under a name of their own, and under the uploader's name.
    assert carried[0].file.name.startswith("experiences/") and carried[0].file.name != photo.file.name
    assert carried[0].uploaded_by == city.users["liaison_a"]
    entry = AuditEntry.objects.filter(object_id=carried[0].pk, action=AuditEntry.Action.CREATE).get(
        content_type__model="experienceattachment"
    )
    assert entry.reason == "随改革信息转为经验做法" and entry.scope.endswith(f":{exp.pk}")
    # A copy: taking the photo off the piece leaves the experience's file where it was.
    services.photo_remove(actor=office, photo=photo)
    assert carried[0].file.storage.exists(carried[0].file.name)
    with carried[0].file.open("rb") as fh:
        assert fh.read() == png


def test_a_piece_whose_file_was_lost_is_not_half_raised(city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.achievements.models import Experience

    office = city.users["office"]
    p = adopted(city)
    services.photo_add(actor=office, piece=p, upload=SimpleUploadedFile("方案.pdf", PDF))
    lost = services.photo_add(actor=office, piece=p, upload=SimpleUploadedFile("现场.png", _png_bytes()))
    lost.file.storage.delete(lost.file.name)
    with pytest.raises(ServiceError, match="现场.png.*无法读取"):
        services.piece_raise(actor=office, piece=p)
    p.refresh_from_db()
    assert p.experience is None and not Experience.objects.exists()


def test_an_issue_is_compiled_in_order_numbered_and_frozen(city):
    office = city.users["office"]
    a, b, c = (adopted(city, title=t) for t in ("甲", "乙", "丙"))
    issue = services.issue_create(actor=office)
    with pytest.raises(ServiceError, match="还没有编入"):
        services.issue_publish(actor=office, issue=issue)
    assert services.issue_add(actor=office, issue=issue, pieces=[c.pk, a.pk, b.pk, 999999]) == 3
    services.issue_move(actor=office, issue=issue, piece=a, up=True)
    moved = AuditEntry.objects.filter(object_id=a.pk, reason="调整刊物中的顺序").get()
    assert moved.changes["position"] == ["2", "1"]
    services.issue_remove(actor=office, issue=issue, piece=b)
    assert [p.title for p in issue.pieces.order_by("position")] == ["甲", "丙"]
    issue = services.issue_publish(actor=office, issue=issue, issued_on=date(2023, 11, 3))
    assert (issue.year, issue.number, issue.total, issue.state) == (2023, 1, 1, Issue.State.ISSUED)
    doc = periodical.issued_document(issue)
    text = doc.text()
    assert text.index("甲") < text.index("丙") and "乙" not in text
    assert "2023年第1期（总第1期）" in text
    # Frozen: neither the issue nor its pieces change any more.
    with pytest.raises(ServiceError, match="已印发"):
        services.issue_add(actor=office, issue=issue, pieces=[b.pk])
    a.refresh_from_db()
    with pytest.raises(ServiceError, match="已刊发"):
        services.piece_update(actor=office, piece=a, title="x", text="y")
    # A second issue continues the numbers; a piece in no issue waits for one.
    second = services.issue_create(actor=office)
    services.issue_add(actor=office, issue=second, pieces=[b.pk])
    second = services.issue_publish(actor=office, issue=second)
    assert (second.number, second.total) == (2, 2)


def test_the_running_total_continues_the_office_s_earlier_issues(city):
    from gandang.documents.models import DocumentSettings
    from gandang.information.models import PeriodicalSettings

    DocumentSettings.objects.create(issuer="中共泰安市委全面深化改革委员会办公室")
    PeriodicalSettings.objects.create(total_before=149, copy_to="省委改革办")
    issue = issued(city, n=1)
    assert issue.total == 150 and issue.name == "泰安改革"
    doc = periodical.issued_document(issue)
    assert doc.issuer == "泰安改革" and doc.copy_to == "省委改革办"
    assert doc.doc_number == "2023年第1期（总第150期）"


def test_only_adopted_pieces_outside_an_issue_can_be_added(city):
    office = city.users["office"]
    issue = services.issue_create(actor=office)
    with pytest.raises(ServiceError, match="已采用"):
        services.issue_add(actor=office, issue=issue, pieces=[signed(city).pk])
    with pytest.raises(ServiceError):
        services.issue_create(actor=city.users["liaison_a"])


def test_the_issue_date_cannot_be_in_the_future(city):
    office = city.users["office"]
    issue = services.issue_create(actor=office)
    services.issue_add(actor=office, issue=issue, pieces=[adopted(city).pk])
    with pytest.raises(ServiceError, match="晚于今天"):
        services.issue_publish(actor=office, issue=issue, issued_on=date(2099, 1, 1))
    issue.refresh_from_db()
    assert issue.state == Issue.State.DRAFT and issue.number is None


def test_a_number_taken_meanwhile_is_refused_in_words_and_nothing_is_half_issued(city, monkeypatch):
    """Two offices issuing the very first issue at once: the unique number refuses the second."""
    office = city.users["office"]
    first = issued(city, n=1)
    issue = services.issue_create(actor=office)
    services.issue_add(actor=office, issue=issue, pieces=[adopted(city).pk])
    # As if the first issue had not been committed yet when this one read the numbers.
    real = Issue.objects.aggregate
    monkeypatch.setattr(Issue.objects, "aggregate", lambda **kw: {"n": None})
    with pytest.raises(ServiceError, match="请重新印发"):
        services.issue_publish(actor=office, issue=issue)
    monkeypatch.setattr(Issue.objects, "aggregate", real)
    issue.refresh_from_db()
    assert issue.state == Issue.State.DRAFT and issue.number is None
    assert services.issue_publish(actor=office, issue=issue).total == first.total + 1
