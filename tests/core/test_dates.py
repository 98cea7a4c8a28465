"""Date fields read 年-月-日 whatever the browser's language, and what people type in China."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from gandang.core import dates
from gandang.core.forms import DateField, DateInput


@pytest.mark.parametrize(
    "text",
    [
        "2023-12-05",
        "2023-12-5",
        "2023/12/5",
        "2023/12/05",
        "2023.12.5",
        "2023年12月5日",
        "2023年12月5号",
        "2023 年 12 月 5 日",
        " 2023-12-05 ",
        "20231205",
        "２０２３－１２－０５",  # full-width, as a Chinese input method types it
        "２０２３年１２月５日",
    ],
)
def test_each_accepted_way_of_writing_a_date(text):
    assert dates.parse_date(text) == date(2023, 12, 5)
    assert dates.normalize(text) == "2023-12-05"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "12/05/2023",
            "日期格式不对，请按“年-月-日”填写，如 2023-12-05",
        ),  # mm/dd/yyyy, as an English browser shows
        ("2023-12", "日期格式不对，请按“年-月-日”填写，如 2023-12-05"),
        ("2023-12/05", "日期格式不对，请按“年-月-日”填写，如 2023-12-05"),  # mixed separators
        ("明天", "日期格式不对，请按“年-月-日”填写，如 2023-12-05"),
        ("", "日期格式不对，请按“年-月-日”填写，如 2023-12-05"),
        ("2023-02-30", "没有2023年2月30日这一天"),
        ("2023-13-01", "没有2023年13月1日这一天"),
        ("0203-12-05", "年份应在1900年到2199年之间"),
        ("9999-12-05", "年份应在1900年到2199年之间"),
    ],
)
def test_a_bad_date_says_what_is_wrong_in_chinese(text, message):
    with translation.override("zh-hans"), pytest.raises(dates.DateFormatError) as exc:
        dates.parse_date(text)
    assert str(exc.value) == message
    assert dates.normalize(text) == text  # shown back as typed, with the message


class _Form(forms.Form):
    on = DateField(label="日期")
    until = DateField(label="截止", required=False)


def test_the_field_cleans_every_format_and_explains_a_bad_one():
    for text in ("2023/12/5", "2023.12.5", "2023年12月5日"):
        form = _Form({"on": text})
        assert form.is_valid(), form.errors
        assert form.cleaned_data == {"on": date(2023, 12, 5), "until": None}
    with translation.override("zh-hans"):
        form = _Form({"on": "2023-02-29"})
        assert not form.is_valid()
        assert form.errors["on"] == ["没有2023年2月29日这一天"]
        assert 'value="2023-02-29"' in str(form["on"])  # what was typed is kept
        assert _Form({"on": ""}).errors["on"] == ["这个字段是必填项。"]


def test_the_error_follows_the_language():
    with translation.override("en"):
        assert _Form({"on": "2023-02-30"}).errors["on"] == ["There is no such date: 2023-2-30"]
        assert "yyyy-mm-dd" in _Form({"on": "12/05/2023"}).errors["on"][0].lower()


def test_the_widget_is_text_in_chinese_order_with_a_picker_hook():
    with translation.override("zh-hans"):
        html = DateInput().render("on", date(2023, 12, 5), attrs={"id": "id_on"})
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="2023-12-05"' in html
    assert 'placeholder="年-月-日"' in html and 'inputmode="numeric"' in html
    assert "data-date" in html and 'data-pick-label="选择日期"' in html
    assert DateInput().value_from_datadict({"on": "2023年12月5日"}, {}, "on") == "2023-12-05"


def test_a_model_form_date_field_takes_the_chinese_formats(city, login):
    """The ledger's item form: start and due dates typed as 2023/1/5 and 2023年12月31日."""
    from gandang.ledger.forms import ItemForm

    form = ItemForm(instance=city.items["a"])
    assert isinstance(form.fields["start_date"], DateField)
    assert isinstance(form.fields["due_date"].widget, DateInput)


def test_pages_accept_dates_typed_the_chinese_way(city, login, settings):
    """The office extends a listing's deadline typing 2023年12月20日: the page takes it."""
    from gandang.supervision import services

    settings.GANDANG_TODAY = "2023-11-06"
    listing = services.listing_create(
        actor=city.users["office"],
        item=city.items["a"],
        data=services.ListingInput(
            level="office", reason="进展缓慢", requirements="按期整改", deadline=date(2023, 12, 6)
        ),
        today=date(2023, 11, 6),
    )
    c = login(city.users["office"])
    page = c.get(listing.get_absolute_url()).content.decode()
    assert 'name="deadline"' in page and 'placeholder="年-月-日"' in page and 'type="date"' not in page
    c.post(
        reverse("supervision:listing_extend", args=[listing.pk]),
        {"deadline": "2023年12月20日", "reason": "需协调"},
    )
    listing.refresh_from_db()
    assert listing.deadline == date(2023, 12, 20)


def test_the_ledger_filters_by_dates_typed_the_chinese_way(city, login):
    c = login(city.users["office"])
    page = c.get("/ledger/", {"due_from": "2023年12月1日", "due_to": "2023/12/31"}).content.decode()
    assert "共 1 项" in page and city.items["a"].title in page and city.items["b"].title not in page
    assert 'value="2023-12-01"' in page and 'value="2023-12-31"' in page  # shown back in 年-月-日
