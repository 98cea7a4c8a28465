"""The demo city's listed supervision in 2023, played through the real services and dated.

Five stories, each a state the office meets in practice:
  - two items red in June and July, listed in August, rectified and delisted in September (one after
    the office sent the rectification back once);
  - an item red all year, listed in August at city-leader level, unanswered by the deadline → 督办函,
    answered late and sent back → named in the quarterly bulletin; still listed;
  - two listings from November: the 市发展改革委 still has to write its rectification report (the
    liaison's to-do), the 岱岳区 has submitted it and waits for its head's sign-off.
Then the tick's rules propose the items red in October and November: the clerk lists two of them
and issues the two reminder letters the issue's "done when" asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from gandang.core import registry
from gandang.core.backdate import dated
from gandang.dispatch.models import Period, Status, StatusSnapshot
from gandang.ledger.models import Item
from gandang.notifications.models import Notification
from gandang.org.models import Unit, User
from gandang.supervision import services
from gandang.supervision.models import Listing, Proposal, RectificationStep, Trigger


def _aware(d: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, 0)))


def at(when: datetime, call: Callable[[], Any]) -> Any:
    """Run a service call and date what it wrote (audit entries, steps, notices) at `when` in 2023."""
    with dated(when, (RectificationStep, "at"), (Notification, "created_at")):
        return call()


def _red_in(months: list[int], year: int) -> list[Item]:
    """Items red in every one of these months' snapshots, by code."""
    periods = list(Period.objects.filter(plan__isnull=True, year=year, month__in=months))
    ids = None
    for p in periods:
        these = set(
            StatusSnapshot.objects.filter(period=p, status=Status.RED).values_list("item_id", flat=True)
        )
        ids = these if ids is None else ids & these
    return sorted(Item.objects.filter(pk__in=ids or set()), key=lambda i: (len(i.code), i.code))


def _status_of(item: Item) -> str:
    st = getattr(item, "current_status", None)
    return str(st.status) if st is not None else ""


def _open_item_of(unit_name: str) -> Item | None:
    """The unit's most lagging item not yet done (red, then yellow, then the rest)."""
    unit = Unit.objects.filter(name=unit_name).first()
    rank: dict[str, int] = {Status.RED.value: 0, Status.YELLOW.value: 1}
    items = (
        Item.objects.filter(lead_unit=unit, is_archived=False, parent__isnull=True)
        .exclude(current_status__status=Status.DONE)
        .select_related("current_status")
    )
    return min(
        items,
        key=lambda i: (rank.get(_status_of(i), 2), i.seq, i.code),
        default=None,
    )


class _Story:
    def __init__(self, *, office: User, today: date, stdout) -> None:
        self.office, self.today, self.stdout, self.year = office, today, stdout, today.year

    def say(self, msg: str) -> None:
        if self.stdout is not None:
            self.stdout.write(msg + "\n")

    def people(self, unit: Unit, role: str) -> User | None:
        return User.objects.filter(unit=unit, role=role, is_active=True).first()

    def list(
        self, item: Item, on: date, *, level: str, reason: str, requirements: str, proposed: bool = True
    ) -> Listing:
        """List `item` on day `on`; `proposed`: as the tick proposed it that morning (red two months running)."""
        data = services.ListingInput(
            level=level, reason=reason, requirements=requirements, deadline=on + timedelta(days=30)
        )
        proposal = None
        if proposed:
            period = (
                Period.objects.filter(plan__isnull=True, deadline__lt=on, state=Period.State.CLOSED)
                .order_by("-year", "-month")
                .first()
            )
            proposal = Proposal.objects.create(item=item, trigger=Trigger.RED, period=period, reason=reason)
            Proposal.objects.filter(pk=proposal.pk).update(created_at=_aware(on, 7))
        listing = at(
            _aware(on, 15),
            lambda: services.listing_create(
                actor=self.office, item=item, data=data, proposal=proposal, today=on
            ),
        )
        if proposal is not None:  # decided when the listing was made (最近处理), not when the demo was built
            Proposal.objects.filter(pk=proposal.pk).update(decided_at=_aware(on, 15))
        return listing

    def rectify(self, listing: Listing, on: date, measures: str, *, sign: bool = True) -> None:
        liaison = self.people(listing.unit, User.Role.LIAISON)
        head = self.people(listing.unit, User.Role.HEAD)
        if liaison is None:
            return
        rect = listing.rectification
        at(
            _aware(on, 9),
            lambda: services.rectification_save(
                actor=liaison,
                rectification=rect,
                data={
                    "causes": "前期对改革任务的复杂性估计不足，部门间协同不够，推进节奏偏慢。",
                    "measures": measures,
                    "next_steps": "建立周调度机制，主要负责同志每月听取一次进展汇报，确保按期完成。",
                },
            ),
        )
        at(
            _aware(on, 10),
            lambda: services.rectification_step(
                actor=liaison, rectification=rect, action="submit", now=_aware(on, 10)
            ),
        )
        if sign and head is not None:
            nxt = on + timedelta(days=1)
            at(
                _aware(nxt, 11),
                lambda: services.rectification_step(
                    actor=head, rectification=rect, action="approve", now=_aware(nxt, 11)
                ),
            )

    def verify(self, listing: Listing, on: date, action: str, reason: str) -> None:
        at(
            _aware(on, 16),
            lambda: services.rectification_step(
                actor=self.office,
                rectification=listing.rectification,
                action=action,
                reason=reason,
                now=_aware(on, 16),
            ),
        )

    def escalate(self, listing: Listing) -> None:
        listing.refresh_from_db()
        day = listing.deadline + timedelta(days=1)
        at(_aware(day, 7), lambda: services.listing_escalate(actor=None, listing=listing, today=day))
        listing.refresh_from_db()

    def build(self) -> None:
        y = self.year
        requirements = (
            "一是对照年度改革要点倒排工期，明确每个时间节点的责任人；二是于整改时限前出台配套实施办法；"
            "三是每半月向改革办报送一次推进情况。"
        )
        closed: list[Listing] = []
        stories: list[tuple[Item, date, str]] = []
        june_july = _red_in([6, 7], y)[:1]
        stories += [(i, date(y, 8, 11), f"{y}年6月、7月连续两个月严重滞后") for i in june_july]
        july_aug = [i for i in _red_in([7, 8], y) if i not in june_july][:2]
        stories += [(i, date(y, 9, 12), f"{y}年7月、8月连续两个月严重滞后") for i in july_aug]
        for n, (item, on, reason) in enumerate(stories):
            last = n == len(stories) - 1 and n > 0
            listing = self.list(
                item,
                on,
                level=Listing.Level.LEADER if last and item.leaders.exists() else Listing.Level.OFFICE,
                reason=reason,
                requirements=requirements,
            )
            if n == 0:
                self.rectify(
                    listing,
                    on + timedelta(days=17),
                    "已召开专题推进会，出台实施办法并印发执行，滞后的两个时间节点已全部完成。",
                )
                self.verify(
                    listing, on + timedelta(days=25), "accept", "整改措施落实到位，时间节点已完成，同意摘牌。"
                )
                closed.append(listing)
            elif not last:
                self.rectify(listing, on + timedelta(days=18), "已制定整改方案。")
                self.verify(
                    listing,
                    on + timedelta(days=22),
                    "return",
                    "整改措施不具体，未说明时间节点完成情况，请补充后重新报送。",
                )
                self.rectify(
                    listing,
                    on + timedelta(days=26),
                    "细化为三项整改措施：出台实施办法、建立工作专班、完成首批试点，已全部落实。",
                )
                self.verify(listing, on + timedelta(days=29), "accept", "补充材料充分，整改到位，同意摘牌。")
                closed.append(listing)
            else:
                self.escalate(listing)  # unanswered by the deadline: the tick sends the 督办函
                self.rectify(
                    listing,
                    listing.deadline - timedelta(days=3),
                    "已向分管市领导专题汇报，正在研究整改措施。",
                )
                self.verify(
                    listing,
                    listing.deadline - timedelta(days=1),
                    "return",
                    "仍未提出具体整改措施，时间节点继续滞后，请按督办函要求整改。",
                )
                self.escalate(listing)  # still not answered: named in the quarterly bulletin
        recent = []
        for unit_name, answered in (("市发展改革委", False), ("岱岳区", True)):
            found = _open_item_of(unit_name)
            if found is None or Listing.objects.filter(item=found, state=Listing.State.LISTED).exists():
                continue
            listing = self.list(
                found,
                date(y, 11, 8),
                level=Listing.Level.OFFICE,
                reason="改革办研判：推进措施不够有力，关键时间节点存在滞后风险",
                proposed=False,
                requirements="请对照时间节点查找原因，明确整改措施和完成时限，整改报告经单位主要负责同志签发后报送。",
            )
            if answered:
                self.rectify(
                    listing, date(y, 12, 4), "已召开党组会专题研究，制定整改清单6项，已完成4项。", sign=False
                )
            recent.append(listing)
        n = at(_aware(self.today, 7), lambda: services.proposals_refresh(today=self.today))
        Proposal.objects.filter(state=Proposal.State.OPEN).update(created_at=_aware(self.today, 7))
        Notification.objects.filter(
            kind=Notification.Kind.SUPERVISION, created_at__lt=_aware(self.today - timedelta(days=7))
        ).update(read_at=F("created_at") + timedelta(hours=2))
        listed = Listing.objects.filter(state=Listing.State.LISTED).count()
        self.say(
            f"挂牌督办：已挂牌{len(stories) + len(recent)}项（已摘牌{len(closed)}项，督办中{listed}项），"
            f"待研究的挂牌建议{n}项"
        )


def build_supervision(*, office: User, today: date, stdout=None) -> None:
    _Story(office=office, today=today, stdout=stdout).build()


def supervision_counts() -> dict[str, int]:
    return {
        "listed": Listing.objects.filter(state=Listing.State.LISTED).count(),
        "delisted": Listing.objects.filter(state=Listing.State.DELISTED).count(),
        "proposals": Proposal.objects.filter(state=Proposal.State.OPEN).count(),
        "manual": Listing.objects.filter(trigger=Trigger.MANUAL).count(),
    }


def build_step(run: registry.DemoRun) -> None:
    """This app's part of the demo city (registered in its AppConfig.ready())."""
    build_supervision(office=run.results["office"], today=run.today, stdout=run.stdout)
