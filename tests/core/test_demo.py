"""The demo city: what it builds, that it builds once, and that its printed logins work."""

import re
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from gandang.core.models import AuditEntry
from gandang.demo.build import PASSWORD, DemoError, build_demo
from gandang.dispatch.models import Period, Report, StatusSnapshot
from gandang.ledger.access import items_visible_to
from gandang.ledger.models import Area, Item, Milestone, Plan
from gandang.org.models import Leader, Unit, User


def _wipe_demo() -> None:
    """Delete what build_demo created, children before the parents they protect."""
    from gandang.assessment.models import Indicator, ManualScore, Objection, Run, Scheme, Standing
    from gandang.information.models import Issue, PartnerUse, PeriodicalSettings, Piece
    from tests.conftest import empty_security_log

    PartnerUse.objects.all().delete()  # uses protect their pieces and the partners' units
    Piece.objects.all().delete()  # pieces protect their issues, units and experiences
    Issue.objects.all().delete()
    PeriodicalSettings.objects.all().delete()
    # Runs and standings take their lines and results; a standing protects the next month's compared with it.
    Standing.objects.update(compared_with=None)
    for model in (Objection, Run, Standing, ManualScore, Indicator, Scheme):
        model.objects.all().delete()
    from gandang.bulletins.models import Bulletin, FactSheet

    FactSheet.objects.all().delete()
    Bulletin.objects.filter(corrects__isnull=False).delete()
    Bulletin.objects.all().delete()
    from gandang.documents.models import DocumentSequence, DocumentTemplate

    DocumentSequence.objects.all().delete()  # the numbers the demo's bulletin and letters took
    DocumentTemplate.objects.all().delete()  # the wording its letters created on first use
    from gandang.matters.models import (
        Decision,
        Instruction,
        Matter,
        MatterLetter,
        Meeting,
        Observer,
        ObserverComment,
        Topic,
    )

    MatterLetter.objects.all().delete()  # issued letters protect their matter
    ObserverComment.objects.all().delete()
    Matter.objects.all().delete()  # with their steps and attachments
    Decision.objects.all().delete()
    Topic.objects.all().delete()  # with their materials
    Observer.objects.all().delete()
    Meeting.objects.all().delete()
    Instruction.objects.all().delete()
    from gandang.matters.models import Consultation, ReplyLetter, Suggestion

    ReplyLetter.objects.all().delete()
    Suggestion.objects.all().delete()
    Consultation.objects.all().delete()
    from gandang.matters.models import Party

    Party.objects.update(full_name="")  # the demo names the city's parties; the configured list stays
    from gandang.achievements.models import Experience, Honor, Pilot, Promotion
    from gandang.documents.models import DocumentSettings
    from gandang.supervision.models import Letter, Listing, Proposal

    DocumentSettings.objects.all().delete()

    Promotion.objects.all().delete()
    Experience.objects.all().delete()
    Pilot.objects.all().delete()
    Honor.objects.all().delete()

    Letter.objects.all().delete()
    Listing.objects.all().delete()  # with their rectification reports and steps
    Proposal.objects.all().delete()
    StatusSnapshot.objects.all().delete()
    Report.objects.all().delete()  # with their steps, milestones reached, contributions
    Period.objects.all().delete()
    AuditEntry.objects.all().delete()
    Milestone.objects.all().delete()
    Item.objects.filter(parent__isnull=False).delete()
    Item.objects.all().delete()
    Plan.objects.filter(parent__isnull=False).delete()
    empty_security_log()  # its events name the demo's people, whom it protects
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.sessions.models import Session

    for model in (Session, AccessAttempt, AccessFailureLog, AccessLog):  # what signing in left
        model.objects.all().delete()
    for model in (Plan, Area, User, Leader, Unit):
        model.objects.all().delete()


def _no_reports(mp: pytest.MonkeyPatch) -> None:
    """Build the ledger city without its year of monthly reports, which take most of the build's time;
    tests/dispatch/test_demo_reports.py builds and checks those."""
    mp.setattr("gandang.dispatch.demo.build_reports", lambda **kwargs: None)


@pytest.fixture
def ledger_only(monkeypatch):
    _no_reports(monkeypatch)


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo city, built once for the read-only tests of a class (the build takes a second or two)."""
    # The same fast hasher conftest sets per test, which is not yet in force at class setup.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, pytest.MonkeyPatch.context() as mp:
        _no_reports(mp)
        result = build_demo()
    yield result
    with django_db_blocker.unblock():
        _wipe_demo()


@pytest.mark.django_db
class TestDemoCity:
    def test_it_builds_the_demo_city(self, demo):
        assert demo["created"] is True
        assert 35 <= demo["units"] <= 45
        assert demo["leaders"] == Leader.objects.count() == 10
        assert demo["leader_led"] == 24
        assert demo["other_items"] >= 100
        for name in ["市发展改革委", "市教育局", "市行政审批服务局", "市国资委", "岱岳区", "泰山文旅集团"]:
            assert Unit.objects.filter(name=name).exists(), name
        assert Unit.objects.get(name="市发展改革委").alias_list() == ["市发改委"]
        assert Unit.objects.get(name="泰山城建集团").kind == Unit.Kind.ENTERPRISE
        assert Unit.objects.get(name="宁阳县").kind == Unit.Kind.COUNTY

    def test_nothing_is_stamped_after_the_demos_morning_whatever_hour_it_is_built(self, demo):
        """Every moment the demo city records lies on or before 2023-12-05 10:30 and inside a working
        day, even when the machine builds it at night or in the afternoon. The accounts' own security
        clocks (second factor, password age, sign-in attempts) run on real time and are left out."""
        from django.apps import apps
        from django.db import models

        real_time = {"TOTPDevice", "StaticDevice", "AccountState", "SecurityEvent", "AccessAttempt", "AccessLog",
                     "Session", "Token"}  # fmt: skip
        latest = timezone.make_aware(datetime(2023, 12, 5, 10, 30))
        for model in apps.get_models():
            if not model.__module__.startswith("gandang.") or model.__name__ in real_time:
                continue
            for f in model._meta.fields:
                if isinstance(f, models.DateTimeField):
                    stamps = model._default_manager.exclude(**{f.name: None}).values_list(f.name, flat=True)
                    wrong = [t for t in stamps if t > latest or not 6 <= timezone.localtime(t).hour <= 22]
                    assert not wrong, (model.__name__, f.name, wrong[:3])

    def test_most_leader_led_items_are_key_items(self, demo):
        led = Item.objects.filter(leaders__isnull=False).distinct()
        assert led.count() == 24
        assert led.filter(is_key=True).count() >= 18
        for item in led:
            assert 1 <= item.leaders.count() <= 2

    def test_the_fact_sheet_for_2023_reproduces_the_seeds_figures(self, demo):
        """The seed: 30余项 by the province and 80余项 nationally since the brand began, 8 to the centre, 10余项
        by the province this year, 16 national pilots undertaken, 9 passed, 20 provincial incentives, a State
        Council incentive, 24 leader-led items, 省委林武书记's praise."""
        from gandang.bulletins import factsheet
        from gandang.bulletins.models import FactSheet
        from gandang.core import clock

        sheet = FactSheet.objects.get()
        assert (sheet.start, sheet.end, sheet.since) == (
            date(2023, 1, 1),
            date(2023, 12, 5),
            date(2021, 1, 1),
        )
        with clock.pinned(date(2023, 12, 5)):
            built = factsheet.build(User.objects.get(username="office"), sheet)
        assert {k: f.text for k, f in built.figures.items()} == {
            "province_total": "30余项",
            "national_total": "80余项",
            "central": "8项",
            "province": "10余项",
            "pilots_undertaken": "16个",
            "pilots_passed": "9个",
            "province_incentive": "20个",
            "state_council": "1项",
            "leader_led": "24项",
            "praise": "1件",
        }
        text = "\n".join(p.text for p in built.parts)
        for phrase in [
            "30余项经验做法被省委改革办刊发推广，80余项经验做法被国家部委刊发或在国家级现场会上作典型发言",
            "8项经验做法，上报中央改革办",
            "10余项经验做法被省委改革办刊发推广",
            "新承接国家级试点16个",
            "9个国家级改革试点通过评估验收",
            "入选省级督查激励公示名单事项20个",
            "确定24项改革事项由市级领导牵头抓落实",
            "省委书记林武就泰安市盐穴储能储气相关做法作出肯定性批示",
        ]:
            assert phrase in text, phrase

    def test_each_figure_of_the_fact_sheet_opens_a_list_of_that_many_rows(self, demo, client):
        from gandang.bulletins import factsheet
        from gandang.bulletins.models import FactSheet
        from gandang.core import clock

        office = User.objects.get(username="office")
        client.force_login(office)
        with clock.pinned(date(2023, 12, 5)):
            figures = factsheet.figures(office, FactSheet.objects.get())
            for f in figures.values():
                response = client.get(f.url)
                ctx = response.context
                shown = (
                    ctx["page"].paginator.count if "page" in ctx else len(ctx.get("pilots") or ctx["honors"])
                )
                assert shown == f.n, (f.key, f.url)

    def test_every_role_has_a_user(self, demo):
        for role in User.Role.values:
            assert User.objects.filter(role=role).exists(), role
        liaisons = User.objects.filter(role=User.Role.LIAISON)
        assert liaisons.values("unit").distinct().count() >= 2
        leader = User.objects.get(username="leader")
        assert leader.leader is not None
        assert leader.leader.items.count() >= 3

    def test_it_builds_a_one_plus_n_plan_system(self, demo):
        master = Plan.objects.get(name="新型工业化强市建设“1+N”工作推进体系")
        assert master.children.count() >= 1
        for plan in master.children.all():
            assert plan.items.exists()

    def test_some_items_are_split_into_sub_items(self, demo):
        subs = Item.objects.filter(parent__isnull=False)
        assert subs.count() >= 4
        assert all(s.code.startswith(f"{s.parent.code}-") for s in subs)

    def test_items_have_dates_milestones_and_history(self, demo):
        items = Item.objects.all()
        assert items.filter(no_fixed_date=True, due_date__isnull=True).exclude(due_text="").exists()
        assert not items.filter(no_fixed_date=False, due_date__isnull=True).exists()
        assert not items.filter(milestones__isnull=True).exists()
        assert items.filter(milestones__done_date__isnull=False).exists()
        assert AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, object_repr__startswith="1 "
        ).exists()
        edits = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).exclude(reason="")
        assert edits.count() >= 4
        assert all(e.changes for e in edits)

    def test_running_twice_does_not_duplicate(self, demo):
        again = build_demo()
        assert again["created"] is False
        for key in ["units", "leaders", "users", "plans", "items", "milestones"]:
            assert again[key] == demo[key], key
        assert Item.objects.count() == demo["items"]

    def test_each_liaison_sees_only_its_units_items(self, demo):
        seen = {}
        for user in User.objects.filter(role=User.Role.LIAISON):
            items = items_visible_to(user)
            assert items.exists(), user.username
            for item in items.prefetch_related("co_units", "joint_lead_units"):
                # Its unit leads the item (first or jointly, 共同牵头) or co-operates on it.
                takes_part = [item.lead_unit, *item.joint_lead_units.all(), *item.co_units.all()]
                assert user.unit in takes_part
            seen[user.username] = set(items.values_list("pk", flat=True))
        assert seen["liaison_fgw"] != seen["liaison_dy"]
        assert len(seen["liaison_fgw"]) < Item.objects.count()

    @pytest.mark.parametrize(
        "username", ["office", "leader", "liaison_fgw", "liaison_dy", "head_fgw", "observer"]
    )
    def test_demo_users_can_log_in_with_the_printed_password(self, demo, client, username):
        assert username in [login[0] for login in demo["logins"]]
        r = client.post("/login/", {"username": username, "password": PASSWORD})
        assert r.status_code == 302
        assert r.url == "/"
        assert client.get("/").status_code == 200
        assert client.get("/ledger/").status_code == 200


def test_it_refuses_a_database_with_other_data(db):
    Unit.objects.create(name="某单位")
    with pytest.raises(DemoError):
        build_demo()
    assert not Plan.objects.exists()


@pytest.fixture
def data_dir(settings, tmp_path):
    """The command writes the data directory's `today` file: keep it out of the real one."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_demo_command_builds_once_and_prints_the_url_and_logins(db, ledger_only, data_dir):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "已创建" in text
    assert "http://127.0.0.1:8000/" in text
    assert PASSWORD in text
    for username in ["office", "leader", "liaison_fgw", "liaison_dy", "head_fgw", "head_dy", "observer"]:
        assert username in text
    assert "单位联络员" in text
    n = Item.objects.count()

    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "已存在" in out.getvalue()
    assert "http://127.0.0.1:8000/" in out.getvalue()
    assert Item.objects.count() == n


def test_demo_command_serves_unless_told_not_to(db, monkeypatch, ledger_only, data_dir):
    served = {}
    monkeypatch.setattr(
        "gandang.city.management.commands.serve.run_server", lambda app, **kw: served.update(kw)
    )
    out = StringIO()
    call_command("demo", "--host", "127.0.0.1", "--port", "8123", stdout=out)
    assert served["host"] == "127.0.0.1"
    assert served["port"] == 8123
    assert served["workers"] >= 1  # one per core by default
    assert "http://127.0.0.1:8123/" in out.getvalue()


def test_demo_reset_refuses_an_external_database(db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://gandang@db/gandang")
    with pytest.raises(CommandError, match="DATABASE_URL"):
        call_command("demo", "--no-serve", "--reset", stdout=StringIO())


def test_the_demo_prints_how_to_get_the_second_factor_code(db, ledger_only, data_dir, settings, capsys):
    settings.GANDANG_2FA_REQUIRED_ROLES = ["office"]
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "demo-code office" in text and "手动添加密钥" in text
    call_command("demo-code", "office")
    shown = capsys.readouterr().out.strip()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert re.fullmatch(r"\d{6}", shown)
    assert TOTPDevice.objects.get(user__username="office").verify_token(shown)


def test_demo_code_refuses_outside_a_demo_data_directory(db, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="仅用于演示数据目录"):
        call_command("demo-code", "office")


@pytest.mark.django_db
class TestDemoMatters:
    def test_a_matters_moments_are_those_of_its_steps_on_the_demos_days(self, demo):
        """办结时间 and 报送改革办时间 read as the steps that stamped them, not the machine's time of day."""
        from gandang.matters.models import Matter

        matters = list(Matter.objects.prefetch_related("steps"))
        assert any(m.closed_at for m in matters) and any(m.submitted_at for m in matters)
        for m in matters:
            stamps = {s.at for s in m.steps.all()}
            if m.closed_at:
                assert m.closed_at in {s.at for s in m.steps.all() if s.action == "close"}, m
            if m.submitted_at:
                assert m.submitted_at in stamps, m


@pytest.mark.django_db
class TestDemoConsultation:
    def test_the_consultations_suggestions_are_at_every_stage(self, demo):
        from gandang.matters.models import Consultation, Matter, Suggestion

        assert Consultation.objects.count() == 1
        sugs = list(Suggestion.objects.select_related("matter", "reply", "party"))
        assert {s.state for s in sugs} == {"received", "handling", "handled", "replied"}
        # Being handled: one still in the unit, one waiting for its head, one waiting for the office.
        states = {s.matter.state for s in sugs if s.tracked}
        assert {"draft", "submitted", "signed", "closed"} <= states
        assert all(m.source == "suggestion" for m in Matter.objects.filter(suggestion__isnull=False))

    def test_the_reply_letter_is_numbered_and_dated_after_the_close(self, demo):
        from django.utils import timezone

        from gandang.matters.models import ReplyLetter

        letter = ReplyLetter.objects.select_related("suggestion__matter").get()
        assert letter.doc_number == "泰改函〔2023〕1号"
        assert letter.recipient == "民盟泰安市委会："
        assert letter.issued_on > timezone.localdate(letter.suggestion.matter.closed_at)
        assert letter.created_at.date() == letter.issued_on

    def test_the_years_counts_add_up(self, demo):
        from gandang.matters import consult_selectors
        from gandang.matters.models import Suggestion

        total = consult_selectors.year_counts(Suggestion.objects.all(), year=2023)[-1]
        assert total.total == 6
        assert total.counts == {
            "received": 1, "handling": 3, "adopted": 1, "partly": 1, "reference": 0, "handled": 1,
            "replied": 1,
        }  # fmt: skip


@pytest.mark.django_db
class TestDemoMeetings:
    def test_two_committee_meetings_one_held_with_minutes_issued_one_in_preparation(self, demo):
        from gandang.matters.models import Meeting

        held, preparing = Meeting.objects.order_by("number")
        assert (held.number, held.state, held.doc_number) == (3, "issued", "泰改纪〔2023〕1号")
        assert held.issued_on == date(2023, 12, 1) and "会议认为" in held.minutes
        assert preparing.state == "preparing" and preparing.held_on > demo["today"]
        assert held.topics.filter(state="accepted").count() == 2
        assert set(held.observers.values_list("state", flat=True)) == {"present", "absent"}
        assert preparing.topics.filter(state="proposed").exists()  # the office's to-do

    def test_the_held_meetings_decisions_became_a_matter_and_a_ledger_item(self, demo):
        from gandang.matters.models import Decision, Matter

        decisions = list(Decision.objects.filter(meeting__number=3).order_by("seq"))
        matter = Matter.objects.get(decision=decisions[0])
        assert matter.source == "decision" and matter.unit.name == "市发展改革委"
        assert decisions[1].created_item is not None and decisions[1].created_item.lead_unit.name == "岱岳区"
        assert decisions[2].created_item is None and not decisions[2].matters.exists()
        assert Matter.objects.filter(observer_comment__isnull=False, source="observer").count() == 1

    def test_the_next_agenda_lists_the_open_decisions_first(self, demo, client):
        from gandang.matters.models import Meeting
        from gandang.org.models import User

        preparing = Meeting.objects.get(number=4)
        client.force_login(User.objects.get(username="office"))
        page = client.get(preparing.get_absolute_url()).content.decode()
        assert page.index("前次会议议定事项落实情况") < page.index("会议议程")
        assert page.count('id="decision-') == 0 and "三年行动方案" in page and "待交办" in page

    def test_the_meetings_are_dated_on_the_demos_days(self, demo):
        from gandang.core.models import AuditEntry
        from gandang.matters.models import Meeting

        held = Meeting.objects.get(number=3)
        assert held.created_at.date() == date(2023, 11, 6)
        assert not AuditEntry.objects.filter(at__date__gt=demo["today"]).exists()


@pytest.mark.django_db
class TestDemoInformation:
    def test_a_year_of_information_and_four_issued_issues(self, demo):
        from gandang.information.models import Issue, Piece

        pieces = Piece.objects.all()
        months = {p.submitted_at.month for p in pieces if p.submitted_at}
        assert months == set(range(1, 13))
        assert {p.state for p in pieces} == {"draft", "submitted", "signed", "adopted", "filed"}
        # Only the demo's own month still waits for the office: the rest were adopted, filed or returned.
        waiting = pieces.filter(state="signed")
        assert {timezone.localdate(p.submitted_at).month for p in waiting} <= {11, 12}
        # Each unit writes on its own subject every time: no title twice.
        assert len({(p.unit_id, p.title) for p in pieces}) == pieces.count()
        # Sent and adopted in office hours of their days, whatever time of day the demo was built.
        stamps = [t for p in pieces for t in (p.submitted_at, p.adopted_at) if t]
        assert all(8 <= timezone.localtime(t).hour <= 18 for t in stamps)
        assert max(stamps) <= timezone.make_aware(datetime(2023, 12, 5, 10, 30))
        issued = list(Issue.objects.filter(state="issued").order_by("total"))
        assert [(i.number, i.total) for i in issued] == [(1, 121), (2, 122), (3, 123), (4, 124)]
        assert issued[-1].content["doc_number"] == "2023年第4期（总第124期）"
        assert all(i.created_at.date() == i.issued_on for i in issued)
        assert Issue.objects.filter(state="draft").count() == 1
        assert Piece.objects.filter(experience__isnull=False).count() == 1

    def test_the_counts_add_up_to_their_lists(self, demo, client):
        from gandang.information import selectors
        from gandang.information.models import Piece

        rows = selectors.counts_by_unit(Piece.objects.all(), year=2023)
        total = selectors.totals(rows)
        assert total.sent_total == Piece.objects.filter(submitted_at__year=2023).count()
        assert total.adopted_total == Piece.objects.filter(adopted_at__isnull=False).count()
        assert 0 < total.adopted_total < total.sent_total

    def test_the_sample_plan_naming_the_general_offices_as_leads_reads_in_the_demo_city(self, demo):
        """The demo's partners read through the offices' information sections: a plan that gives 市政府办公室
        a task (as the sample does) is not refused as naming a partner."""
        from pathlib import Path

        from gandang.ledger.excel.importer import parse_ledger

        sample = Path(__file__).resolve().parents[2] / "samples" / "全面深化改革工作要点示例.docx"
        result = parse_ledger(sample, plan=None, plan_year=2023)
        assert result.rows and not [p for p in result.problems if "两办两研" in p.message]
        named = [row for row in result.rows if "市政府办公室" in row.lead_units_display]
        assert named or "市政府办公室" in result.unknown_units, [
            r.fields.get("lead_unit") for r in result.rows
        ][:5]

    def test_the_sample_plan_document_previews_as_a_new_quarterly_plan(self, demo, client):
        """A new user uploads the sample 工作要点 as a new plan, name left blank: the preview names the plan
        from the document's title (not one of the demo's plans, so nothing is merged into them) and says
        it will report quarterly on the cover letter's days."""
        from pathlib import Path

        from gandang.ledger.demo_data import KEY_PLAN, QUARTERLY_PLAN

        sample = Path(__file__).resolve().parents[2] / "samples" / "全面深化改革工作要点示例.docx"
        office = User.objects.get(username="office")
        client.force_login(office)
        with sample.open("rb") as fh:
            page = client.post("/ledger/import/", {"file": fh, "into": "new"}).content.decode()
        assert "2023年全市全面深化改革工作要点" in page
        assert not Plan.objects.filter(name="2023年全市全面深化改革工作要点").exists()
        assert "2023年全市全面深化改革工作要点" not in {KEY_PLAN, QUARTERLY_PLAN}
        assert "导入后该方案按季度报送" in page

    def test_partner_accounts_with_uses_recorded(self, demo, client):
        """The partners of 两办两研 sign in with the printed password, read the periodical, and have
        recorded uses of its pieces on the demo's days, which the counts show as promotions."""
        from datetime import datetime

        from django.utils import timezone

        from gandang.information import selectors
        from gandang.information.models import PartnerUse, Piece

        printed = [login[0] for login in demo["logins"]]
        readers = User.objects.filter(role=User.Role.PARTNER)
        assert {"partner_swb", "partner_yjs"} <= set(readers.values_list("username", flat=True))
        assert Unit.objects.filter(kind=Unit.Kind.PARTNER).count() == demo["partners"] == 4
        latest = timezone.make_aware(datetime(2023, 12, 5, 10, 30))
        for reader in readers:
            assert reader.username in printed
            assert reader.unit.kind == Unit.Kind.PARTNER
            uses = PartnerUse.objects.filter(created_by=reader)
            assert uses.exists(), reader.username
            assert all(u.used_on <= date(2023, 12, 5) and u.created_at <= latest for u in uses)
            assert all(u.piece.state == Piece.State.ADOPTED and u.piece.issue.is_issued for u in uses)
        client.post("/login/", {"username": "partner_swb", "password": PASSWORD})
        assert client.get("/").url == "/information/issues/"
        assert client.get("/information/issues/").status_code == 200
        assert client.get("/ledger/").status_code == 403
        rows = selectors.counts_by_unit(Piece.objects.all(), year=2023, uses=PartnerUse.objects.all())
        assert selectors.totals(rows).used == PartnerUse.objects.filter(withdrawn_at=None).count() >= 5
