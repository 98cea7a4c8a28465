"""The one gate to meetings, their topics, materials, observers, comments and decisions.

Every signed-in role reads the meetings, their agenda, observers and decisions (the committee's work is
the city's). A topic and its materials are read by city-wide roles and by the unit that proposed it;
anything else is the same 404 as a missing record. Writes are the office's (checked by the services),
but a unit writes its own topics.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.matters.meeting_models import Decision, Meeting, Observer, ObserverComment, Topic, TopicMaterial
from gandang.org.models import User


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    qs = Meeting.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units or (user.is_unit_member and user.unit_id):
        return qs
    return qs.none()


def topics_visible_to(user: User) -> QuerySet[Topic]:
    """All topics for city-wide roles; a unit's members those their unit proposed."""
    qs = Topic.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_unit_member and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def agenda_visible_to(user: User) -> QuerySet[Topic]:
    """What a meeting's page lists: the agenda for everyone, and a unit's own proposals beside it."""
    qs = Topic.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_unit_member and user.unit_id:
        return qs.filter(Q(state=Topic.State.ACCEPTED) | Q(unit_id=user.unit_id))
    return qs.none()


def get_meeting_for_user(user: User, pk: int) -> Meeting:
    try:
        return meetings_visible_to(user).select_related("chair").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404(_("没有找到该会议")) from None


def get_topic_for_user(user: User, pk: int) -> Topic:
    try:
        return topics_visible_to(user).select_related("meeting", "unit", "proposed_by").get(pk=pk)
    except Topic.DoesNotExist:
        raise Http404(_("没有找到该议题")) from None


def get_material_for_user(user: User, pk: int) -> TopicMaterial:
    try:
        return TopicMaterial.objects.select_related("topic").get(pk=pk, topic__in=topics_visible_to(user))
    except TopicMaterial.DoesNotExist:
        raise Http404(_("没有找到该附件")) from None


def get_observer_for_user(user: User, pk: int) -> Observer:
    try:
        return Observer.objects.select_related("meeting").get(pk=pk, meeting__in=meetings_visible_to(user))
    except Observer.DoesNotExist:
        raise Http404(_("没有找到该列席人员")) from None


def get_comment_for_user(user: User, pk: int) -> ObserverComment:
    try:
        return ObserverComment.objects.select_related("meeting", "observer").get(
            pk=pk, meeting__in=meetings_visible_to(user)
        )
    except ObserverComment.DoesNotExist:
        raise Http404(_("没有找到该意见")) from None


def get_decision_for_user(user: User, pk: int) -> Decision:
    try:
        return Decision.objects.select_related("meeting", "unit", "created_item").get(
            pk=pk, meeting__in=meetings_visible_to(user)
        )
    except Decision.DoesNotExist:
        raise Http404(_("没有找到该议定事项")) from None
