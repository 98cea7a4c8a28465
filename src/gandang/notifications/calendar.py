"""The notification outbox's step in the city's calendar: last, send what the other steps queued."""

from __future__ import annotations

from gandang.core import registry
from gandang.core.registry import TickRun
from gandang.notifications.services import Delivered, deliver_pending


def deliver(run: TickRun) -> None:
    run.details["delivered"] = deliver_pending()


def summary(run: TickRun) -> list[str]:
    d: Delivered = run.details.get("delivered", Delivered())
    if d.sent or d.retrying or d.failed or d.postponed:
        return [f"邮件/工作群发送：成功{d.sent}条，待重试{d.retrying + d.postponed}条，放弃{d.failed}条"]
    return []


def register() -> None:
    registry.tick_step(registry.TickStep("notifications.deliver", 90, deliver, summary))
