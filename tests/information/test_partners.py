"""The partners of the "两办两研" mechanism: their readers see the published information alone and record
where their unit used a piece (采用登记); each use counts as a promotion of the piece's unit."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from gandang.core import audit, clock
from gandang.core.errors import ServiceError
from gandang.information import partner_services as ps
from gandang.information.models import PartnerUse
from gandang.org.models import Unit, User
from tests.information.conftest import TODAY, adopted, drafted, issued, signed

pytestmark = pytest.mark.django_db


def _record(city, piece, publication="市委信息", *, user="partner", on=TODAY):
    return ps.use_record(actor=city.users[user], piece=piece, publication=publication, used_on=on)


def _other_partner(city, username="partner_yjs", unit_name="市政府研究室"):
    unit = Unit.objects.create(name=unit_name, kind=Unit.Kind.PARTNER)
    return User.objects.create_user(username, password="x", role="partner", unit=unit)


def test_a_partner_reads_adopted_pieces_and_issued_issues_only(client, city):
    issue = issued(city, n=1)
    kept = adopted(city, title="已采用待编")
    pending = signed(city, title="待审核的信息")
    draft = drafted(city, title="单位草稿")
    client.force_login(city.users["partner"])
    page = client.get(reverse("information:piece_list")).content.decode()
    assert "信息0" in page and "已采用待编" in page
    assert "待审核的信息" not in page and "单位草稿" not in page
    assert client.get(pending.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    detail = client.get(kept.get_absolute_url()).content.decode()
    assert "登记采用" in detail and "流转记录" not in detail and "变更记录" not in detail
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert client.get(reverse("information:issue_download", args=[issue.pk, "docx"])).status_code == 200
    api = client.get(reverse("api:list_pieces")).json()
    assert {p["title"] for p in api["pieces"]} == {"信息0", "已采用待编"}


def test_a_partners_navigation_shows_only_its_sections_and_the_rest_is_refused(client, city):
    client.force_login(city.users["partner"])
    r = client.get(reverse("information:issue_list"))
    html = r.content.decode()
    assert reverse("information:issue_list") in html and reverse("bulletins:list") in html
    for other in ("ledger:item_list", "dispatch:period_list", "matters:matter_list", "assessment:index"):
        assert reverse(other) not in html
    assert reverse("information:counts") not in html
    for other in ("ledger:item_list", "dispatch:period_list", "information:counts", "bulletins:dashboard"):
        assert client.get(reverse(other)).status_code == 403, other
    assert client.get(reverse("api:list_items")).status_code == 403
    assert client.get(reverse("home")).url == reverse("information:issue_list")


def test_a_partner_records_a_use_and_the_pieces_unit_is_told(client, city):
    piece = adopted(city)
    client.force_login(city.users["partner"])
    r = client.post(
        reverse("information:use_record", args=[piece.pk]),
        {"publication": "《市委信息》", "used_on": "2023-11-06", "note": "第12期"},
    )
    use = PartnerUse.objects.get()
    assert r.status_code == 302 and r.url == piece.get_absolute_url() + "#uses"
    assert (use.unit, use.publication, use.used_on, use.created_by) == (
        city.units["p"],
        "市委信息",
        date(2023, 11, 6),
        city.users["partner"],
    )
    assert audit.history_for(use).filter(action="create").exists()
    told = city.users["liaison_a"].notifications.get(key=f"information:use:{use.pk}")
    assert "市委办公室《市委信息》采用" in told.title
    office_page = client.get(piece.get_absolute_url())  # the partner's own view lists it too
    assert "《市委信息》" in office_page.content.decode()


def test_a_refused_use_keeps_what_was_typed_and_says_why(client, city):
    piece = adopted(city)
    _record(city, piece)
    client.force_login(city.users["partner"])
    url = reverse("information:use_record", args=[piece.pk])
    r = client.post(url, {"publication": "市委信息", "used_on": "2023-11-06", "note": "再记一次的备注"})
    html = r.content.decode()
    assert (
        r.status_code == 400 and "本单位已登记该信息被《市委信息》采用" in html and "再记一次的备注" in html
    )
    r = client.post(url, {"publication": "调研参考", "used_on": "2099-01-01", "note": ""})
    assert r.status_code == 400 and "采用日期不能晚于今天" in r.content.decode()
    r = client.post(url, {"publication": "", "used_on": "不是日期"})
    assert r.status_code == 400
    assert PartnerUse.objects.count() == 1


def test_other_roles_cannot_record_and_a_pending_piece_cannot_be_used(city):
    piece = adopted(city)
    for role in ("office", "leader", "liaison_a", "head_a", "observer"):
        with pytest.raises(ServiceError):
            _record(city, piece, user=role)
    with pytest.raises(ServiceError, match="已采用"):
        _record(city, signed(city, title="待审"))


def test_the_reader_withdraws_their_own_use_within_a_day_and_not_after(client, city):
    piece = adopted(city)
    use = _record(city, piece)
    client.force_login(city.users["partner"])
    url = reverse("information:use_withdraw", args=[use.pk])
    with clock.pinned(TODAY + timedelta(days=2)):
        assert client.post(url).status_code == 403
    assert client.post(url).status_code == 302
    use.refresh_from_db()
    assert use.is_withdrawn and use.withdrawn_by == city.users["partner"]
    # Withdrawn, it no longer stands in the way of recording it again.
    assert _record(city, piece).pk != use.pk


def test_another_partners_use_is_not_theirs_to_withdraw(client, city):
    piece = adopted(city)
    use = _record(city, piece)
    other = _other_partner(city)
    colleague = User.objects.create_user("partner_2", password="x", role="partner", unit=city.units["p"])
    client.force_login(other)
    assert client.post(reverse("information:use_withdraw", args=[use.pk])).status_code == 404
    client.force_login(colleague)
    assert client.post(reverse("information:use_withdraw", args=[use.pk])).status_code == 403
    use.refresh_from_db()
    assert not use.is_withdrawn


def test_the_office_withdraws_with_a_reason_and_corrects_with_history(client, city):
    piece = adopted(city)
    use = _record(city, piece)
    client.force_login(city.users["office"])
    page = client.get(piece.get_absolute_url()).content.decode()
    assert "《市委信息》" in page and "更正" in page
    client.post(
        reverse("information:use_correct", args=[use.pk]),
        {
            "publication": "市委信息专报",
            "used_on": "2023-11-06",
            "note": "第3期",
            "reason": "刊物名称登记有误",
        },
    )
    use.refresh_from_db()
    assert use.publication == "市委信息专报" and use.note == "第3期"
    assert audit.history_for(use).filter(reason__contains="刊物名称登记有误").exists()
    url = reverse("information:use_withdraw", args=[use.pk])
    client.post(url, {"reason": ""})
    use.refresh_from_db()
    assert not use.is_withdrawn
    client.post(url, {"reason": "未实际采用"})
    use.refresh_from_db()
    assert use.is_withdrawn and use.withdraw_reason == "未实际采用"
    listed = client.get(reverse("information:use_list"), {"withdrawn": "1"}).content.decode()
    assert "市委信息专报" in listed


def test_counts_of_uses_equal_their_lists_once_per_piece_and_publication(client, city):
    one, two = adopted(city, title="甲"), adopted(city, title="乙")
    _record(city, one)
    _record(city, one, "调研参考")
    other = _other_partner(city)
    ps.use_record(actor=other, piece=one, publication="市委信息", used_on=TODAY)  # another partner's own
    gone = _record(city, two)
    ps.use_withdraw(actor=city.users["partner"], use=gone)
    with pytest.raises(ServiceError):
        _record(city, one)  # the same piece in the same publication counts once
    client.force_login(city.users["office"])
    r = client.get(reverse("information:counts"), {"year": 2023})
    row = next(c for c in r.context["rows"] if c.unit == city.units["a"])
    assert row.used == 3 == r.context["total"].used
    listed = client.get(reverse("information:use_list"), {"unit": city.units["a"].pk, "year": 2023})
    assert listed.context["page"].paginator.count == 3
    api = client.get(reverse("api:information_counts"), {"year": 2023}).json()
    assert next(c["used"] for c in api if c["unit_id"] == city.units["a"].pk) == 3
    assert client.get(reverse("api:list_partner_uses"), {"year": 2023}).json()["count"] == 3
    # The partner sees its own unit's uses; the piece's unit sees the uses of its pieces.
    client.force_login(city.users["partner"])
    assert client.get(reverse("information:use_list")).context["page"].paginator.count == 2
    client.force_login(city.users["liaison_a"])
    assert client.get(reverse("information:use_list")).context["page"].paginator.count == 3
    client.force_login(city.users["liaison_b"])
    assert client.get(reverse("information:use_list")).context["page"].paginator.count == 0


def test_uses_score_as_a_rule_of_the_assessment(city):
    from gandang.assessment.records import gather
    from gandang.assessment.rules import IndicatorSpec, score
    from tests.assessment import factories as f

    one, two = adopted(city, title="甲"), adopted(city, title="乙")
    _record(city, one)
    _record(city, two)
    ps.use_withdraw(actor=city.users["partner"], use=_record(city, two, "调研参考"))
    s = f.scheme()
    out = score(
        IndicatorSpec.of(f.indicator(s, "partner_use", 10, {"used": 1.5})), city.units["a"].pk, gather(s)
    )
    assert out.points == Decimal("3.00") and len(out.evidence) == 2
    assert "改革信息被两办两研采用2次（市委办公室2次）" in out.explanation
    none = score(
        IndicatorSpec.of(f.indicator(s, "partner_use", 10, {"used": 1})), city.units["b"].pk, gather(s)
    )
    assert none.points == 0


def test_a_partner_unit_is_never_assessed(city):
    from django.core.exceptions import ValidationError

    from tests.assessment import factories as f

    with pytest.raises(ValidationError):
        f.indicator(f.scheme(), "partner_use", 5, {"used": 1}, kinds=["partner"])


def test_the_partners_pages_speak_english(client, city):
    piece = adopted(city)
    _record(city, piece)
    with translation.override("en"):
        assert str(User.Role.PARTNER.label) != "协同单位读者"
        assert str(Unit.Kind.PARTNER.label) != "两办两研协同单位"
    for who in ("office", "partner"):
        client.force_login(city.users[who])
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        for url in (piece.get_absolute_url(), reverse("information:use_list")):
            html = client.get(url).content.decode()
            for chinese in ("两办两研采用", "采用刊物", "采用日期", "采用登记", "暂无采用登记", "登记人"):
                assert chinese not in html, (who, url, chinese)


def test_a_partner_unit_is_not_offered_where_units_carry_reforms(city):
    from gandang.achievements.forms import _units as achievement_units
    from gandang.ledger.forms import ItemForm
    from gandang.matters.forms import _units as matter_units

    partner = city.units["p"]
    form = ItemForm()
    assert partner not in form.fields["lead_unit"].queryset
    assert partner not in form.fields["co_units"].queryset
    assert partner not in achievement_units() and partner not in matter_units()


def test_the_monthly_standing_reads_the_uses_of_its_month(city):
    from gandang.assessment.records import gather_period
    from tests.assessment import factories as f

    piece = adopted(city)
    _record(city, piece)
    with clock.pinned(date(2023, 12, 2)):
        _record(city, piece, "调研参考", on=date(2023, 12, 2))
    nov = gather_period(f.period(2023, 11))
    assert [u.publication for u in nov.partner_uses[city.units["a"].pk]] == ["市委信息"]


def test_a_partner_reads_an_issued_bulletin_without_links_into_the_ledger(client, city):
    from tests.test_permissions import _bulletin_issued

    pk = _bulletin_issued(city)
    client.force_login(city.users["partner"])
    r = client.get(reverse("bulletins:detail", args=[pk]))
    assert r.status_code == 200 and "/ledger/" not in r.content.decode()
    assert client.get(reverse("bulletins:download", args=[pk, "docx"])).status_code == 200


def test_a_partner_reader_belongs_to_a_partner_unit(city):
    from gandang.accounts.admin import UserEditForm

    def errors(unit):
        data = {
            "username": "p2",
            "role": "partner",
            "unit": unit.pk if unit else "",
            "date_joined": "2023-11-06",
        }
        form = UserEditForm(data=data)
        form.is_valid()
        return " ".join(form.non_field_errors())

    assert "两办两研" in errors(None) and "两办两研" in errors(city.units["a"])
    assert "两办两研" not in errors(city.units["p"])


def test_the_uses_list_opened_from_the_counts_says_whose_uses_it_lists_and_clears(client, city):
    with clock.pinned(date(2023, 10, 9)):
        one = adopted(city, title="甲")
        _record(city, one, "调研参考", on=date(2023, 10, 9))
    _record(city, one)
    client.force_login(city.users["office"])
    counts = client.get(reverse("information:counts"), {"year": 2023}).content.decode()
    link = f"{reverse('information:use_list')}?unit={city.units['a'].pk}&amp;year=2023"
    assert link in counts
    url = reverse("information:use_list")
    r = client.get(url, {"unit": city.units["a"].pk, "year": 2023})
    filtered = r.content.decode().split('id="filtered"')[1].split("</p>")[0]
    assert f"只列出{city.units['a'].name}报送的信息被采用的情况（2023年）" in filtered
    assert f'href="{url}"' in filtered and "清除筛选，查看全部" in filtered
    assert r.context["page"].paginator.count == 2
    r = client.get(url, {"unit": city.units["a"].pk, "year": 2023, "month": 10})
    assert "（2023年10月）" in r.content.decode() and r.context["page"].paginator.count == 1
    assert "month=10" in r.context["query"]
    # Unfiltered, nothing claims a filter; in English the line reads in English.
    assert 'id="filtered"' not in client.get(url).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(url, {"unit": city.units["a"].pk, "year": 2023, "month": 10}).content.decode()
    assert f"Only uses of pieces filed by {city.units['a'].name} (10/2023)" in html
    assert "Clear the filter and see all" in html and "只列出" not in html
