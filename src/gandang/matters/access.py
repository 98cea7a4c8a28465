"""The one gate to instructions, matters and their files: what each role reads.

City-wide roles (office, leaders, observers) read everything. A unit reads the matters it leads or
takes part in, and the instructions addressed to it or behind its matters. Anything else is the same
404 as a missing record.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.matters.models import Instruction, InstructionScan, Matter, MatterAttachment, MatterLetter
from gandang.org.access import deny_unless_office as require_office  # noqa: F401 (the pages' office check)
from gandang.org.models import User


def matters_visible_to(user: User) -> QuerySet[Matter]:
    """All matters for city-wide roles; a unit's members see those it leads or co-operates on."""
    qs = Matter.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_unit_member and user.unit_id:
        co = Matter.co_units.through.objects.filter(unit_id=user.unit_id).values("matter_id")
        return qs.filter(Q(unit_id=user.unit_id) | Q(pk__in=co))
    return qs.none()


def instructions_visible_to(user: User) -> QuerySet[Instruction]:
    """All instructions for city-wide roles; a unit's members those naming their unit or behind its matters."""
    qs = Instruction.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_unit_member and user.unit_id:
        named = Instruction.units.through.objects.filter(unit_id=user.unit_id).values("instruction_id")
        theirs = matters_visible_to(user).filter(instruction__isnull=False).values("instruction_id")
        return qs.filter(Q(pk__in=named) | Q(pk__in=theirs))
    return qs.none()


def get_matter_for_user(user: User, pk: int) -> Matter:
    try:
        return (
            matters_visible_to(user)
            .select_related("unit", "instruction", "suggestion", "created_item")
            .get(pk=pk)
        )
    except Matter.DoesNotExist:
        raise Http404(_("没有找到该督办事项")) from None


def get_instruction_for_user(user: User, pk: int) -> Instruction:
    try:
        return instructions_visible_to(user).select_related("leader", "recorded_by").get(pk=pk)
    except Instruction.DoesNotExist:
        raise Http404(_("没有找到该批示")) from None


def get_attachment_for_user(user: User, pk: int) -> MatterAttachment:
    try:
        return MatterAttachment.objects.select_related("matter").get(
            pk=pk, matter__in=matters_visible_to(user)
        )
    except MatterAttachment.DoesNotExist:
        raise Http404(_("没有找到该附件")) from None


def get_scan_for_user(user: User, pk: int) -> InstructionScan:
    try:
        return InstructionScan.objects.get(pk=pk, instruction__in=instructions_visible_to(user))
    except InstructionScan.DoesNotExist:
        raise Http404(_("没有找到该附件")) from None


def can_instruct(user: User) -> bool:
    """Whether `user` may write an instruction in Gandang: a city leader with their leader record."""
    return bool(user.is_authenticated and user.is_active and user.role == User.Role.LEADER and user.leader_id)


def get_letter_for_user(user: User, pk: int) -> MatterLetter:
    """A matter's letter, for whoever reads the matter (the unit it is addressed to, city-wide roles)."""
    try:
        return MatterLetter.objects.select_related("matter").get(pk=pk, matter__in=matters_visible_to(user))
    except MatterLetter.DoesNotExist:
        raise Http404(_("没有找到该文书")) from None
