"""The one gate to consultations, suggestions and reply letters: what each role reads.

City-wide roles (office, leaders, observers) read everything. A unit reads the suggestions assigned to it
(through their matters, as `matters_visible_to` scopes them), the sessions they were heard at, and their
reply letters. Anything else is the same 404 as a missing record.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.matters.access import matters_visible_to
from gandang.matters.models import Consultation, ReplyLetter, Suggestion
from gandang.org.models import User


def suggestions_visible_to(user: User) -> QuerySet[Suggestion]:
    """All suggestions for city-wide roles; a unit's members those whose matter it leads or co-operates on."""
    qs = Suggestion.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_unit_member and user.unit_id:
        return qs.filter(matter__in=matters_visible_to(user))
    return qs.none()


def consultations_visible_to(user: User) -> QuerySet[Consultation]:
    """All sessions for city-wide roles; a unit's members the sessions of the suggestions they see."""
    qs = Consultation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    return qs.filter(pk__in=suggestions_visible_to(user).values("consultation_id"))


def get_consultation_for_user(user: User, pk: int) -> Consultation:
    try:
        return consultations_visible_to(user).get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404(_("没有找到该协商座谈会")) from None


def get_suggestion_for_user(user: User, pk: int) -> Suggestion:
    try:
        return (
            suggestions_visible_to(user)
            .select_related("consultation", "party", "matter__unit", "matter__created_item", "reply")
            .get(pk=pk)
        )
    except Suggestion.DoesNotExist:
        raise Http404(_("没有找到该意见建议")) from None


def get_reply_for_user(user: User, pk: int) -> ReplyLetter:
    try:
        return ReplyLetter.objects.get(pk=pk, suggestion__in=suggestions_visible_to(user))
    except ReplyLetter.DoesNotExist:
        raise Http404(_("没有找到该答复函")) from None
