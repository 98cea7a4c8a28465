"""The one gate to reports, periods and attachments."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.dispatch.models import Attachment, Period, Report
from gandang.ledger.models import Item, JointLead
from gandang.org.models import User


def reports_visible_to(user: User) -> QuerySet[Report]:
    """Reports `user` may read: all for city-wide roles; a unit's own and those of the items it leads
    jointly (the first lead files them) or co-operates on."""
    qs = Report.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_unit_member and user.unit_id:
        co = Item.co_units.through.objects.filter(unit_id=user.unit_id).values("item_id")
        joint = JointLead.objects.filter(unit_id=user.unit_id).values("item_id")
        return qs.filter(Q(unit_id=user.unit_id) | Q(item_id__in=co) | Q(item_id__in=joint))
    return qs.none()


def get_report_for_user(user: User, pk: int) -> Report:
    """The report `pk` if `user` may read it; 404 otherwise (the same as a missing one)."""
    try:
        return (
            reports_visible_to(user)
            .select_related("item", "period", "period__plan", "unit", "item__lead_unit")
            .get(pk=pk)
        )
    except Report.DoesNotExist:
        raise Http404(_("没有找到该报告")) from None


def get_period(pk: int) -> Period:
    """Periods are not secret (every signed-in role sees the calendar); their reports are gated."""
    try:
        return Period.objects.select_related("plan").get(pk=pk)
    except Period.DoesNotExist:
        raise Http404(_("没有找到该调度期")) from None


def get_attachment_for_user(user: User, pk: int) -> Attachment:
    """An attachment, only through a report the user may read."""
    try:
        return Attachment.objects.select_related("report").get(
            pk=pk, report__in=reports_visible_to(user).values("pk")
        )
    except Attachment.DoesNotExist:
        raise Http404(_("没有找到该附件")) from None
