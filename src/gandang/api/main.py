"""The JSON API (OpenAPI at /api/docs): the same access gates as the pages, for a provincial
platform or a mobile client. Each app's endpoints live in its own api.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from gandang.achievements.api import router as achievements_router
from gandang.api import docs
from gandang.dispatch.api import router as dispatch_router
from gandang.information.api import router as information_router
from gandang.ledger.api import router as ledger_router
from gandang.matters.api import router as matters_router
from gandang.matters.consult_api import router as consult_router
from gandang.supervision.api import router as supervision_router


class GandangAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The OpenAPI schema with every parameter and field described in Chinese (api.docs)."""
        return docs.describe(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = GandangAPI(
    title="敢当 Gandang API",
    version="1",
    description="改革任务推进与督办平台接口。使用登录会话认证；权限与页面一致。",
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=login_required,
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("没有找到该记录，或您无权查看")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("您没有权限执行此操作")}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    """A malformed parameter or field: 422 with ninja's reasons (where, what) and, for a person reading
    the answer, which parameters to correct, in Chinese."""
    names = "、".join(dict.fromkeys(str(e["loc"][-1]) for e in exc.errors if e.get("loc")))
    message = _("请求参数不正确，请检查：%(names)s") % {"names": names} if names else _("请求参数不正确")
    return api.create_response(request, {"detail": exc.errors, "message": message}, status=422)


api.add_router("/ledger/", ledger_router)
api.add_router("/dispatch/", dispatch_router)
api.add_router("/supervision/", supervision_router)
api.add_router("/achievements/", achievements_router)
api.add_router("/matters/", matters_router)
api.add_router("/matters/", consult_router)  # 协商座谈: /api/matters/consultations, /api/matters/suggestions
api.add_router("/information/", information_router)


def urls():
    """The API's URL patterns; ninja answers 401 itself, so the login redirect is switched off."""
    patterns, app_name, namespace = api.urls
    for p in patterns:
        if isinstance(p, URLPattern) and p.name not in ("api-root", "openapi-json", "openapi-view"):
            p.callback.login_required = False
    return patterns, app_name, namespace
