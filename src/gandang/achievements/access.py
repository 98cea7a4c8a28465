"""The one gate to achievements: who reads and who changes experiences, promotions, pilots, honors."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.achievements.models import (
    Experience,
    ExperienceAttachment,
    Honor,
    Pilot,
    PilotStep,
    Promotion,
)
from gandang.org.models import User

S = Experience.State
SHARED = [S.ADOPTED, S.PUBLISHED]  # adopted experiences are the city's: every signed-in role reads them


def experiences_visible_to(user: User) -> QuerySet[Experience]:
    """City-wide roles: everything but a unit's unsubmitted draft. Units: their own in any state, and the
    adopted or published experiences of others."""
    qs = Experience.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        unit_draft = Q(state=S.DRAFT) & ~Q(created_by__role=User.Role.OFFICE)
        return qs.exclude(unit_draft)
    if user.is_unit_member and user.unit_id:
        own = Experience.objects.filter(units=user.unit_id).values("pk")
        return qs.filter(Q(pk__in=own) | Q(state__in=SHARED))
    return qs.none()


def public_experiences() -> QuerySet[Experience]:
    """The showcase: published experiences only, for anyone, signed in or not."""
    return Experience.objects.filter(state=S.PUBLISHED)


def get_experience_for_user(user: User, pk: int) -> Experience:
    try:
        return experiences_visible_to(user).get(pk=pk)
    except Experience.DoesNotExist:
        raise Http404(_("没有找到该经验做法")) from None


def is_member_of(user: User, experience: Experience) -> bool:
    return bool(user.is_unit_member and user.unit_id and experience.units.filter(pk=user.unit_id).exists())


def get_attachment_for_user(user: User, pk: int) -> ExperienceAttachment:
    try:
        return ExperienceAttachment.objects.select_related("experience").get(
            pk=pk, experience__in=experiences_visible_to(user)
        )
    except ExperienceAttachment.DoesNotExist:
        raise Http404(_("没有找到该附件")) from None


def get_promotion_for_user(user: User, pk: int) -> Promotion:
    try:
        return Promotion.objects.select_related("experience").get(
            pk=pk, experience__in=experiences_visible_to(user)
        )
    except Promotion.DoesNotExist:
        raise Http404(_("没有找到该刊发记录")) from None


def pilots_visible_to(user: User) -> QuerySet[Pilot]:
    """Pilots are the city's record of what it won: every signed-in role reads them."""
    if not user.is_authenticated or not user.is_active:
        return Pilot.objects.none()
    return Pilot.objects.all()


def get_pilot_for_user(user: User, pk: int) -> Pilot:
    try:
        return pilots_visible_to(user).select_related("lead_unit").get(pk=pk)
    except Pilot.DoesNotExist:
        raise Http404(_("没有找到该试点")) from None


def get_pilot_step_for_user(user: User, pk: int) -> PilotStep:
    try:
        return PilotStep.objects.select_related("pilot").get(pk=pk, pilot__in=pilots_visible_to(user))
    except PilotStep.DoesNotExist:
        raise Http404(_("没有找到该文件")) from None


def honors_visible_to(user: User) -> QuerySet[Honor]:
    if not user.is_authenticated or not user.is_active:
        return Honor.objects.none()
    return Honor.objects.all()


def get_honor_for_user(user: User, pk: int) -> Honor:
    try:
        return honors_visible_to(user).get(pk=pk)
    except Honor.DoesNotExist:
        raise Http404(_("没有找到该荣誉")) from None
