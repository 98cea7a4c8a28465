"""The one gate to ledger records: every view and API endpoint fetches items through here."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gandang.ledger.models import Item, involving
from gandang.org.access import deny_unless_office as require_office  # the pages' one office check
from gandang.org.models import User


def items_visible_to(user: User) -> QuerySet[Item]:
    """Items `user` may read: all for the office, leaders and observers; a unit's own (lead, joint lead or
    co-unit) otherwise."""
    qs = Item.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.sees_all_units:
        return qs
    if user.is_unit_member and user.unit_id:
        # Led by the unit (first or jointly), or among the items the co-unit table names for it: index
        # lookups and no join, so counts and groupings over the result (the workbench's chips) see each
        # item once.
        return qs.filter(involving(user.unit_id))
    return qs.none()


def can_edit_ledger(user: User) -> bool:
    """Only the reform office changes the ledger."""
    return user.is_authenticated and user.is_office


def get_item_for_user(
    user: User, pk: int | str, *, write: bool = False, related: tuple[str, ...] = ()
) -> Item:
    """The item `pk` if `user` may see it (404 otherwise, same as a missing one); 403 if `write` is refused.
    `related`: the foreign keys the page shows, read in the same query."""
    try:
        item = items_visible_to(user).select_related(*related).get(pk=pk)
    except (Item.DoesNotExist, ValueError, TypeError):
        raise Http404(_("没有找到该事项")) from None
    if write:
        require_office(user)
    return item
