from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from roadmaps.content import load_roadmap_content
from roadmaps.forms import CatalogueFilterForm
from roadmaps.models import Roadmap


def home(request: HttpRequest) -> HttpResponse:
    featured = list(Roadmap.objects.published().filter(featured=True).with_stats().prefetch_related("tags")[:6])
    return render(request, "roadmaps/home.html", {"featured": featured})


def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_filters()
    roadmaps = Roadmap.objects.for_catalogue(**filters)
    page = Paginator(roadmaps, settings.CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "roadmaps/catalogue.html",
        {"form": form, "page": page, "filters": filters, "querystring": form.querystring()},
    )


def roadmap_detail(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = get_object_or_404(Roadmap.objects.visible_to(request.user).prefetch_related("tags"), slug=slug)
    content = load_roadmap_content(roadmap)
    return render(request, "roadmaps/detail.html", {"roadmap": roadmap, "content": content})
