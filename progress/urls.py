"""The "progress" namespace: each feature's urlpatterns, combined.

The sub-packages' lists are concatenated (not `include`d) so every URL keeps
its path and its name, e.g. "progress:item_state", "progress:log_add". The
dashboard is served at /dashboard/ (config/urls.py); its one-tap forms post
under /progress/dashboard/.
"""

from progress.dashboard.urls import urlpatterns as dashboard_urls
from progress.enrolments.urls import urlpatterns as enrolment_urls
from progress.items.urls import urlpatterns as item_urls
from progress.metrics.urls import urlpatterns as metric_urls
from progress.sharing.urls import urlpatterns as sharing_urls
from progress.studylog.urls import urlpatterns as studylog_urls

app_name = "progress"

urlpatterns = [*dashboard_urls, *enrolment_urls, *item_urls, *studylog_urls, *metric_urls, *sharing_urls]
