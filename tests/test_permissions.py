"""The permission matrix: every URL × every role × own/other unit gives the expected status.

A URL the matrix does not list makes `test_every_url_is_in_the_matrix` fail, so new pages
cannot slip in without their access rules being written down here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = [
    "anon",
    "office",
    "leader",
    "liaison_a",
    "head_a",
    "liaison_b",
    "observer",
    "partner",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
ALL_OK = dict.fromkeys(ROLES[1:], 200) | {"anon": 302}
OFFICE_ONLY = dict.fromkeys(ROLES[1:], 403) | {"office": 200, "anon": 302}
AUDITADMIN_ONLY = dict.fromkeys(ROLES[1:], 403) | {"auditadmin": 200, "anon": 302}
OFFICE_ONLY_POST = dict.fromkeys(ROLES[1:], 403) | {"office": 302, "anon": 302}

# item_a: unit A leads, unit B co-operates. item_b: unit B leads. item_c: neither A nor B.
ITEM_A_READ = ALL_OK
ITEM_B_READ = ALL_OK | {"liaison_a": 404, "head_a": 404}
ITEM_C_READ = ALL_OK | {"liaison_a": 404, "head_a": 404, "liaison_b": 404}
# Writing: an item a unit member cannot see is a 404 (the same as a missing one), one it can see a 403.
ITEM_A_WRITE = OFFICE_ONLY
ITEM_B_WRITE = OFFICE_ONLY | {"liaison_a": 404, "head_a": 404}
ITEM_B_WRITE_POST = OFFICE_ONLY_POST | {"liaison_a": 404, "head_a": 404}

API_OK = ALL_OK | {"anon": 401}
API_ITEM_A = ITEM_A_READ | {"anon": 401}
API_ITEM_B = ITEM_B_READ | {"anon": 401}
API_ITEM_C = ITEM_C_READ | {"anon": 401}

UNIT_ONLY = dict.fromkeys(ROLES, 302) | {"liaison_a": 200, "head_a": 200, "liaison_b": 200}
CITY_ONLY = dict.fromkeys(ROLES, 302) | {"office": 200, "leader": 200, "observer": 200}
CITY_VIEW = dict.fromkeys(ROLES[1:], 403) | {"office": 200, "leader": 200, "observer": 200, "anon": 302}
# Report of item b (unit B leads): unit A cannot see it; others may post, the service refuses politely (302).
REPORT_B_POST = dict.fromkeys(ROLES, 302) | {"liaison_a": 404, "head_a": 404}
EDIT_A = dict.fromkeys(ROLES[1:], 403) | {"liaison_a": 200, "anon": 302}
LISTING_A_READ = ALL_OK | {"liaison_b": 404}
# A unit's draft experience: its own members only (the office, leaders, unit B: 404, as if missing).
DRAFT_A_READ = dict.fromkeys(ROLES[1:], 404) | {"liaison_a": 200, "head_a": 200, "anon": 302}
DRAFT_A_POST = dict.fromkeys(ROLES[1:], 404) | {"liaison_a": 302, "head_a": 302, "anon": 302}
LISTING_A_POST = dict.fromkeys(ROLES, 302) | {"liaison_b": 404}
LISTING_A_OFFICE_POST = LISTING_A_POST | {"leader": 403, "liaison_a": 403, "head_a": 403, "observer": 403}
EDIT_B = dict.fromkeys(ROLES[1:], 403) | {"liaison_b": 200, "liaison_a": 404, "head_a": 404, "anon": 302}


def _report(c, key):
    from gandang.dispatch import services
    from gandang.dispatch.models import Report

    period, _n = services.period_open(actor=None, year=2023, month=10)
    return Report.objects.get(period=period, item=c.items[key]).pk


def _period(c):
    from gandang.dispatch import services

    return services.period_open(actor=None, year=2023, month=10)[0].pk


def _attachment(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.dispatch import services
    from gandang.dispatch.models import Report

    report = Report.objects.get(pk=_report(c, "b"))
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4\n%%EOF\n")
    return services.attachment_add(actor=c.users["liaison_b"], report=report, upload=pdf).pk


def _listing(c):
    """Item a (unit A leads) listed for supervision: unit B does not see it."""
    from datetime import date

    from gandang.supervision import services

    listing = services.listing_create(
        actor=c.users["office"],
        item=c.items["a"],
        data=services.ListingInput(
            level="office", reason="进展缓慢", requirements="加快", deadline=date(2099, 1, 1)
        ),
    )
    return listing.pk


def _proposal(c):
    from gandang.supervision.models import Proposal

    return Proposal.objects.create(item=c.items["a"], trigger="manual", reason="测试").pk


def _letter(c):
    from gandang.supervision.models import Letter

    return Letter.objects.get(listing_id=_listing(c)).pk


def _rect_attachment(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.supervision import services
    from gandang.supervision.models import Listing

    rect = Listing.objects.get(pk=_listing(c)).rectification
    pdf = SimpleUploadedFile("整改佐证.pdf", b"%PDF-1.4\n%%EOF\n")
    return services.rectification_attachment_add(
        actor=c.users["liaison_a"], rectification=rect, upload=pdf
    ).pk


def _exp(c, state="adopted"):
    """An experience of unit A: a draft (A's alone) or adopted (everyone signed in reads it)."""
    from tests.achievements.conftest import make_experience

    return make_experience(c, adopt=state != "draft", publish=state == "published").pk


def _exp_attachment(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.achievements import services
    from gandang.achievements.models import Experience

    exp = Experience.objects.get(pk=_exp(c, "draft"))
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%%EOF\n")
    return services.attachment_add(actor=c.users["liaison_a"], experience=exp, upload=pdf).pk


def _promotion(c):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.achievements import services
    from gandang.achievements.models import Experience, Outlet

    exp = Experience.objects.get(pk=_exp(c))
    scan = SimpleUploadedFile("刊发.pdf", b"%PDF-1.4\n%%EOF\n")
    return services.promotion_add(
        actor=c.users["office"], experience=exp, outlet=Outlet.objects.first(), on=date(2023, 1, 5), scan=scan
    ).pk


def _pilot(c):
    from datetime import date

    from gandang.achievements import services

    data = services.PilotInput(
        name="试点", level="national", granted_by="国家部委", lead_unit=c.units["a"], description="", items=[]
    )
    return services.pilot_create(
        actor=c.users["office"], data=data, state="undertaken", on=date(2023, 1, 5)
    ).pk


def _pilot_step(c):
    from gandang.achievements.models import PilotStep

    return PilotStep.objects.get(pilot_id=_pilot(c)).pk


def _honor(c):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.achievements import services

    data = services.HonorInput(
        name="督查激励",
        level="province_incentive",
        unit=c.units["a"],
        granted_by="",
        on=date(2023, 1, 5),
        note="",
        items=[],
    )
    pdf = SimpleUploadedFile("佐证.pdf", b"%PDF-1.4\n%%EOF\n")
    return services.honor_create(actor=c.users["office"], data=data, evidence=pdf).pk


def _notice(c):
    """A notice of liaison A's: everyone else gets the same 404 as for a missing one."""
    from gandang.notifications.services import notify

    notify(users=[c.users["liaison_a"]], kind="other", title="测试通知", url="/", key="matrix")
    return c.users["liaison_a"].notifications.get(key="matrix").pk


def _bulletin_draft(c):
    """A draft of 2023Q3: the office's working paper; everyone else gets the same 404 as for a missing one."""
    from gandang.bulletins import services
    from gandang.bulletins.quarter import Quarter

    return services.bulletin_draft(actor=c.users["office"], quarter=Quarter(2023, 3))[0].pk


def _factsheet(c):
    """A press-conference fact sheet: the office's working paper, which city leaders read (403 for the rest)."""
    from datetime import date

    from gandang.bulletins import factsheet_services

    return factsheet_services.factsheet_create(
        actor=c.users["office"], start=date(2023, 1, 1), end=date(2023, 11, 30), since=date(2021, 1, 1)
    ).pk


FACTSHEET_READ = dict.fromkeys(ROLES[1:], 403) | {"office": 200, "leader": 200, "anon": 302}
FACTSHEET_POST = dict.fromkeys(ROLES[1:], 403) | {"office": 302, "anon": 302}


def _bulletin_issued(c):
    """An issued bulletin (stored as issued, without a quarter of data behind it): readable by every role."""
    from datetime import date

    from gandang.bulletins.models import Bulletin
    from gandang.documents import structure as s

    doc = s.Document(
        issuer="改革办",
        title="关于2023年第二季度全面深化改革工作进展情况的通报",
        recipient="各单位：",
        blocks=[s.Paragraph("正文")],
        signature="改革办",
        date=date(2023, 7, 12),
        doc_number="改通〔2023〕1号",
    )
    return Bulletin.objects.create(
        year=2023,
        quarter=2,
        state="issued",
        number=1,
        doc_number=doc.doc_number,
        title=doc.title,
        issued_on=doc.date,
        content=s.document_to_data(doc),
    ).pk


def _assessment_run(c):
    """A computed 2023 run over units A (department), B (county) and C: a unit sees only its own sheet."""
    from tests.assessment.factories import computed_run

    return computed_run(c).pk


def _assessment_scheme(c):
    from gandang.assessment.models import Run

    return Run.objects.get(pk=_assessment_run(c)).scheme_id


def _assessment_final(c):
    from gandang.assessment import services
    from gandang.assessment.models import Run

    return services.run_finalize(actor=c.users["office"], run=Run.objects.get(pk=_assessment_run(c))).pk


def _assessment_noticed(c):
    from gandang.assessment import services
    from gandang.assessment.models import Run

    return services.notice_issue(actor=c.users["office"], run=Run.objects.get(pk=_assessment_final(c))).pk


def _assessment_draft_scheme(c):
    from tests.assessment.factories import scheme

    return scheme(state="draft").pk


def _assessment_manual(c):
    from decimal import Decimal

    from gandang.assessment import services
    from gandang.assessment.models import Run

    run = Run.objects.get(pk=_assessment_run(c))
    ind = run.scheme.indicators.get(rule="manual")
    return services.manual_add(
        actor=c.users["office"],
        scheme=run.scheme,
        unit=c.units["a"],
        indicator=ind,
        points=Decimal(1),
        justification="改革特别奖",
    ).pk


def _assessment_objection(c):
    """Unit A's objection: unit B gets the 404 of a missing one."""
    from gandang.assessment import services
    from gandang.assessment.models import Run

    run = Run.objects.get(pk=_assessment_final(c))
    return services.objection_file(
        actor=c.users["liaison_a"], run=run, unit=c.units["a"], line=None, text="有异议"
    ).pk


def _standing(c):
    """October 2023's standing, computed (the office's working paper) over units A, B and C."""
    from gandang.assessment import standing_services
    from tests.assessment import factories as f

    f.standing_scheme()
    return standing_services.standing_compute(actor=c.users["office"], period=f.period(2023, 10)).pk


def _standing_published(c):
    from gandang.assessment import standing_services
    from gandang.assessment.models import Standing

    standing = Standing.objects.get(pk=_standing(c))
    return standing_services.standing_publish(actor=c.users["office"], standing=standing).pk


def _instruction(c):
    """A provincial directive recorded by the office, its matter assigned to unit A (unit B: 404)."""
    from datetime import date

    from tests.matters.conftest import record_directive

    return record_directive(c, deadline=date(2099, 1, 1)).pk


def _matter(c):
    from gandang.matters.models import Matter

    return Matter.objects.get(instruction_id=_instruction(c)).pk


def _matter_with_b(c):
    """Unit A's matter on which unit B co-operates (its part of the answer is unit B's to write)."""
    from datetime import date

    from gandang.matters import services

    data = services.InstructionInput(
        leader_name="王建国",
        leader_title="副省长",
        level="province",
        kind="directive",
        on=date(2023, 11, 1),
        text="请市发改委会同岱岳区抓紧推进",
        assignment=services.Assignment(unit=c.units["a"], deadline=date(2099, 1, 1), co_units=[c.units["b"]]),
    )
    return services.instruction_record(actor=c.users["office"], data=data).matters.get().pk


def _matter_attachment(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.matters import services
    from gandang.matters.models import Matter

    pdf = SimpleUploadedFile("办理佐证.pdf", b"%PDF-1.4\n%%EOF\n")
    matter = Matter.objects.get(pk=_matter(c))
    return services.attachment_add(actor=c.users["liaison_a"], matter=matter, upload=pdf).pk


def _scan(c):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.matters import services

    scan = SimpleUploadedFile("批示.pdf", b"%PDF-1.4\n%%EOF\n")
    data = services.InstructionInput(
        leader_name="林武",
        leader_title="省委书记",
        level="province",
        kind="praise",
        on=date(2023, 3, 1),
        text="肯定",
        units=[c.units["a"]],
    )
    return services.instruction_record(actor=c.users["office"], data=data, scan=scan).scans.get().pk


def _matter_letter(c):
    """The office's 催办函 for unit A's matter (deadline 2099-01-01), the day after its deadline."""
    from datetime import date

    from gandang.matters import letters
    from gandang.matters.models import Matter

    matter = Matter.objects.get(pk=_matter(c))
    return letters.matter_urge(actor=c.users["office"], matter=matter, today=date(2099, 1, 2)).pk


def _consult_suggestion(c, *, assigned=True, closed=False, replied=False):
    """A suggestion heard at a session, assigned to unit A (or not yet assigned: units see nothing of it)."""
    from datetime import date

    from tests.matters.conftest import assign, handle, suggestion

    sug = suggestion(c)
    if closed or replied:
        handle(c, sug, deadline=date(2099, 1, 1))
    elif assigned:
        assign(c, sug, deadline=date(2099, 1, 1))
    if replied:
        from gandang.matters import consult_services
        from gandang.matters.models import Suggestion

        sug = Suggestion.objects.get(pk=sug.pk)
        d = consult_services.reply_draft(sug)
        return consult_services.reply_issue(
            actor=c.users["office"], suggestion=sug, title=d.title, recipient=d.recipient, body=d.body
        )
    return sug


def _consultation(c):
    return _consult_suggestion(c).consultation_id


def _meeting(c, state="held"):
    """Meeting 1: unit A's topic on its agenda, a deputy present, unit A's decision (held, or in preparation)."""
    from tests.matters.meetings import held, prepare

    return (held(c) if state == "held" else prepare(c)).pk


def _topic(c):
    """Unit A's topic of a meeting in preparation, waiting for review (unit B: 404)."""
    from gandang.matters import meeting_services as ms
    from gandang.matters.meeting_models import Meeting

    meeting = Meeting.objects.get(pk=_meeting(c, "preparing"))
    return ms.topic_propose(actor=c.users["liaison_a"], meeting=meeting, title="议题").pk


def _material(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.matters import meeting_services as ms
    from gandang.matters.meeting_models import Topic

    pdf = SimpleUploadedFile("汇报材料.pdf", b"%PDF-1.4\n%%EOF\n")
    return ms.material_add(actor=c.users["liaison_a"], topic=Topic.objects.get(pk=_topic(c)), upload=pdf).pk


def _observer(c):
    from gandang.matters.meeting_models import Observer

    return Observer.objects.get(meeting_id=_meeting(c)).pk


def _comment(c):
    from gandang.matters import meeting_services as ms
    from gandang.matters.meeting_models import Observer

    return ms.comment_add(
        actor=c.users["office"], observer=Observer.objects.get(pk=_observer(c)), text="建议"
    ).pk


def _decision(c):
    from gandang.matters.meeting_models import Decision

    return Decision.objects.get(meeting_id=_meeting(c)).pk


MATTER_A_READ = ALL_OK | {"liaison_b": 404}
MATTER_A_POST = dict.fromkeys(ROLES, 302) | {"liaison_b": 404}
LEADER_ONLY = dict.fromkeys(ROLES[1:], 403) | {"leader": 200, "anon": 302}
# A suggestion not yet assigned: no unit sees it (the 404 of a missing one).
UNASSIGNED_READ = ALL_OK | {"liaison_a": 404, "head_a": 404, "liaison_b": 404}
UNASSIGNED_OFFICE = OFFICE_ONLY | {"liaison_a": 404, "head_a": 404, "liaison_b": 404}


def _piece(c, stage="draft"):
    """Unit A's piece of information: a draft (A's alone), sent to the office, or adopted."""
    from tests.information.conftest import adopted, drafted, signed

    return {"draft": drafted, "signed": signed, "adopted": adopted}[stage](c).pk


def _piece_photo(c):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gandang.information import services
    from gandang.information.models import Piece

    piece = Piece.objects.get(pk=_piece(c))
    pdf = SimpleUploadedFile("现场.pdf", b"%PDF-1.4\n%%EOF\n")
    return services.photo_add(actor=c.users["liaison_a"], piece=piece, upload=pdf).pk


def _use(c):
    """Unit A's adopted piece, used by the partner (市委办公室) in 《市委信息》 today."""
    from gandang.core import clock
    from gandang.information import partner_services
    from gandang.information.models import Piece

    piece = Piece.objects.get(pk=_piece(c, "adopted"))
    return partner_services.use_record(
        actor=c.users["partner"], piece=piece, publication="市委信息", used_on=clock.today()
    ).pk


# 采用登记: the partner's reader records on an adopted piece; the others may not (403), unit B sees no piece.
USE_RECORD = dict.fromkeys(ROLES[1:], 403) | {"liaison_b": 404, "partner": 400, "anon": 302}
# Withdrawing: the reader who recorded it, and the office (here without its reason: refused politely).
USE_WITHDRAW = dict.fromkeys(ROLES[1:], 403) | {"liaison_b": 404, "partner": 302, "office": 302, "anon": 302}


def _periodical(c, *, issued=False):
    """An issue of the periodical: being compiled (the office's alone) or issued (every role reads it)."""
    from gandang.information import services
    from tests.information.conftest import issued as issued_issue

    if issued:
        return issued_issue(c, n=1).pk
    return services.issue_create(actor=c.users["office"]).pk


# A piece of unit A sent to the office: a partner's reader sees it only once adopted.
PIECE_A_READ = ALL_OK | {"liaison_b": 404, "partner": 404}
ADOPTED_A_READ = ALL_OK | {"liaison_b": 404}


BULLETIN_DRAFT = dict.fromkeys(ROLES[1:], 404) | {"office": 200, "anon": 302}
BULLETIN_DRAFT_POST = dict.fromkeys(ROLES[1:], 404) | {"office": 302, "anon": 302}


# name -> list of (method, url args or kwargs builder, expected status by role)
MATRIX = {
    "home": [("get", lambda c: [], ALL_OK | {"partner": 302})],  # a partner's reader: to the periodical
    "login": [("get", lambda c: [], dict.fromkeys(ROLES, 302) | {"anon": 200})],
    "logout": [("post", lambda c: [], dict.fromkeys(ROLES, 302))],
    "set_language": [("post", lambda c: [], dict.fromkeys(ROLES, 302))],
    "healthz": [("get", lambda c: [], dict.fromkeys(ROLES, 200))],
    "csrf_token": [("get", lambda c: [], dict.fromkeys(ROLES, 200))],
    "signed_in": [("get", lambda c: [], ALL_OK)],
    # Everyone changes their own password (and only their own: the page has no user in its address).
    "accounts:password_change": [("get", lambda c: [], ALL_OK)],
    # The second factor: each person's own (offered to every role; the pages name no other account).
    "accounts:two_factor": [("get", lambda c: [], ALL_OK)],
    "accounts:two_factor_setup": [("get", lambda c: [], ALL_OK)],
    "accounts:two_factor_verify": [("get", lambda c: [], ALL_OK)],
    "ledger:item_list": [("get", lambda c: [], ALL_OK)],
    "ledger:item_create": [("get", lambda c: [], OFFICE_ONLY)],
    "ledger:item_detail": [
        ("get", lambda c: [c.items["a"].pk], ITEM_A_READ),
        ("get", lambda c: [c.items["b"].pk], ITEM_B_READ),
        ("get", lambda c: [c.items["c"].pk], ITEM_C_READ),
        ("get", lambda c: [999999], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    "ledger:item_edit": [
        ("get", lambda c: [c.items["a"].pk], ITEM_A_WRITE),
        ("get", lambda c: [c.items["b"].pk], ITEM_B_WRITE),
    ],
    "ledger:item_archive": [
        ("post", lambda c: [c.items["b"].pk], ITEM_B_WRITE_POST),
        ("get", lambda c: [c.items["a"].pk], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "ledger:plan_list": [("get", lambda c: [], ALL_OK)],
    "ledger:plan_create": [("get", lambda c: [], OFFICE_ONLY)],
    "ledger:plan_edit": [("get", lambda c: [c.plan.pk], OFFICE_ONLY)],
    "ledger:import": [("get", lambda c: [], OFFICE_ONLY)],
    "ledger:import_confirm": [("post", lambda c: [], OFFICE_ONLY | {"office": 200})],
    "ledger:import_template": [("get", lambda c: [], OFFICE_ONLY)],
    "ledger:export_xlsx": [("get", lambda c: [], ALL_OK)],
    "ledger:export_json": [("get", lambda c: [], ALL_OK)],
    "dispatch:period_list": [("get", lambda c: [], ALL_OK)],
    # An empty form: the office gets the page back with what is missing said (400), the rest refused.
    "dispatch:period_create": [("post", lambda c: [], OFFICE_ONLY_POST | {"office": 400})],
    "dispatch:period_detail": [("get", lambda c: [_period(c)], CITY_ONLY)],
    "dispatch:period_fill": [("get", lambda c: [_period(c)], UNIT_ONLY)],
    "dispatch:period_accept": [("post", lambda c: [_period(c)], OFFICE_ONLY_POST)],
    "dispatch:report_detail": [
        ("get", lambda c: [_report(c, "a")], ITEM_A_READ),
        ("get", lambda c: [_report(c, "b")], ITEM_B_READ),
        ("get", lambda c: [_report(c, "c")], ITEM_C_READ),
    ],
    "dispatch:report_edit": [
        ("get", lambda c: [_report(c, "a")], EDIT_A),
        ("get", lambda c: [_report(c, "b")], EDIT_B),
    ],
    "dispatch:report_step": [("post", lambda c: [_report(c, "b"), "submit"], REPORT_B_POST)],
    # Autosave: the unit's own liaison only (an empty post is a 400 with its reason; 403 for the rest).
    "dispatch:report_autosave": [
        ("post", lambda c: [_report(c, "a")], dict.fromkeys(ROLES, 403) | {"liaison_a": 400, "anon": 302}),
        (
            "post",
            lambda c: [_report(c, "b")],
            dict.fromkeys(ROLES, 403) | {"liaison_b": 400, "liaison_a": 404, "head_a": 404, "anon": 302},
        ),
        ("get", lambda c: [_report(c, "a")], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "dispatch:copy_verdict": [
        ("post", lambda c: [_report(c, "a")], OFFICE_ONLY_POST),
        ("post", lambda c: [_report(c, "b")], OFFICE_ONLY_POST | {"liaison_a": 404, "head_a": 404}),
    ],
    "dispatch:sign": [("get", lambda c: [], dict.fromkeys(ROLES, 403) | {"head_a": 200, "anon": 302})],
    "dispatch:attachment_upload": [("post", lambda c: [_report(c, "b")], REPORT_B_POST)],
    "dispatch:contribution_save": [("post", lambda c: [_report(c, "b")], REPORT_B_POST)],
    "dispatch:attachment_download": [("get", lambda c: [_attachment(c)], ITEM_B_READ)],
    "dispatch:attachment_remove": [
        (
            "post",
            lambda c: [_attachment(c)],
            dict.fromkeys(ROLES[1:], 403) | {"liaison_b": 302, "liaison_a": 404, "head_a": 404, "anon": 302},
        )
    ],
    "dispatch:item_no_effect": [
        ("post", lambda c: [c.items["a"].pk], OFFICE_ONLY_POST),
        ("post", lambda c: [c.items["b"].pk], ITEM_B_WRITE_POST),
    ],
    # Listed supervision: item a's listing is unit A's (liaison_b gets the 404 of a missing one).
    "supervision:index": [("get", lambda c: [], ALL_OK)],
    "supervision:listing_new": [("get", lambda c: [], OFFICE_ONLY_POST)],
    "supervision:proposal_dismiss": [("post", lambda c: [_proposal(c)], OFFICE_ONLY_POST)],
    "supervision:proposals_refresh": [("post", lambda c: [], OFFICE_ONLY_POST)],
    "supervision:listing_detail": [("get", lambda c: [_listing(c)], LISTING_A_READ)],
    "supervision:listing_escalate": [("post", lambda c: [_listing(c)], LISTING_A_OFFICE_POST)],
    "supervision:listing_revoke": [("post", lambda c: [_listing(c)], LISTING_A_OFFICE_POST)],
    "supervision:listing_extend": [("post", lambda c: [_listing(c)], LISTING_A_OFFICE_POST)],
    "supervision:rectification_edit": [
        ("post", lambda c: [_listing(c)], LISTING_A_OFFICE_POST | {"office": 403, "liaison_a": 400})
    ],
    "supervision:rectification_step": [("post", lambda c: [_listing(c), "submit"], LISTING_A_POST)],
    "supervision:attachment_upload": [("post", lambda c: [_listing(c)], LISTING_A_POST)],
    "supervision:attachment_download": [("get", lambda c: [_rect_attachment(c)], LISTING_A_READ)],
    "supervision:attachment_remove": [
        ("post", lambda c: [_rect_attachment(c)], LISTING_A_OFFICE_POST | {"office": 403, "liaison_a": 302})
    ],
    "supervision:letter_download": [
        ("get", lambda c: [_letter(c), "docx"], LISTING_A_READ),
        ("get", lambda c: [_letter(c), "txt"], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    "api:list_listings": [("get", lambda c: [], API_OK)],
    "api:list_experiences": [("get", lambda c: [], API_OK)],
    "api:stats": [("get", lambda c: [], API_OK)],
    "api:get_listing": [("get", lambda c: [_listing(c)], LISTING_A_READ | {"anon": 401})],
    # Instructions and matters: unit A's matter (unit B gets the 404 of a missing one).
    "matters:matter_list": [("get", lambda c: [], ALL_OK)],
    "matters:matter_detail": [("get", lambda c: [_matter(c)], MATTER_A_READ)],
    "matters:matter_answer": [
        ("post", lambda c: [_matter(c)], LISTING_A_OFFICE_POST | {"office": 403, "liaison_a": 400}),
        ("get", lambda c: [_matter(c)], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "matters:matter_step": [("post", lambda c: [_matter(c), "submit"], MATTER_A_POST)],
    # A co-unit's part of the answer: unit B (posting nothing: the 400 of an empty form); everyone else 403.
    "matters:contribution_save": [
        (
            "post",
            lambda c: [_matter_with_b(c)],
            dict.fromkeys(ROLES[1:], 403) | {"anon": 302, "liaison_b": 400},
        )
    ],
    "matters:matter_itemize": [
        ("get", lambda c: [_matter(c)], OFFICE_ONLY | {"liaison_b": 404}),
        ("post", lambda c: [_matter(c)], OFFICE_ONLY | {"office": 400, "liaison_b": 404}),
    ],
    "matters:attachment_upload": [("post", lambda c: [_matter(c)], MATTER_A_POST)],
    "matters:attachment_download": [("get", lambda c: [_matter_attachment(c)], MATTER_A_READ)],
    "matters:attachment_remove": [("post", lambda c: [_matter_attachment(c)], MATTER_A_POST)],
    "matters:instruction_list": [("get", lambda c: [], ALL_OK)],
    "matters:year_overview": [("get", lambda c: [], ALL_OK)],
    "matters:instruction_create": [
        ("get", lambda c: [], OFFICE_ONLY),
        ("post", lambda c: [], OFFICE_ONLY | {"office": 400}),
    ],
    "matters:instruction_detail": [("get", lambda c: [_instruction(c)], MATTER_A_READ)],
    "matters:scan_download": [("get", lambda c: [_scan(c)], MATTER_A_READ)],
    # A city leader's 批示 on an item: the leader alone; an item a unit cannot see stays a 404.
    "matters:item_instruct": [
        ("get", lambda c: [c.items["a"].pk], LEADER_ONLY),
        ("get", lambda c: [c.items["b"].pk], LEADER_ONLY | {"liaison_a": 404, "head_a": 404}),
        ("post", lambda c: [c.items["a"].pk], LEADER_ONLY | {"leader": 400}),
    ],
    # An overdue matter's letters: the office issues them; whoever reads the matter downloads them.
    "matters:matter_urge": [
        ("post", lambda c: [_matter(c)], LISTING_A_OFFICE_POST),
        ("get", lambda c: [_matter(c)], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "matters:matter_escalate": [("post", lambda c: [_matter(c)], LISTING_A_OFFICE_POST)],
    "matters:letter_download": [
        ("get", lambda c: [_matter_letter(c), "pdf"], MATTER_A_READ),
        ("get", lambda c: [_matter_letter(c), "txt"], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    # A city leader's 批示 on another app's record (core.records): the record's own gate first (unit B
    # does not see unit A's listing: 404), then the leader alone; an unknown kind of record is a 404.
    "matters:record_instruct": [
        ("get", lambda c: ["supervision.listing", _listing(c)], LEADER_ONLY | {"liaison_b": 404}),
        (
            "get",
            lambda c: ["dispatch.report", _report(c, "b")],
            LEADER_ONLY | {"liaison_a": 404, "head_a": 404},
        ),
        ("get", lambda c: ["achievements.experience", _exp(c)], LEADER_ONLY),
        ("get", lambda c: ["bulletins.bulletin", _bulletin_issued(c)], LEADER_ONLY),
        (
            "get",
            lambda c: ["bulletins.bulletin", _bulletin_draft(c)],
            dict.fromkeys(ROLES[1:], 404) | {"office": 403, "anon": 302},  # a draft: the office reads it
        ),
        (
            "post",
            lambda c: ["supervision.listing", _listing(c)],
            LEADER_ONLY | {"leader": 400, "liaison_b": 404},
        ),
        ("get", lambda c: ["ledger.plan", c.plan.pk], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    # The consultation: a session and suggestion of unit A's matter (unit B: 404); the office alone writes.
    "matters:consult_index": [("get", lambda c: [], ALL_OK)],
    "matters:consultation_create": [
        ("get", lambda c: [], OFFICE_ONLY),
        ("post", lambda c: [], OFFICE_ONLY | {"office": 400}),
    ],
    "matters:consultation_detail": [("get", lambda c: [_consultation(c)], MATTER_A_READ)],
    "matters:suggestion_add": [
        ("post", lambda c: [_consultation(c)], OFFICE_ONLY | {"office": 400, "liaison_b": 404}),
        ("get", lambda c: [_consultation(c)], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "matters:consultation_edit": [
        ("get", lambda c: [_consultation(c)], OFFICE_ONLY | {"liaison_b": 404}),
        ("post", lambda c: [_consultation(c)], OFFICE_ONLY | {"office": 400, "liaison_b": 404}),
    ],
    "matters:suggestion_edit": [
        ("get", lambda c: [_consult_suggestion(c, assigned=False).pk], UNASSIGNED_OFFICE),
        ("post", lambda c: [_consult_suggestion(c, assigned=False).pk], UNASSIGNED_OFFICE | {"office": 400}),
        # Assigned: the office is sent back with the reason.
        ("get", lambda c: [_consult_suggestion(c).pk], OFFICE_ONLY | {"office": 302, "liaison_b": 404}),
    ],
    "matters:suggestion_list": [("get", lambda c: [], ALL_OK)],
    "matters:suggestion_detail": [
        ("get", lambda c: [_consult_suggestion(c).pk], MATTER_A_READ),
        ("get", lambda c: [_consult_suggestion(c, assigned=False).pk], UNASSIGNED_READ),
    ],
    "matters:suggestion_assign": [
        ("post", lambda c: [_consult_suggestion(c, assigned=False).pk], UNASSIGNED_OFFICE | {"office": 400}),
        ("post", lambda c: [_consult_suggestion(c).pk], OFFICE_ONLY | {"office": 302, "liaison_b": 404}),
    ],
    "matters:reply_issue": [
        ("get", lambda c: [_consult_suggestion(c, closed=True).pk], OFFICE_ONLY | {"liaison_b": 404}),
        (
            "post",
            lambda c: [_consult_suggestion(c, closed=True).pk],
            OFFICE_ONLY | {"office": 400, "liaison_b": 404},
        ),
        # Not yet closed: the office is sent back to the suggestion with the reason.
        ("get", lambda c: [_consult_suggestion(c).pk], OFFICE_ONLY | {"office": 302, "liaison_b": 404}),
    ],
    "matters:reply_download": [
        ("get", lambda c: [_consult_suggestion(c, replied=True).pk, "docx"], MATTER_A_READ),
        (
            "get",
            lambda c: [_consult_suggestion(c, replied=True).pk, "txt"],
            dict.fromkeys(ROLES[1:], 404) | {"anon": 302},
        ),
    ],
    "api:list_consultations": [("get", lambda c: [], API_OK)],
    "api:get_consultation": [("get", lambda c: [_consultation(c)], MATTER_A_READ | {"anon": 401})],
    "api:list_suggestions": [("get", lambda c: [], API_OK)],
    "api:get_suggestion": [("get", lambda c: [_consult_suggestion(c).pk], MATTER_A_READ | {"anon": 401})],
    "api:list_matters": [("get", lambda c: [], API_OK)],
    "api:get_matter": [("get", lambda c: [_matter(c)], MATTER_A_READ | {"anon": 401})],
    "api:list_instructions": [("get", lambda c: [], API_OK)],
    "api:get_instruction": [("get", lambda c: [_instruction(c)], MATTER_A_READ | {"anon": 401})],
    # Reform-committee meetings: read by every signed-in role; written by the office; unit A's topic is
    # unit A's (unit B gets the 404 of a missing one).
    "matters:meeting_list": [("get", lambda c: [], ALL_OK)],
    "matters:decision_list": [("get", lambda c: [], ALL_OK)],
    "matters:meeting_create": [
        ("get", lambda c: [], OFFICE_ONLY),
        ("post", lambda c: [], OFFICE_ONLY | {"office": 400}),
    ],
    "matters:meeting_detail": [
        ("get", lambda c: [_meeting(c)], ALL_OK),
        ("get", lambda c: [_meeting(c, "preparing")], ALL_OK),
    ],
    "matters:meeting_edit": [
        ("get", lambda c: [_meeting(c)], OFFICE_ONLY),
        ("post", lambda c: [_meeting(c)], OFFICE_ONLY | {"office": 400}),
    ],
    "matters:meeting_step": [
        ("post", lambda c: [_meeting(c, "preparing"), "hold"], dict.fromkeys(ROLES, 302)),
        ("post", lambda c: [_meeting(c), "abc"], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    "matters:topic_create": [
        ("post", lambda c: [_meeting(c, "preparing")], dict.fromkeys(ROLES[1:], 400) | {"anon": 302})
    ],
    "matters:observer_add": [("post", lambda c: [_meeting(c)], OFFICE_ONLY | {"office": 400})],
    "matters:minutes_save": [("post", lambda c: [_meeting(c)], OFFICE_ONLY | {"office": 400})],
    "matters:minutes_issue": [("post", lambda c: [_meeting(c)], dict.fromkeys(ROLES, 302))],
    "matters:minutes_download": [
        (
            "get",
            lambda c: [_meeting(c), "docx"],
            dict.fromkeys(ROLES[1:], 404) | {"office": 200, "anon": 302},
        ),
        ("get", lambda c: [_meeting(c), "txt"], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    "matters:decision_add": [("post", lambda c: [_meeting(c)], OFFICE_ONLY | {"office": 400})],
    "matters:topic_detail": [
        ("get", lambda c: [_topic(c)], MATTER_A_READ),
        (
            "post",
            lambda c: [_topic(c)],
            OFFICE_ONLY | {"office": 400, "liaison_a": 400, "head_a": 400, "liaison_b": 404},
        ),
    ],
    "matters:topic_step": [("post", lambda c: [_topic(c), "accept"], MATTER_A_POST)],
    "matters:topic_move": [("post", lambda c: [_topic(c)], OFFICE_ONLY_POST | {"liaison_b": 404})],
    "matters:material_upload": [("post", lambda c: [_topic(c)], MATTER_A_POST)],
    "matters:material_download": [("get", lambda c: [_material(c)], MATTER_A_READ)],
    "matters:material_remove": [("post", lambda c: [_material(c)], MATTER_A_POST)],
    "matters:observer_step": [("post", lambda c: [_observer(c), "absent"], dict.fromkeys(ROLES, 302))],
    "matters:comment_add": [("post", lambda c: [_observer(c)], OFFICE_ONLY_POST)],
    "matters:comment_assign": [
        ("get", lambda c: [_comment(c)], OFFICE_ONLY),
        ("post", lambda c: [_comment(c)], OFFICE_ONLY | {"office": 400}),
    ],
    "matters:decision_matter": [("post", lambda c: [_decision(c)], OFFICE_ONLY_POST)],
    "matters:decision_itemize": [
        ("get", lambda c: [_decision(c)], OFFICE_ONLY),
        ("post", lambda c: [_decision(c)], OFFICE_ONLY | {"office": 400}),
    ],
    "api:list_meetings": [("get", lambda c: [], API_OK)],
    "api:get_meeting": [("get", lambda c: [_meeting(c)], API_OK)],
    "api:list_open_decisions": [("get", lambda c: [], API_OK)],
    # Reform information: a unit's draft is its own; once sent, city-wide roles read it; unit B never.
    "information:piece_list": [("get", lambda c: [], ALL_OK)],
    "information:piece_create": [
        (
            "get",
            lambda c: [],
            dict.fromkeys(ROLES[1:], 403) | {"liaison_a": 200, "liaison_b": 200, "anon": 302},
        ),
        (
            "post",
            lambda c: [],
            dict.fromkeys(ROLES[1:], 403) | {"liaison_a": 400, "liaison_b": 400, "anon": 302},
        ),
    ],
    "information:piece_detail": [
        ("get", lambda c: [_piece(c)], DRAFT_A_READ),
        ("get", lambda c: [_piece(c, "signed")], PIECE_A_READ),
        ("get", lambda c: [_piece(c, "adopted")], ADOPTED_A_READ),
    ],
    "information:piece_edit": [
        ("post", lambda c: [_piece(c)], DRAFT_A_READ | {"liaison_a": 400, "head_a": 403}),
        ("post", lambda c: [_piece(c, "signed")], OFFICE_ONLY | {"office": 400, "liaison_b": 404}),
        ("get", lambda c: [_piece(c)], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "information:piece_step": [
        ("post", lambda c: [_piece(c), "submit"], DRAFT_A_POST),
        ("post", lambda c: [_piece(c, "signed"), "adopt"], MATTER_A_POST),
        (
            "post",
            lambda c: [_piece(c, "signed"), "abc"],
            PIECE_A_READ
            | {"liaison_a": 404, "head_a": 404, "office": 404, "leader": 404, "observer": 404, "anon": 302},
        ),
    ],
    "information:piece_raise": [("post", lambda c: [_piece(c, "adopted")], LISTING_A_OFFICE_POST)],
    "information:photo_upload": [("post", lambda c: [_piece(c)], DRAFT_A_POST)],
    "information:photo_download": [("get", lambda c: [_piece_photo(c)], DRAFT_A_READ)],
    "information:photo_remove": [("post", lambda c: [_piece_photo(c)], DRAFT_A_POST)],
    "information:counts": [("get", lambda c: [], ALL_OK)],
    "information:use_record": [
        ("post", lambda c: [_piece(c, "adopted")], USE_RECORD),
        # Not adopted: the partner does not see it (404), like a missing piece.
        ("post", lambda c: [_piece(c, "signed")], USE_RECORD | {"partner": 404}),
        (
            "post",
            lambda c: [_piece(c)],
            dict.fromkeys(ROLES[1:], 404) | {"liaison_a": 403, "head_a": 403, "anon": 302},
        ),
        ("get", lambda c: [_piece(c, "adopted")], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "information:use_list": [("get", lambda c: [], ALL_OK)],
    "information:use_withdraw": [
        ("post", lambda c: [_use(c)], USE_WITHDRAW),
        ("get", lambda c: [_use(c)], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "information:use_correct": [
        ("post", lambda c: [_use(c)], OFFICE_ONLY_POST | {"liaison_b": 404}),
    ],
    # The periodical: issued issues for every role; one being compiled is the office's (404 for the rest).
    "information:issue_list": [("get", lambda c: [], ALL_OK)],
    "information:issue_create": [("post", lambda c: [], OFFICE_ONLY_POST)],
    "information:issue_detail": [
        ("get", lambda c: [_periodical(c)], BULLETIN_DRAFT),
        ("get", lambda c: [_periodical(c, issued=True)], ALL_OK),
    ],
    "information:issue_edit": [
        ("post", lambda c: [_periodical(c)], BULLETIN_DRAFT_POST),
        ("post", lambda c: [_periodical(c, issued=True)], OFFICE_ONLY | {"office": 400}),
    ],
    "information:issue_add": [("post", lambda c: [_periodical(c)], BULLETIN_DRAFT_POST)],
    "information:issue_remove": [
        ("post", lambda c: [_periodical(c)], dict.fromkeys(ROLES, 404) | {"anon": 302})
    ],
    "information:issue_move": [
        ("post", lambda c: [_periodical(c)], dict.fromkeys(ROLES, 404) | {"anon": 302})
    ],
    "information:issue_publish": [
        ("post", lambda c: [_periodical(c)], BULLETIN_DRAFT_POST),
        ("post", lambda c: [_periodical(c, issued=True)], OFFICE_ONLY_POST),
    ],
    "information:issue_download": [
        ("get", lambda c: [_periodical(c, issued=True), "docx"], ALL_OK),
        (
            "get",
            lambda c: [_periodical(c, issued=True), "txt"],
            dict.fromkeys(ROLES[1:], 404) | {"anon": 302},
        ),
        ("get", lambda c: [_periodical(c), "pdf"], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    "api:list_pieces": [("get", lambda c: [], API_OK)],
    "api:get_piece": [
        ("get", lambda c: [_piece(c, "signed")], PIECE_A_READ | {"anon": 401}),
        ("get", lambda c: [_piece(c, "adopted")], ADOPTED_A_READ | {"anon": 401}),
        ("get", lambda c: [_piece(c)], DRAFT_A_READ | {"anon": 401}),
    ],
    "api:information_counts": [("get", lambda c: [], API_OK)],
    "api:list_partner_uses": [("get", lambda c: [], API_OK)],
    "api:list_periodical_issues": [("get", lambda c: [], API_OK)],
    "api:get_periodical_issue": [
        ("get", lambda c: [_periodical(c, issued=True)], API_OK),
        ("get", lambda c: [_periodical(c)], BULLETIN_DRAFT | {"anon": 401}),
    ],
    # Achievements: read by every signed-in role; a unit's draft is its own (404 for everyone else).
    "achievements:index": [("get", lambda c: [], ALL_OK)],
    "achievements:export_xlsx": [("get", lambda c: [], ALL_OK)],
    "achievements:experience_list": [("get", lambda c: [], ALL_OK)],
    "achievements:experience_create": [
        ("get", lambda c: [], OFFICE_ONLY | {"liaison_a": 200, "liaison_b": 200})
    ],
    "achievements:experience_detail": [
        ("get", lambda c: [_exp(c)], ALL_OK),
        ("get", lambda c: [_exp(c, "draft")], DRAFT_A_READ),
    ],
    "achievements:experience_edit": [
        ("get", lambda c: [_exp(c, "draft")], DRAFT_A_READ | {"head_a": 403}),
        ("get", lambda c: [_exp(c)], OFFICE_ONLY),
    ],
    "achievements:experience_step": [("post", lambda c: [_exp(c, "draft"), "submit"], DRAFT_A_POST)],
    "achievements:promotion_add": [("post", lambda c: [_exp(c)], OFFICE_ONLY_POST)],
    "achievements:attachment_upload": [("post", lambda c: [_exp(c, "draft")], DRAFT_A_POST)],
    "achievements:promotion_remove": [("post", lambda c: [_promotion(c)], OFFICE_ONLY_POST)],
    "achievements:promotion_scan": [("get", lambda c: [_promotion(c)], ALL_OK)],
    "achievements:attachment_download": [("get", lambda c: [_exp_attachment(c)], DRAFT_A_READ)],
    "achievements:attachment_remove": [
        ("post", lambda c: [_exp_attachment(c)], DRAFT_A_POST | {"head_a": 403})
    ],
    "achievements:pilot_list": [("get", lambda c: [], ALL_OK)],
    "achievements:pilot_create": [("get", lambda c: [], OFFICE_ONLY)],
    "achievements:pilot_detail": [("get", lambda c: [_pilot(c)], ALL_OK)],
    "achievements:pilot_edit": [("get", lambda c: [_pilot(c)], OFFICE_ONLY)],
    "achievements:pilot_step": [("post", lambda c: [_pilot(c)], OFFICE_ONLY_POST)],
    "achievements:pilot_document": [
        ("get", lambda c: [_pilot_step(c)], dict.fromkeys(ROLES[1:], 404) | {"anon": 302})
    ],
    "achievements:honor_list": [("get", lambda c: [], ALL_OK)],
    "achievements:honor_create": [("get", lambda c: [], OFFICE_ONLY)],
    "achievements:honor_evidence": [("get", lambda c: [_honor(c)], ALL_OK)],
    "achievements:honor_remove": [("post", lambda c: [_honor(c)], OFFICE_ONLY_POST)],
    # The public showcase: anyone, signed in or not; an unpublished experience is a 404 for all.
    "showcase:list": [("get", lambda c: [], dict.fromkeys(ROLES, 200))],
    "showcase:detail": [
        ("get", lambda c: [_exp(c, "published")], dict.fromkeys(ROLES, 200)),
        ("get", lambda c: [_exp(c)], dict.fromkeys(ROLES, 404)),
        ("get", lambda c: [_exp(c, "draft")], dict.fromkeys(ROLES, 404)),
    ],
    # The dashboard shows the whole city: unit members are refused outright.
    "bulletins:dashboard": [("get", lambda c: [], CITY_VIEW)],
    # Quarterly bulletins: issued ones for every role, drafts for the office only (404 for the rest).
    "bulletins:list": [("get", lambda c: [], ALL_OK)],
    "bulletins:create": [("post", lambda c: [], OFFICE_ONLY_POST)],
    "bulletins:detail": [
        ("get", lambda c: [_bulletin_draft(c)], BULLETIN_DRAFT),
        ("get", lambda c: [_bulletin_issued(c)], ALL_OK),
        ("get", lambda c: [999999], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    "bulletins:section_edit": [
        ("get", lambda c: [_bulletin_draft(c), "overall"], BULLETIN_DRAFT),
        ("get", lambda c: [_bulletin_issued(c), "overall"], OFFICE_ONLY | {"office": 302}),
    ],
    "bulletins:section_restore": [("post", lambda c: [_bulletin_draft(c), "overall"], BULLETIN_DRAFT_POST)],
    "bulletins:issue": [
        ("post", lambda c: [_bulletin_draft(c)], BULLETIN_DRAFT_POST),
        ("post", lambda c: [_bulletin_issued(c)], OFFICE_ONLY_POST),
    ],
    "bulletins:correct": [("post", lambda c: [_bulletin_issued(c)], OFFICE_ONLY_POST)],
    "bulletins:download": [
        ("get", lambda c: [_bulletin_issued(c), "docx"], ALL_OK),
        ("get", lambda c: [_bulletin_draft(c), "docx"], BULLETIN_DRAFT),
    ],
    # Press-conference fact sheets: the office drafts and edits, city leaders read; an empty form is a 400.
    "bulletins:factsheet_list": [("get", lambda c: [], FACTSHEET_READ)],
    "bulletins:factsheet_create": [("post", lambda c: [], FACTSHEET_POST | {"office": 400})],
    "bulletins:factsheet_detail": [
        ("get", lambda c: [_factsheet(c)], FACTSHEET_READ),
        ("get", lambda c: [999999], FACTSHEET_READ | {"office": 404, "leader": 404}),
    ],
    "bulletins:factsheet_wording": [("post", lambda c: [_factsheet(c)], FACTSHEET_POST)],
    "bulletins:factsheet_section_edit": [
        ("get", lambda c: [_factsheet(c), "intro"], OFFICE_ONLY),
        ("post", lambda c: [_factsheet(c), "intro"], OFFICE_ONLY_POST | {"office": 400}),
    ],
    "bulletins:factsheet_section_restore": [("post", lambda c: [_factsheet(c), "intro"], FACTSHEET_POST)],
    "bulletins:factsheet_download": [("get", lambda c: [_factsheet(c), "docx"], FACTSHEET_READ)],
    # Annual assessment: the ranking is the city's; a unit's members see only their own unit's sheet.
    "assessment:index": [("get", lambda c: [], ALL_OK)],
    "assessment:scheme_detail": [
        ("get", lambda c: [_assessment_scheme(c)], ALL_OK),
        (
            "get",
            lambda c: [_assessment_draft_scheme(c)],
            dict.fromkeys(ROLES[1:], 404) | {"office": 200, "anon": 302},
        ),
    ],
    "assessment:run_compute": [("post", lambda c: [_assessment_scheme(c)], OFFICE_ONLY_POST)],
    "assessment:manual_scores": [("get", lambda c: [_assessment_scheme(c)], OFFICE_ONLY)],
    "assessment:manual_void": [("post", lambda c: [_assessment_manual(c)], OFFICE_ONLY_POST)],
    "assessment:run_detail": [("get", lambda c: [_assessment_run(c)], CITY_ONLY)],
    "assessment:run_finalize": [("post", lambda c: [_assessment_run(c)], OFFICE_ONLY_POST)],
    "assessment:run_export": [("get", lambda c: [_assessment_run(c)], CITY_VIEW)],
    "assessment:objection_list": [("get", lambda c: [_assessment_run(c)], CITY_VIEW)],
    "assessment:notice_issue": [("post", lambda c: [_assessment_final(c)], OFFICE_ONLY_POST)],
    "assessment:notice_download": [
        ("get", lambda c: [_assessment_noticed(c), "docx"], ALL_OK),
        ("get", lambda c: [_assessment_run(c), "docx"], dict.fromkeys(ROLES[1:], 404) | {"anon": 302}),
    ],
    "assessment:sheet": [
        ("get", lambda c: [_assessment_run(c), c.units["a"].pk], ALL_OK | {"liaison_b": 404}),
        ("get", lambda c: [_assessment_run(c), c.units["b"].pk], ALL_OK | {"liaison_a": 404, "head_a": 404}),
    ],
    "assessment:objection_file": [
        (
            "post",
            lambda c: [_assessment_final(c), c.units["a"].pk],
            dict.fromkeys(ROLES, 302) | {"liaison_b": 404},
        )
    ],
    "assessment:objection_answer": [
        (
            "get",
            lambda c: [_assessment_objection(c)],
            dict.fromkeys(ROLES[1:], 403) | {"office": 200, "liaison_b": 404, "anon": 302},
        )
    ],
    # Monthly standings (月度晾晒): a computed one is the office's alone (404 for others, as if missing);
    # a published one's table is everyone's, a unit's explained line its own members' and the city's.
    "assessment:standing_index": [("get", lambda c: [], ALL_OK)],
    "assessment:standing_compute": [("post", lambda c: [], OFFICE_ONLY_POST)],
    "assessment:standing_detail": [
        ("get", lambda c: [_standing(c)], dict.fromkeys(ROLES[1:], 404) | {"office": 200, "anon": 302}),
        ("get", lambda c: [_standing_published(c)], ALL_OK),
    ],
    "assessment:standing_unit": [
        ("get", lambda c: [_standing_published(c), c.units["a"].pk], ALL_OK | {"liaison_b": 404}),
        (
            "get",
            lambda c: [_standing_published(c), c.units["b"].pk],
            ALL_OK | {"liaison_a": 404, "head_a": 404},
        ),
        (
            "get",
            lambda c: [_standing(c), c.units["a"].pk],
            dict.fromkeys(ROLES[1:], 404) | {"office": 200, "anon": 302},
        ),
    ],
    "assessment:standing_export": [
        ("get", lambda c: [_standing(c)], dict.fromkeys(ROLES[1:], 404) | {"office": 200, "anon": 302}),
        ("get", lambda c: [_standing_published(c)], ALL_OK),
    ],
    "assessment:standing_publish": [
        ("post", lambda c: [_standing(c)], dict.fromkeys(ROLES[1:], 404) | {"office": 302, "anon": 302}),
        ("post", lambda c: [_standing_published(c)], OFFICE_ONLY_POST),
    ],
    "assessment:standing_showcase": [("post", lambda c: [_standing_published(c)], OFFICE_ONLY_POST)],
    # The security log: read-only, for the audit administrator alone (security.access.can_read_security_log).
    "security:event_list": [
        ("get", lambda c: [], AUDITADMIN_ONLY),
        ("post", lambda c: [], dict.fromkeys(ROLES, 405) | {"anon": 302}),
    ],
    "security:event_export": [("get", lambda c: [], AUDITADMIN_ONLY)],
    "notifications:list": [("get", lambda c: [], ALL_OK)],
    "notifications:open": [
        ("post", lambda c: [_notice(c)], dict.fromkeys(ROLES[1:], 404) | {"liaison_a": 302, "anon": 302}),
        ("get", lambda c: [_notice(c)], dict.fromkeys(ROLES[1:], 405) | {"anon": 302}),
    ],
    "notifications:read_all": [("post", lambda c: [], dict.fromkeys(ROLES, 302))],
    "notifications:settings": [("get", lambda c: [], ALL_OK)],
    # The JSON API: the same gates as the pages; 401 (not a login redirect) without a session.
    "api:list_items": [("get", lambda c: [], API_OK)],
    "api:list_plans": [("get", lambda c: [], API_OK)],
    "api:get_item": [
        ("get", lambda c: [c.items["a"].pk], API_ITEM_A),
        ("get", lambda c: [c.items["b"].pk], API_ITEM_B),
        ("get", lambda c: [c.items["c"].pk], API_ITEM_C),
    ],
    "api:list_periods": [("get", lambda c: [], API_OK)],
    "api:list_reports": [("get", lambda c: [], API_OK)],
    "api:get_report": [
        ("get", lambda c: [_report(c, "a")], API_ITEM_A),
        ("get", lambda c: [_report(c, "b")], API_ITEM_B),
        ("get", lambda c: [_report(c, "c")], API_ITEM_C),
    ],
    "api:openapi-json": [("get", lambda c: [], ALL_OK)],
    "api:openapi-view": [("get", lambda c: [], ALL_OK)],
    "api:api-root": [
        ("get", lambda c: [], dict.fromkeys(ROLES[1:], 404) | {"anon": 302})
    ],  # reverse-only root
}

# The configuration screens (Django admin under /manage/) are the office's alone.
# 三权分立 under 配置管理: each screen for the roles it serves (403 for the others, 302 to sign in).
_NONE = dict.fromkeys(ROLES[1:], 403) | {"anon": 302}
ADMIN_SCREENS = {
    "/manage/": _NONE | {"office": 200, "sysadmin": 200, "secadmin": 200, "auditadmin": 200},
    "/manage/org/unit/": _NONE | {"sysadmin": 200},
    "/manage/org/leader/": _NONE | {"sysadmin": 200},
    "/manage/org/user/": _NONE | {"sysadmin": 200, "secadmin": 200},  # the secadmin reads it, to unlock
    "/manage/org/user/add/": _NONE | {"sysadmin": 200},
    "/manage/ledger/plan/": _NONE | {"office": 200},
    "/manage/assessment/scheme/": _NONE | {"office": 200},
    "/manage/documents/documenttemplate/": _NONE | {"office": 200},
    "/manage/matters/party/": _NONE | {"office": 200},
    "/manage/notifications/delivery/": _NONE | {"office": 200, "sysadmin": 200},
    "/manage/core/auditentry/": _NONE | {"auditadmin": 200},
}
ADMIN_URLS = list(ADMIN_SCREENS)
ADMINS = {"sysadmin", "secadmin", "auditadmin"}
# What a partner's reader (两办两研) opens among them, each row's own expectation saying how.
PARTNER_PAGES = {
    "information:piece_list", "information:piece_detail", "information:photo_download",
    "information:issue_list", "information:issue_detail", "information:issue_download",
    "information:use_list", "information:use_record", "information:use_withdraw",
    "bulletins:list", "bulletins:detail", "bulletins:download",
    "api:list_pieces", "api:get_piece", "api:list_periodical_issues", "api:get_periodical_issue",
    "api:list_partner_uses",
}  # fmt: skip
# The business sections: the three administrators are refused them all (accounts.policy).
BUSINESS = {
    "ledger", "dispatch", "supervision", "matters", "bulletins", "assessment", "achievements", "information", "api",
}  # fmt: skip


def _expected(name: str, expect: dict[str, int], role: str) -> int:
    if role in ADMINS and name.split(":")[0] in BUSINESS:
        return 403
    if role == "partner" and name.split(":")[0] in BUSINESS and name not in PARTNER_PAGES:
        return 403  # a reader of 两办两研 opens the published information alone (accounts.policy)
    return expect[role]


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "manage":
                continue
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def test_every_url_is_in_the_matrix():
    missing = _names(get_resolver()) - set(MATRIX)
    assert not missing, f"URLs without access rules in the permission matrix: {sorted(missing)}"


def _cases():
    for name, rows in MATRIX.items():
        for i, (method, _args, _expect) in enumerate(rows):
            for role in ROLES:
                yield pytest.param(name, i, role, id=f"{name}-{i}-{method}-{role}")


@pytest.mark.parametrize(("name", "row", "role"), list(_cases()))
def test_permission_matrix(client, city, name, row, role):
    from django.urls import reverse

    method, args, expect = MATRIX[name][row]
    if role != "anon":
        client.force_login(city.users[role])
    url = reverse(name, args=args(city))
    response = getattr(client, method)(url)
    assert response.status_code == _expected(name, expect, role), f"{role} {method.upper()} {url}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(ADMIN_SCREENS))
def test_each_configuration_screen_serves_its_roles_only(client, city, role, url):
    if role != "anon":
        client.force_login(city.users[role])
    assert client.get(url).status_code == ADMIN_SCREENS[url][role], f"{role} {url}"
