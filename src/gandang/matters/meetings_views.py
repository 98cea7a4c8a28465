"""Pages of reform-committee meetings: the list, a meeting with its agenda (the earlier meetings' open
decisions first), observers and their comments, minutes and decisions; a topic with its materials; the
office's forms. Writes go through `meeting_services`; what each role may read, through `meeting_access`."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gandang.core import attachments, audit, clock
from gandang.core import flow as engine
from gandang.core.paging import deferred_page
from gandang.core.params import int_param
from gandang.core.views import attempt, run_service
from gandang.documents.pdf import render_pdf
from gandang.documents.word import render_docx
from gandang.matters import meeting_flow, meeting_selectors
from gandang.matters import meeting_services as services
from gandang.matters.access import require_office
from gandang.matters.forms import ReasonForm
from gandang.matters.meeting_access import (
    agenda_visible_to,
    get_comment_for_user,
    get_decision_for_user,
    get_material_for_user,
    get_meeting_for_user,
    get_observer_for_user,
    get_topic_for_user,
    meetings_visible_to,
)
from gandang.matters.meeting_forms import (
    AssignForm,
    CommentForm,
    DecisionForm,
    DecisionItemizeForm,
    MeetingForm,
    MinutesForm,
    ObserverForm,
    TopicForm,
)
from gandang.matters.meeting_models import Decision, Meeting, Topic
from gandang.matters.services import Assignment
from gandang.org.types import AuthedHttpRequest


def _errors(request: AuthedHttpRequest, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, str(e))


def meeting_list(request: AuthedHttpRequest) -> HttpResponse:
    """深改委会议: newest first, a page at a time, with the year's decisions carried out and open."""
    qs = meetings_visible_to(request.user).order_by("-number")
    page = deferred_page(qs, request.GET.get("page"), rows=meeting_selectors.meeting_rows)
    year = clock.today().year
    ctx = {
        "page": page,
        "tab": "meetings",
        "query": "",
        "year": year,
        "counts": meeting_selectors.decision_counts(year=year),
    }
    return render(request, "matters/meeting_list.html", ctx)


DECISION_STATES = (
    ("open", gettext_lazy("未落实")),
    ("todo", gettext_lazy("待交办")),
    ("done", gettext_lazy("已落实")),
)


def decision_list(request: AuthedHttpRequest) -> HttpResponse:
    """议定事项: the meetings' decisions of a year, open or carried out, each with its matter or item."""
    year = int_param(request.GET, "year", min_value=2000, max_value=2100) or clock.today().year
    qs = Decision.objects.filter(meeting__in=meetings_visible_to(request.user), meeting__held_on__year=year)
    state = request.GET.get("state", "")
    if state == "open":
        qs = qs.filter(meeting_selectors.open_q())
    elif state == "todo":
        qs = qs.filter(meeting_selectors.undispatched_q())
    elif state == "done":
        qs = qs.exclude(meeting_selectors.open_q())
    else:
        state = ""
    order = qs.order_by("-meeting__number", "seq")
    page = deferred_page(order, request.GET.get("page"), rows=meeting_selectors.decision_rows)
    ctx = {
        "page": page,
        "year": year,
        "state": state,
        "states": DECISION_STATES,
        "tab": "meetings",
        "today": clock.today(),
        "query": urlencode({k: v for k, v in {"year": year, "state": state}.items() if v}),
    }
    return render(request, "matters/decision_list.html", ctx)


def _meeting_ctx(request: AuthedHttpRequest, meeting: Meeting, **forms) -> dict:
    user = request.user
    parts = meeting_selectors.meeting_parts(meeting, agenda_visible_to(user))
    office = user.is_office
    preparing = meeting.state == Meeting.State.PREPARING
    held = meeting.state == Meeting.State.HELD
    for o in parts["observers"]:
        o.step_actions = engine.actions_for(user, o, meeting_flow.OBSERVER)
    for t in parts["proposals"]:
        t.step_actions = engine.actions_for(user, t, meeting_flow.TOPIC)
    ctx = {
        "meeting": meeting,
        **parts,
        "office": office,
        "preparing": preparing,
        "open_before": list(meeting_selectors.open_decisions_before(meeting)) if preparing else [],
        "observer_counts": meeting_selectors.observer_counts(parts["observers"]),
        "meeting_actions": engine.actions_for(user, meeting, meeting_flow.MEETING),
        "can_propose": preparing and (office or (user.is_unit_member and user.unit_id)),
        "topic_form": forms.get("topic_form") or TopicForm(),
        "today": clock.today(),
    }
    if meeting.doc_content:
        # The minutes as issued: the frozen document's blocks, headings numbered as printed.
        ctx["minutes_doc"] = services.minutes_as_document(meeting).numbered()
    if office:
        ctx["observer_form"] = forms.get("observer_form") or ObserverForm()
        ctx["comment_form"] = CommentForm()
        if not preparing:
            ctx["decision_form"] = forms.get("decision_form") or DecisionForm(prefix="decision")
        if held:
            ctx["minutes_form"] = forms.get("minutes_form") or MinutesForm(
                initial={"minutes": meeting.minutes, "version": meeting.version}
            )
        ctx["history"] = audit.labelled(audit.history_for(meeting)[:50])
    return ctx


def meeting_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "matters/meeting_detail.html", _meeting_ctx(request, meeting))


def _meeting_input(d: dict) -> services.MeetingInput:
    return services.MeetingInput(
        number=d["number"],
        title=d.get("title") or "",
        held_on=d["held_on"],
        place=d.get("place") or "",
        chair=d.get("chair"),
        attendees=d.get("attendees") or "",
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthedHttpRequest) -> HttpResponse:
    require_office(request.user)
    last = Meeting.objects.order_by("-number").values_list("number", flat=True).first() or 0
    form = MeetingForm(request.POST or None, initial={"number": last + 1, "held_on": clock.today()})
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.meeting_create(actor=request.user, data=_meeting_input(d)),
            success=_("会议已创建，可提报议题、邀请列席人员"),
        )
        if done:
            return done
        status = 400
    return render(request, "matters/meeting_form.html", {"form": form, "meeting": None}, status=status)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    require_office(request.user)
    initial = {
        "number": meeting.number,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "place": meeting.place,
        "chair": meeting.chair_id,
        "attendees": meeting.attendees,
        "version": meeting.version,
    }
    form = MeetingForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.meeting_update(
                actor=request.user, meeting=meeting, data=_meeting_input(d), version=d.get("version")
            ),
            success=_("会议信息已保存"),
            to=meeting,
        )
        if done:
            return done
        status = 400
    return render(request, "matters/meeting_form.html", {"form": form, "meeting": meeting}, status=status)


@require_POST
def meeting_step(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    if action != "hold":
        raise Http404(_("未知的操作"))
    attempt(
        request,
        lambda: services.meeting_hold(actor=request.user, meeting=meeting),
        success=_("已记录会议召开，可记录列席意见、撰写纪要和议定事项"),
    )
    return redirect(meeting)


# ---------------------------------------------------------------- topics


@require_POST
def topic_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    form = TopicForm(request.POST)
    done = run_service(
        request,
        form,
        lambda d: services.topic_propose(
            actor=request.user, meeting=meeting, title=d["title"], summary=d["summary"]
        ),
        success=lambda topic: _("议题已提报，可上传汇报材料") if topic.unit_id else _("议题已列入议程"),
    )
    if done:
        return done
    ctx = _meeting_ctx(request, meeting, topic_form=form)
    return render(request, "matters/meeting_detail.html", ctx, status=400)


def _topic_ctx(request: AuthedHttpRequest, topic: Topic, form: TopicForm | None = None) -> dict:
    user = request.user
    editable = services.topic_edit_refusal(user, topic) is None
    if editable and form is None:
        form = TopicForm(initial={"title": topic.title, "summary": topic.summary, "version": topic.version})
    return {
        "topic": topic,
        "meeting": topic.meeting,
        "form": form if editable else None,
        "can_edit": editable,
        "actions": engine.actions_for(user, topic, meeting_flow.TOPIC),
        "materials": topic.materials.all(),
        "history": audit.labelled(audit.history_for(topic)[:50]),
    }


@require_http_methods(["GET", "POST"])
def topic_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for_user(request.user, pk)
    if request.method == "GET":
        return render(request, "matters/topic_detail.html", _topic_ctx(request, topic))
    why = services.topic_edit_refusal(request.user, topic)
    if why:
        raise PermissionDenied(why)
    form = TopicForm(request.POST)
    done = run_service(
        request,
        form,
        lambda d: services.topic_update(
            actor=request.user, topic=topic, title=d["title"], summary=d["summary"], version=d.get("version")
        ),
        success=_("议题已保存"),
        to=topic,
    )
    if done:
        return done
    return render(request, "matters/topic_detail.html", _topic_ctx(request, topic, form), status=400)


@require_POST
def topic_step(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    topic = get_topic_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("退回原因不能超过500字"))
        return redirect(topic)
    reason = form.cleaned_data.get("reason", "")
    attempt(
        request,
        lambda: services.topic_step(actor=request.user, topic=topic, action=action, reason=reason),
        success=lambda moved: str(meeting_flow.TOPIC.transitions[action].done) % {"title": topic.title},
    )
    if request.POST.get("next") == "meeting":
        return redirect(topic.meeting.get_absolute_url() + "#agenda")
    return redirect(topic)


@require_POST
def topic_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for_user(request.user, pk)
    require_office(request.user)
    up = request.POST.get("dir") != "down"
    attempt(request, lambda: services.topic_move(actor=request.user, topic=topic, up=up))
    return redirect(topic.meeting.get_absolute_url() + "#agenda")


@require_POST
def material_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    topic = get_topic_for_user(request.user, pk)
    attachments.upload(request, lambda f: services.material_add(actor=request.user, topic=topic, upload=f))
    return redirect(topic.get_absolute_url() + "#materials")


def material_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    return attachments.download(request.user, pk, gate=get_material_for_user)


@require_POST
def material_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    att = get_material_for_user(request.user, pk)
    attempt(
        request, lambda: services.material_remove(actor=request.user, material=att), success=_("附件已删除")
    )
    return redirect(att.topic.get_absolute_url() + "#materials")


# ---------------------------------------------------------------- observers and comments


@require_POST
def observer_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    require_office(request.user)
    form = ObserverForm(request.POST)
    done = run_service(
        request,
        form,
        lambda d: services.observer_add(actor=request.user, meeting=meeting, **d),
        success=_("已邀请列席旁听人员"),
        to=meeting.get_absolute_url() + "#observers",
    )
    if done:
        return done
    ctx = _meeting_ctx(request, meeting, observer_form=form)
    return render(request, "matters/meeting_detail.html", ctx, status=400)


@require_POST
def observer_step(request: AuthedHttpRequest, pk: int, action: str) -> HttpResponse:
    obs = get_observer_for_user(request.user, pk)
    attempt(request, lambda: services.observer_step(actor=request.user, observer=obs, action=action))
    return redirect(obs.meeting.get_absolute_url() + "#observers")


@require_POST
def comment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    obs = get_observer_for_user(request.user, pk)
    require_office(request.user)
    form = CommentForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        attempt(
            request,
            lambda: services.comment_add(actor=request.user, observer=obs, text=form.cleaned_data["text"]),
            success=_("已记录列席意见"),
        )
    return redirect(obs.meeting.get_absolute_url() + "#comments")


@require_http_methods(["GET", "POST"])
def comment_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The office assigns an observer's comment to units: it becomes a tracked matter."""
    comment = get_comment_for_user(request.user, pk)
    require_office(request.user)
    form = AssignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.comment_assign(
                actor=request.user,
                comment=comment,
                assignment=Assignment(unit=d["unit"], deadline=d["deadline"], co_units=list(d["co_units"])),
            ),
            success=lambda matter: _("列席意见已交%(unit)s办理") % {"unit": matter.unit},
            to=comment.meeting.get_absolute_url() + "#comments",
        )
        if done:
            return done
        status = 400
    return render(request, "matters/comment_assign.html", {"comment": comment, "form": form}, status=status)


# ---------------------------------------------------------------- minutes


@require_POST
def minutes_save(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    require_office(request.user)
    form = MinutesForm(request.POST)
    done = run_service(
        request,
        form,
        lambda d: services.minutes_save(
            actor=request.user, meeting=meeting, text=d["minutes"], version=d["version"]
        ),
        success=_("会议纪要已保存"),
        to=lambda saved: saved.get_absolute_url() + "#minutes",
    )
    if done:
        return done
    ctx = _meeting_ctx(request, meeting, minutes_form=form)
    return render(request, "matters/meeting_detail.html", ctx, status=400)


@require_POST
def minutes_issue(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    attempt(
        request,
        lambda: services.minutes_issue(actor=request.user, meeting=meeting),
        success=lambda issued: _("会议纪要已印发（%(number)s）") % {"number": issued.doc_number},
    )
    return redirect(meeting.get_absolute_url() + "#minutes")


FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def minutes_download(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The minutes as issued, in Word or PDF, for everyone who reads the meeting; a draft, for the office."""
    meeting = get_meeting_for_user(request.user, pk)
    if fmt not in FORMATS:
        raise Http404(_("不支持的格式"))
    if not meeting.doc_content and not request.user.is_office:
        raise Http404(_("会议纪要尚未印发"))
    doc = services.minutes_as_document(meeting)
    data = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = f"{meeting.doc_number or _('草稿')}{meeting.title}纪要.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


# ---------------------------------------------------------------- decisions


@require_POST
def decision_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    require_office(request.user)
    form = DecisionForm(request.POST, prefix="decision")
    done = run_service(
        request,
        form,
        lambda d: services.decision_add(
            actor=request.user,
            meeting=meeting,
            data=services.DecisionInput(
                text=d["text"], unit=d["unit"], deadline=d["deadline"], co_units=list(d["co_units"])
            ),
        ),
        success=_("已记录议定事项"),
        to=meeting.get_absolute_url() + "#decisions",
    )
    if done:
        return done
    ctx = _meeting_ctx(request, meeting, decision_form=form)
    return render(request, "matters/meeting_detail.html", ctx, status=400)


@require_POST
def decision_matter(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request.user, pk)
    require_office(request.user)
    attempt(
        request,
        lambda: services.decision_to_matter(actor=request.user, decision=decision),
        success=lambda matter: _("议定事项已转为督办事项，交%(unit)s办理") % {"unit": matter.unit},
    )
    return redirect(decision)


@require_http_methods(["GET", "POST"])
def decision_itemize(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """立项: the office picks the plan, code and title of the ledger item the decision becomes."""
    decision = get_decision_for_user(request.user, pk)
    require_office(request.user)
    form = DecisionItemizeForm(request.POST or None, initial={"title": decision.text[:300]})
    status = 200
    if request.method == "POST":
        done = run_service(
            request,
            form,
            lambda d: services.decision_itemize(actor=request.user, decision=decision, **d),
            success=_("议定事项已立项，转入改革台账并纳入本月调度"),
        )
        if done:
            return done
        status = 400
    return render(
        request, "matters/decision_itemize.html", {"decision": decision, "form": form}, status=status
    )
