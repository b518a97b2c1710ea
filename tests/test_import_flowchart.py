"""A roadmap drawn as a flow chart (roadmap.sh's JSON: React Flow nodes and
edges) read as a roadmap (roadmaps.yaml_io.flowchart)."""

from __future__ import annotations

import json

import pytest

from roadmaps.models import Item, Roadmap, Status
from roadmaps.yaml_io.errors import RoadmapImportError
from roadmaps.yaml_io.importer import import_parsed, parse_file

pytestmark = pytest.mark.django_db


def node(node_id, kind, label, x, y, legend=None):
    data = {"label": label, "style": {"fontSize": 17}}
    if legend:
        data["legend"] = {"id": "l1", "label": legend, "color": "#4f7a28", "position": "left-center"}
    return {"id": node_id, "type": kind, "position": {"x": x, "y": y}, "data": data, "width": 200, "height": 49}


def edge(source, target):
    return {"id": f"e-{source}-{target}", "source": source, "target": target, "data": {"edgeStyle": "dashed"}}


CHART = json.dumps({
    "nodes": [
        node("title", "title", "Pottery", 0, -100),
        node("para", "paragraph", "See the long version elsewhere", 300, -100),
        node("glaze", "topic", "Glazes", 0, 300),  # listed before the first topic, drawn below it
        node("clay", "topic", "Pick a clay", 0, 50),
        node("stone", "subtopic", "Stoneware", -300, 0, "Personal Recommendation / Opinion"),
        node("porc", "subtopic", "Porcelain", -300, 60, "Alternative Option / Pick this or purple"),
        node("earth", "subtopic", "Earthenware", -300, 120, "Alternative Option / Pick this or purple"),
        node("mix", "subtopic", "Mixing", 300, 300),
        node("tiles", "subtopic", "Test tiles", 300, 360, "Optional"),
        node("fire", "topic", "Firing", 0, 500),
        node("raku", "subtopic", "Raku", 900, 900),
        node("line", "vertical", "vertical node", 10, 10),
    ],
    "edges": [
        edge("title", "clay"), edge("clay", "stone"), edge("clay", "porc"), edge("earth", "clay"),
        edge("clay", "glaze"), edge("glaze", "mix"), edge("glaze", "tiles"), edge("glaze", "fire"),
    ],
})


def test_a_flow_chart_reads_as_steps_of_its_topics_top_to_bottom():
    parsed = parse_file(CHART, source="pottery.json")
    data = parsed.data
    assert (data.title, data.slug) == ("Pottery", "pottery")
    assert [step.title for step in data.steps] == ["Pick a clay", "Glazes", "Firing"]
    clay, glaze, fire = data.steps
    assert [(t.title, t.status, t.alternative_group) for t in clay.topics] == [
        ("Stoneware", "core", None), ("Porcelain", "alternative", "Pick a clay"),
        ("Earthenware", "alternative", "Pick a clay"),
    ]
    assert [(t.title, t.status) for t in glaze.topics] == [("Mixing", "core"), ("Test tiles", "optional")]
    assert [t.title for t in fire.topics] == ["Firing"]  # a topic with no subtopics is itself the thing to do
    assert any("read as a flow chart" in w for w in parsed.warnings)
    assert any("1 subtopic is linked to no topic" in w for w in parsed.warnings)


def test_it_imports_and_imports_again_unchanged():
    roadmap = import_parsed(parse_file(CHART, source="pottery.json")).roadmap
    assert Item.objects.filter(roadmap=roadmap).count() == 6
    again = import_parsed(parse_file(CHART, source="pottery.json"))
    assert not again.written and Roadmap.objects.count() == 1


def test_a_lone_alternative_becomes_optional_and_a_chart_without_topics_is_refused():
    lone = json.dumps({"nodes": [node("t", "topic", "Clay", 0, 0), node("s", "subtopic", "Porcelain", 9, 0,
                                                                          "Alternative option")],
                       "edges": [edge("t", "s")]})
    [topic] = parse_file(lone, source="c.json").data.steps[0].topics
    assert (topic.status, topic.alternative_group) == ("optional", None)
    with pytest.raises(RoadmapImportError, match="no “topic” nodes"):
        parse_file(json.dumps({"nodes": [node("x", "paragraph", "Hi", 0, 0)], "edges": []}), source="e.json")


def test_its_page_has_no_empty_overview(client):
    roadmap = import_parsed(parse_file(CHART, source="pottery.json")).roadmap
    Roadmap.objects.filter(pk=roadmap.pk).update(status=Status.PUBLISHED)
    page = client.get(roadmap.get_absolute_url()).content.decode()
    assert 'id="timeline"' in page and "Pick a clay" in page
    # A chart brings no description: no "Overview" heading over nothing, nor a link to it,
    # and its summary (the title again) is not repeated under the title, here or in the catalogue.
    assert 'id="overview"' not in page and 'href="#overview"' not in page
    assert 'class="lead"' not in page
    catalogue = client.get("/roadmaps/").content.decode()
    card = catalogue[catalogue.index(roadmap.get_absolute_url()):]
    assert "<p>Pottery</p>" not in card[:600]
