import os

from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path, re_path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("jalon.accounts.urls")),
    path("", include("jalon.projects.urls")),
    path("", include("jalon.jobs.urls")),
    path("", include("jalon.specs.urls")),
    path("", include("jalon.projects.urls_breakdown")),
    path("", include("jalon.people.urls")),
    path("", include("jalon.planning.urls")),
    path("", include("jalon.interop.urls")),
    path("", include("jalon.meetings.urls")),
    path("", include("jalon.portal.urls")),
    path("", include("jalon.tracking.urls")),
    path("langue/", set_language, name="set_language"),
    path("api/", include("jalon.api.urls")),
    path("admin/", admin.site.urls),
]

# `jalon serve` on one machine has no reverse proxy to serve CSS and JS: it sets
# JALON_SERVE_STATIC and the app serves them itself (DEBUG does the same in development).
if os.getenv("JALON_SERVE_STATIC"):
    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}))
