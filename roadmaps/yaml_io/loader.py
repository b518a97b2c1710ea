"""Reading a file's text into plain Python data, safely and strictly.

PyYAML's SafeLoader silently keeps the last of two equal mapping keys; a
roadmap file that says `hours:` twice is almost certainly a mistake, so it is
reported with the path of the mapping. Anchors and aliases are refused:
roadmap files have no use for them, and they are how a small file expands
into a huge document.
"""

from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roadmaps.yaml_io.errors import RoadmapImportError, format_loc

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


def _check_nodes(node: Node, loc: list[str | int], seen: set[int]) -> tuple[str, str] | None:
    """The path and problem of the first repeated mapping key or alias, if any.

    An alias is the same node reached a second time; refusing them keeps a
    small file from expanding into a huge document.
    """
    if id(node) in seen:
        line = node.start_mark.line + 1
        return format_loc(loc), f"anchors and aliases (*name) are not supported (line {line})"
    seen.add(id(node))
    if isinstance(node, MappingNode):
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in first_line:
                    return (
                        format_loc(loc),
                        f"duplicate key {key_node.value!r} (lines {first_line[key_node.value]} and {line})",
                    )
                first_line[key_node.value] = line
            found = _check_nodes(value_node, [*loc, str(key_node.value)], seen)
            if found:
                return found
    elif isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            found = _check_nodes(child, [*loc, index], seen)
            if found:
                return found
    return None


def load_yaml(text: str, *, source: str, what: str = "file") -> object:
    """Parse one YAML document; any problem is a RoadmapImportError."""
    loader = StrictSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RoadmapImportError(source, "", f"the {what} is empty")
        problem = _check_nodes(node, [], set())
        if problem:
            raise RoadmapImportError(source, *problem)
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise RoadmapImportError(source, "", _describe(error, what)) from None
    except RecursionError:
        raise RoadmapImportError(source, "", f"the {what} is nested too deeply") from None
    finally:
        loader.dispose()


def _describe(error: yaml.YAMLError, what: str) -> str:
    if isinstance(error, yaml.MarkedYAMLError):
        problem = error.problem or error.context or "invalid YAML"
        if "expected a single document" in str(error):
            problem = "holds more than one YAML document"
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return f"the {what} is not valid YAML: {problem}{where}"
    return f"the {what} is not valid YAML: {error}"
