"""The pages' one way to save through a service (core.views): a refusal comes back on the form, whose
typed text stays for the 400 page; a success says so and leads on; a button's step says either."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory

from gandang.core.errors import ServiceError
from gandang.core.views import attempt, run_service, save_or_submit


class NoteForm(forms.Form):
    text = forms.CharField(max_length=20)


def _post(data: dict):
    request = RequestFactory().post("/", data)
    request._messages = CookieStorage(request)
    return request


def _said(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def _refuse(_d):
    raise ServiceError("已被他人修改")


def test_a_refused_save_puts_the_reason_on_the_form_and_keeps_the_typed_text():
    request = _post({"text": "我写的"})
    form = NoteForm(request.POST)
    assert run_service(request, form, _refuse, success="已保存", to="/x/") is None
    assert form.non_field_errors() == ["已被他人修改"]
    assert form["text"].value() == "我写的"
    assert _said(request) == []


def test_an_invalid_form_is_not_sent_to_the_service():
    request = _post({"text": "长" * 21})
    called = []
    assert run_service(request, NoteForm(request.POST), called.append, success="已保存", to="/x/") is None
    assert called == []


def test_a_save_says_so_and_leads_where_the_result_says():
    request = _post({"text": "我写的"})
    response = run_service(
        request,
        NoteForm(request.POST),
        lambda d: d["text"],
        success=lambda text: f"已保存“{text}”",
        to=lambda text: f"/notes/{len(text)}/",
    )
    assert response is not None and response.status_code == 302 and response["Location"] == "/notes/3/"
    assert _said(request) == ["已保存“我写的”"]


def test_a_buttons_step_says_its_refusal_or_its_success():
    request = _post({})
    assert not attempt(request, lambda: _refuse({}), success="已完成")
    assert attempt(request, lambda: 2, success=lambda n: f"已编入{n}条")
    assert _said(request) == ["已被他人修改", "已编入2条"]


class Note:
    def get_absolute_url(self) -> str:
        return "/note/"


def test_save_and_submit_keeps_the_saved_text_when_the_submission_is_refused():
    request = _post({"text": "我写的", "then": "submit"})
    response = save_or_submit(
        request,
        NoteForm(request.POST),
        lambda d: Note(),
        lambda note: _refuse({}),
        saved="已保存",
        submitted=lambda note: "已提交签发",
        unsubmitted="已保存，但未能提交：%(why)s",
    )
    assert response is not None and response["Location"] == "/note/"
    assert _said(request) == ["已保存，但未能提交：已被他人修改"]
