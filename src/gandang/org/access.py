"""Role checks of the services, and who reads a person's contact details (phone, e-mail) in full.

`require_office` is the one check a service makes before a write only the reform office may do;
`of_unit` and `role_label` are what the flows (`gandang.core.flow`) need to know of people.
Contact details: everyone but the person and the roles that manage people sees them masked
(138****5678, z***@example.com) wherever they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from gandang.core.errors import ServiceError
from gandang.org.models import User


def is_office(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_office)


def require_office(actor: User) -> None:
    """The services' check: refuse (ServiceError, shown to the user as it is) unless the reform office."""
    if not is_office(actor):
        raise ServiceError(gettext("只有改革办可以执行此操作"))


def deny_unless_office(user: Any) -> None:
    """The pages' check: 403 unless the reform office (each app's access.require_office is this)."""
    if not is_office(user):
        raise PermissionDenied(gettext("只有改革办可以执行此操作"))


def of_unit(user: User, record: Any) -> bool:
    """Whether `user` belongs to the unit that answers for `record` (anything with a `unit_id`)."""
    return user.unit_id is not None and user.unit_id == record.unit_id


def role_label(role: str) -> str:
    """A role's name for the user: 单位负责人."""
    return str(User.Role(role).label)


# The roles that need to reach people: the system administrator, who keeps their accounts, and the
# reform office, which calls the units' liaisons and heads about their reports.
CONTACT_MANAGER_ROLES: set[str] = {User.Role.SYSADMIN, User.Role.OFFICE}


def can_see_contact(viewer: Any, person: User) -> bool:
    """Whether `viewer` may read `person`'s phone and e-mail in full: the person themselves, and the
    roles that manage people (CONTACT_MANAGER_ROLES). Others — leaders, units, observers, auditors — do
    not need them and see them masked."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        return False
    return viewer.pk == person.pk or viewer.role in CONTACT_MANAGER_ROLES


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    masked: bool


def contact_for(viewer: Any, person: User) -> Contact:
    """`person`'s phone and e-mail as `viewer` may see them: in full or masked."""
    if can_see_contact(viewer, person):
        return Contact(phone=person.phone, email=person.email, masked=False)
    return masked_contact(person)


def masked_contact(person: User) -> Contact:
    """`person`'s phone and e-mail masked, for anyone."""
    return Contact(
        phone=User._meta.get_field("phone").masked(person.phone),  # type: ignore[attr-defined]
        email=User._meta.get_field("email").masked(person.email),  # type: ignore[attr-defined]
        masked=True,
    )
