"""The public pages: home, catalogue and the roadmap page.

Every read has a fixed number of queries whatever the data size: the roadmap
page loads its content through `load_roadmap_content` (one query per table),
lists annotate their counts in SQL and prefetch tags.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from roadmaps.cache import cached_roadmap_content
from roadmaps.forms import CatalogueFilterForm
from roadmaps.models import Roadmap, Status, Tag
from roadmaps.page import with_body

HOME_ROADMAPS = 6
HOME_TAGS = 12


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    published = Roadmap.objects.published()
    published_count = published.count()
    roadmaps: list[Roadmap] = []
    tags: list[Tag] = []
    if published_count:
        # Featured first; when fewer than a full row are featured, the rest fill in.
        roadmaps = list(published.for_cards().order_by("-featured", "title", "pk")[:HOME_ROADMAPS])
        tags = list(
            Tag.objects.annotate(published=Count("roadmaps", filter=Q(roadmaps__status=Status.PUBLISHED)))
            .filter(published__gt=0)
            .order_by("-published", "name")[:HOME_TAGS]
        )
    return render(
        request,
        "roadmaps/home.html",
        {
            "roadmaps": roadmaps,
            "all_featured": bool(roadmaps) and all(roadmap.featured for roadmap in roadmaps),
            "published_count": published_count,
            "tags": tags,
        },
    )


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    # Only the filter fields bind the form: ?page=2 alone is not a search.
    bound = any(key in request.GET for key in ("q", "level", "tech", "language"))
    form = CatalogueFilterForm(request.GET if bound else None)
    filters = form.cleaned_filters()
    roadmaps = Roadmap.objects.for_catalogue(**filters)
    page = Paginator(roadmaps, settings.CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "roadmaps/catalogue.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "is_filtered": any(filters.values()),
            "querystring": form.querystring(),
        },
    )


@require_safe
def roadmap_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Drafts are only in the queryset for editors, so visitors and learners get a 404.
    # Its tags come with the cached sections (RoadmapFacts.tags), not from here.
    roadmap = get_object_or_404(Roadmap.objects.visible_to(request.user), slug=slug)
    # Keyed on updated_at: see roadmaps/cache.py. Lazy: the sections' HTML and
    # the header's figures come from their own cache entry, so a visitor's
    # request does not even unpickle the content; a learner's does (their state).
    content = SimpleLazyObject(lambda: cached_roadmap_content(roadmap))
    return with_body(request, render(request, "roadmaps/detail.html", {"roadmap": roadmap, "content": content}))
