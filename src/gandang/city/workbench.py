"""The workbench: counts and lists scoped to the user's role and unit, composed from every app's
to-dos (a page of the orchestration layer, which may read every app)."""

from datetime import timedelta
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, When

from gandang.core import clock
from gandang.dispatch.models import Status
from gandang.dispatch.selectors import todo_counts
from gandang.ledger.access import items_visible_to
from gandang.ledger.models import Milestone, joint_lead_prefetch, led_by
from gandang.ledger.selectors import short_lists
from gandang.org.models import User

MY_ITEMS = 20  # a leader's items listed on the workbench
SHORT_LIST = 8  # the items due soon, and those with a late milestone, listed on the workbench


def workbench(user: User) -> dict[str, Any]:
    today = clock.today()
    items = items_visible_to(user).filter(is_archived=False)
    due_soon = Q(due_date__gte=today, due_date__lte=today + timedelta(days=30))
    late = Exists(Milestone.objects.filter(item=OuterRef("pk"), due_date__lt=today, done_date__isnull=True))
    # Every figure of the user's items in one pass over them (a province's office has 100,000): the
    # status chips are the same set the ledger list shows for ?status=…, so each number is its list's count.
    figures = {
        "n_items": Count("pk"),
        "n_due_soon": Count("pk", filter=due_soon),
        "n_overdue_ms": Count("pk", filter=late),
        "n_no_effect": Count("pk", filter=Q(no_effect=True)),
        **{f"status_{key}": Count("pk", filter=Q(status=key)) for key, _label in Status.choices},
    }
    unit_id = user.unit_id if user.is_unit_member else None
    if unit_id:
        # Led first or jointly (the same items as the ledger's ?lead_unit= the tile opens), then the rest.
        figures["n_lead"] = Count("pk", filter=led_by(unit_id))
    counts = items.order_by().aggregate(**figures)
    if unit_id:
        # The rest of the unit's items, those it co-operates on only: a unit's members see the items it
        # leads or co-operates on (ledger.access.items_visible_to).
        counts["n_co"] = counts["n_items"] - counts["n_lead"]
    # Each with every lead unit (joint leads too), as the ledger shows them.
    due_soon_rows, overdue_ms_rows = short_lists(
        items.filter(due_soon).order_by("due_date")[:SHORT_LIST],
        items.filter(late).order_by("due_date")[:SHORT_LIST],
    )
    ctx: dict[str, Any] = {
        **{k: v for k, v in counts.items() if not k.startswith("status_")},
        "due_soon": due_soon_rows,
        "overdue_ms": overdue_ms_rows,
    }
    if user.role == User.Role.LEADER and user.leader_id:
        # Those that need the leader first (red, then yellow), the rest one click away in the ledger.
        mine = items.filter(leaders=user.leader_id)
        ctx["n_my_items"] = mine.count()
        attention = Case(When(status=Status.RED, then=0), When(status=Status.YELLOW, then=1), default=2)
        ctx["my_items"] = (
            mine.select_related("lead_unit", "current_status")
            .prefetch_related(joint_lead_prefetch())
            .order_by(attention, "seq")[:MY_ITEMS]
        )
    ctx.update(todo_counts(user))
    from gandang.supervision.selectors import todos as supervision_todos

    ctx.update(supervision_todos(user))
    from gandang.achievements.selectors import todos as achievement_todos

    ctx.update(achievement_todos(user))
    from gandang.matters.selectors import todos as matter_todos

    ctx.update(matter_todos(user))
    from gandang.matters.meeting_selectors import todos as meeting_todos

    ctx.update(meeting_todos(user))
    from gandang.information.selectors import todos as information_todos

    ctx.update(information_todos(user))
    from gandang.assessment.standing_selectors import todos as standing_todos

    ctx.update(standing_todos(user))
    if user.is_office:
        from gandang.assessment.models import Objection

        pending = Objection.objects.filter(state=Objection.State.OPEN).order_by("run_id")
        ctx["asm_objections"] = pending.count()
        ctx["asm_objection_run"] = pending.values_list("run_id", flat=True).last()
    ctx["status_rows"] = [(key, label, counts[f"status_{key}"]) for key, label in Status.choices]
    return ctx
