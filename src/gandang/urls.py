from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from gandang.accounts.forms import LoginForm
from gandang.achievements.urls import showcase_patterns
from gandang.api.main import urls as api_urls
from gandang.city import views as city_views
from gandang.core import views as core_views
from gandang.core.admin import site as admin_site

urlpatterns = [
    path("", city_views.home, name="home"),
    path(
        "login/",
        login_not_required(
            # Django's LoginView puts the request's host in `site_name`; the product's name is meant.
            auth_views.LoginView.as_view(
                template_name="core/login.html",
                authentication_form=LoginForm,
                redirect_authenticated_user=True,
                extra_context={"site_name": settings.SITE_NAME},
            )
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("gandang.accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("csrf/", core_views.csrf_token, name="csrf_token"),
    path("signed-in/", core_views.signed_in, name="signed_in"),
    path("ledger/", include("gandang.ledger.urls")),
    path("notifications/", include("gandang.notifications.urls")),
    path("dispatch/", include("gandang.dispatch.urls")),
    path("", include("gandang.bulletins.urls")),  # /dashboard/ and /bulletins/
    path("supervision/", include("gandang.supervision.urls")),
    path("assessment/", include("gandang.assessment.urls")),
    path("achievements/", include("gandang.achievements.urls")),
    path("matters/", include("gandang.matters.urls")),
    path("information/", include("gandang.information.urls")),
    # The public showcase column (“敢当”经验): published experiences, readable without login.
    path("showcase/", include(showcase_patterns)),
    path("security/", include("gandang.security.urls")),
    path("manage/", admin_site.urls),
    path("api/", api_urls()),
]

handler400 = "gandang.core.views.bad_request"
handler403 = "gandang.core.views.forbidden"
handler404 = "gandang.core.views.not_found"
