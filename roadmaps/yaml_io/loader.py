"""Reading a file's text into plain Python data, safely and strictly.

PyYAML's SafeLoader silently keeps the last of two equal mapping keys; a
roadmap file that says `hours:` twice is almost certainly a mistake, so it is
reported with the path of the mapping. Anchors and aliases are refused:
roadmap files have no use for them, and they are how a small file expands
into a huge document.
"""

from __future__ import annotations

import yaml
from django.utils.translation import gettext
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roadmaps.yaml_io.errors import Problem, RoadmapImportError, format_loc

# libyaml's parser is about ten times faster than the pure-Python one; the
# checks below work on the composed node tree, so they hold for both.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictSafeLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that rejects duplicate mapping keys (aliases: see load_yaml)."""

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key; SafeLoader reports it
                break
            if duplicate:
                raise ConstructorError(
                    "while constructing a mapping", node.start_mark, f"found duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _check_nodes(node: Node, loc: list[str | int], seen: set[int], lines: dict[str, int],
                 problems: list[Problem], offset: int = 0) -> None:
    """Record the line of every path, and every repeated mapping key or alias.

    An alias is the same node reached a second time; refusing them keeps a
    small file from expanding into a huge document (the walk does not enter
    an alias, so it stays as small as the text). Lines are counted from the
    start of the text; problems name them `offset` lines further (the text
    may be a file's front matter).
    """
    path = format_loc(loc)
    line = node.start_mark.line + 1
    if id(node) in seen:
        problems.append(Problem(
            path, gettext("anchors and aliases (*name) are not supported (line %(line)d)") % {"line": line + offset},
            line + offset,
        ))
        return
    seen.add(id(node))
    lines.setdefault(path, line)
    if isinstance(node, MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if isinstance(key_node, ScalarNode):
                if key_node.value in first_line:
                    problems.append(Problem(
                        path, gettext("duplicate key %(key)r (lines %(first)d and %(second)d)") % {
                            "key": key_node.value, "first": first_line[key_node.value] + offset,
                            "second": key_line + offset,
                        },
                        key_line + offset,
                    ))
                    continue
                first_line[key_node.value] = key_line
            child = [*loc, str(key_node.value)]
            lines.setdefault(format_loc(child), key_line)
            _check_nodes(value_node, child, seen, lines, problems, offset)
    elif isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            _check_nodes(child, [*loc, index], seen, lines, problems, offset)


def load_yaml(text: str, *, source: str, what: str = "file", first_line: int = 1) -> object:
    """Parse one YAML document; any problem is a RoadmapImportError."""
    return load_yaml_lines(text, source=source, what=what, first_line=first_line)[0]


def load_yaml_lines(text: str, *, source: str, what: str = "file",
                    first_line: int = 1) -> tuple[object, dict[str, int]]:
    """Parse one YAML document, with the line each path starts on
    ("steps[0].topics[1]" -> 12), counted from `first_line`, so problems found
    later can be listed in the order of the file."""
    loader = StrictSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RoadmapImportError(source, "", _what(what, gettext("the file is empty"),
                                                       gettext("the front matter is empty")))
        lines: dict[str, int] = {}
        problems: list[Problem] = []
        offset = first_line - 1
        _check_nodes(node, [], set(), lines, problems, offset)
        if problems:
            raise RoadmapImportError(source, problems=problems)
        return loader.construct_document(node), {path: line + offset for path, line in lines.items()}
    except yaml.YAMLError as error:
        raise RoadmapImportError(source, "", _describe(error, what, offset=first_line - 1)) from None
    except RecursionError:
        raise RoadmapImportError(source, "", _what(what, gettext("the file is nested too deeply"),
                                                   gettext("the front matter is nested too deeply"))) from None
    finally:
        loader.dispose()


def _what(what: str, file_message: str, front_matter_message: str) -> str:
    # Whole sentences for each, so that each language words them its own way.
    return front_matter_message if what == "front matter" else file_message


def _describe(error: yaml.YAMLError, what: str, *, offset: int = 0) -> str:
    # PyYAML's own description of the problem stays in English: it has no catalogue.
    if isinstance(error, yaml.MarkedYAMLError):
        problem = error.problem or error.context or gettext("invalid YAML")
        if "expected a single document" in str(error):
            problem = gettext("holds more than one YAML document")
        mark = error.problem_mark or error.context_mark
        if mark:
            words = {"problem": problem, "line": mark.line + 1 + offset, "column": mark.column + 1}
            return _what(
                what, gettext("the file is not valid YAML: %(problem)s (line %(line)d, column %(column)d)") % words,
                gettext("the front matter is not valid YAML: %(problem)s (line %(line)d, column %(column)d)") % words,
            )
        error = problem
    words = {"problem": error}
    return _what(what, gettext("the file is not valid YAML: %(problem)s") % words,
                 gettext("the front matter is not valid YAML: %(problem)s") % words)
