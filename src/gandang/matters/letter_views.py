"""Pages of an overdue matter's letters: the office issues the 催办函 and the 督办函 (from the matter's page or
the overdue list), and whoever reads the matter downloads them as issued, in Word or PDF."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gandang.core.errors import ServiceError
from gandang.documents.pdf import render_pdf
from gandang.documents.word import render_docx
from gandang.matters import letters
from gandang.matters.access import get_letter_for_user, get_matter_for_user, require_office
from gandang.matters.forms import LetterForm
from gandang.matters.models import MatterLetter
from gandang.org.types import AuthedHttpRequest

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _back(request: AuthedHttpRequest, default: str) -> str:
    """Back to the list the button was on (the overdue list), else the matter."""
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def _issue(request: AuthedHttpRequest, pk: int, kind: str) -> HttpResponse:
    matter = get_matter_for_user(request.user, pk)
    require_office(request.user)
    back = _back(request, matter.get_absolute_url() + "#letters")
    form = LetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect(back)
    issue = letters.matter_urge if kind == MatterLetter.Kind.URGE else letters.matter_escalate
    try:
        letter = issue(actor=request.user, matter=matter, reply_deadline=form.cleaned_data.get("deadline"))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已发%(kind)s%(number)s，并通知%(unit)s")
            % {"kind": letter.get_kind_display(), "number": letter.doc_number, "unit": matter.unit},
        )
    return redirect(back)


@require_POST
def matter_urge(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The office issues the numbered 催办函 for an overdue matter."""
    return _issue(request, pk, MatterLetter.Kind.URGE)


@require_POST
def matter_escalate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The office issues the 督办函 once the 催办函's deadline has passed unanswered."""
    return _issue(request, pk, MatterLetter.Kind.SUPERVISE)


def letter_download(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The letter as issued, in Word or PDF, for whoever reads its matter."""
    letter = get_letter_for_user(request.user, pk)
    if fmt not in FORMATS:
        raise Http404(_("不支持的格式"))
    doc = letters.letter_as_document(letter)
    data = render_docx(doc) if fmt == "docx" else render_pdf(doc)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    name = f"{letter.doc_number}{letter.get_kind_display()}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
