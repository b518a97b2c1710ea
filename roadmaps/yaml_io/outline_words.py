"""What an outline's words mean (roadmaps.yaml_io.outline reads the
Markdown; this module reads the words in it): hours and weeks in a title,
the headings that name advice, the roadmap's own lists, a step's kinds of
item and the stages of a journey, in English and Spanish; and the Markdown
marks the reader looks for (a bold label, a task list's box)."""

from __future__ import annotations

import html
import re
from decimal import Decimal, InvalidOperation

from markdown_it import MarkdownIt

# The words an outline is read by, in English and Spanish (a roadmap's own
# language may be either).
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_UNIT = r"(?:h|hrs?|hours?|horas?)\b"
_WEEKS = r"(?:weeks?|wks?|semanas?)"
HOURS_IN_BRACKETS = re.compile(rf"\s*\(\s*~?{_NUMBER}\s*{_UNIT}\s*\)", re.IGNORECASE)
HOURS_AFTER_DASH = re.compile(rf"\s*[—–-]\s*~?{_NUMBER}\s*{_UNIT}\s*$", re.IGNORECASE)
WEEK_RANGE = re.compile(rf"\s*\(\s*{_WEEKS}\s+(\d+)\s*[-–—]\s*(\d+)\s*\)", re.IGNORECASE)
WEEKS_IN_BRACKETS = re.compile(rf"\s*\(\s*(\d+)\s*{_WEEKS}\s*\)", re.IGNORECASE)
WEEKS_AFTER_DASH = re.compile(rf"\s*[—–-]\s*(\d+)\s*{_WEEKS}\s*$", re.IGNORECASE)
# "## Tips" and the like hold advice, read into the roadmap's guidance lists.
GUIDANCE_HEADINGS = {
    "tips": "tips", "tip": "tips", "consejos": "tips",
    "common mistakes": "mistakes", "mistakes": "mistakes", "common pitfalls": "mistakes", "pitfalls": "mistakes",
    "errores comunes": "mistakes", "errores frecuentes": "mistakes",
    "quick wins": "quick_wins", "leverage": "leverage", "leverage moves": "leverage",
    "next steps": "next_steps", "what next": "next_steps", "where to go next": "next_steps",
    "próximos pasos": "next_steps", "siguientes pasos": "next_steps",
}
# "## Prerequisites", "## What you'll learn": the roadmap's own lists, not steps.
ROADMAP_LIST_HEADINGS = {
    "prerequisites": "prerequisites", "requirements": "prerequisites", "before you start": "prerequisites",
    "before you begin": "prerequisites", "what you need": "prerequisites", "you will need": "prerequisites",
    "requisitos": "prerequisites", "requisitos previos": "prerequisites", "antes de empezar": "prerequisites",
    "lo que necesitas": "prerequisites", "readiness check": "prerequisites", "are you ready": "prerequisites",
    "¿estás listo": "prerequisites", "comprobación previa": "prerequisites",
    "outcomes": "outcomes", "learning outcomes": "outcomes", "what you'll learn": "outcomes",
    "what you will learn": "outcomes", "you will be able to": "outcomes",
    "lo que aprenderás": "outcomes", "resultados de aprendizaje": "outcomes",
}
# A table of contents, and the sections of a repository's README that are
# about the repository (who made it, how to contribute): not the roadmap.
CONTENTS_HEADINGS = frozenset({
    "contents", "table of contents", "toc", "índice", "indice", "contenido", "contenidos", "tabla de contenidos",
    "tabla de contenido",
})
REPOSITORY_HEADINGS = frozenset({
    "license", "licence", "licensing", "contributing", "contribute", "how to contribute", "contributors",
    "contribution", "contributions", "code of conduct", "team", "the team", "author", "authors", "maintainers",
    "acknowledgements", "acknowledgments", "credits", "sponsors", "star history", "stargazers", "changelog",
    "licencia", "contribuir", "cómo contribuir", "contribuciones", "colaboradores", "autor", "autores",
    "agradecimientos", "código de conducta", "equipo", "créditos",
})
SEPARATOR = re.compile(r"\s+[—–-]\s+|:\s+")
# A step's text that states its length ("📅 Estimated Time: 2-4 weeks",
# "**Effort estimate:** ~120 hours") when its heading does not: the longer end.
DURATION_TEXT = re.compile(
    rf"(?:estimated time|duration|timeframe|time needed|duración|tiempo estimado)\W*~?(\d+)"
    rf"(?:\s*(?:[-–—]|to|a)\s*(\d+))?\s*{_WEEKS}", re.IGNORECASE,
)
EFFORT_TEXT = re.compile(
    rf"(?:effort(?: estimate)?|estimated effort|esfuerzo(?: estimado)?)\W*~?{_NUMBER}\s*{_UNIT}", re.IGNORECASE
)
# A paragraph that is only a bold label ("**Linked resources:**") heads the
# list under it, as a `###` would; "**Goal:** text" stays text.
BOLD_LABEL = re.compile(r"^\*\*([^*\n]{1,120}?):?\*\*:?\s*$")
LABEL_LEVEL = 9  # deeper than any heading: never a phase
TAGS = re.compile(r"<[^>]*>")
# A `###` that names a stage of a journey ("Phase 1: …", "Week 3 — …").
STEP_LIKE = re.compile(
    r"^(?:phase|stage|step|part|module|level|month|week|unit|milestone|sprint|chapter"
    r"|fase|etapa|paso|parte|m[óo]dulo|nivel|mes|semana|unidad|hito|cap[íi]tulo)\s*\d+\b", re.IGNORECASE
)
STEP_NUMBER = re.compile(r"^\d{1,3}[.)]\s+(?=\S)")
# "(6 Weeks | ~120 hours)": several facts in one pair of brackets.
FACTS_IN_BRACKETS = re.compile(r"\(([^()]*[|;·,][^()]*)\)")
# What a step's list holds, by the heading (or bold label) over it; any other
# heading's items are topics. Checked in this order: "Deliverable / Checkpoint" is a project.
KIND_HEADINGS = (
    ("projects", re.compile(r"\b(?:projects?|deliverables?|capstone|proyectos?|entregables?)\b", re.IGNORECASE)),
    ("checkpoints", re.compile(
        r"\b(?:checkpoints?|milestones?|progress signals?|self[- ]check|hitos?|puntos? de control)\b", re.IGNORECASE
    )),
    ("resources", re.compile(
        r"\b(?:resources?|references?|materials?|links|(?:further|recommended|suggested) reading"
        r"|recursos?|referencias|materiales|enlaces|lecturas? recomendadas?)\b", re.IGNORECASE
    )),
)
# A step heading that is one of these alone gives its items that kind.
KIND_NAMES = frozenset({
    "projects", "project", "deliverables", "proyectos", "proyecto", "entregables",
    "resources", "references", "further reading", "materials", "links", "recursos", "referencias",
    "lecturas recomendadas", "materiales", "enlaces",
    "checkpoints", "milestones", "progress signals", "hitos", "puntos de control",
})
# A GitHub task list's box ("- [ ] Learn Git", "- [x] …"), common in roadmap READMEs.
TASK_BOX = re.compile(r"^\s*\[[ xX]\]\s+")


HTML_HEADING = re.compile(r"<h([1-3])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)


HTML_LABEL = re.compile(r"<(summary|h[1-6]|strong|b)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)


def html_heading(block: str) -> str | None:
    """The words of an HTML block that is only a name: "<details><summary>Week 1</summary>",
    "<h3>Tools</h3>"; None when it holds anything else."""
    match = HTML_LABEL.search(block)
    if not match:
        return None
    words = " ".join(html.unescape(TAGS.sub(" ", match.group(2))).split())
    rest = TAGS.sub(" ", block[: match.start()] + block[match.end():])
    return words if words and not rest.strip() else None


def title_in_html(block: str) -> tuple[str, str] | None:
    """The heading in an HTML block ("<div align=center><img…><h1>Name</h1>
    <p>Tagline</p></div>", the way READMEs open) and the block's other
    words; None when it holds no heading."""
    match = HTML_HEADING.search(block)
    title = " ".join(html.unescape(TAGS.sub(" ", match.group(2))).split()) if match else ""
    if not title:
        return None
    rest = html.unescape(TAGS.sub(" ", block[: match.start()] + " " + block[match.end():]))
    return title, " ".join(rest.split())


IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
EMPTY_LINK = re.compile(r"\[\s*\]\([^)]*\)")
LINE_MARKS = re.compile(r"^\s*(?:>\s?|#{1,6}\s+)", re.MULTILINE)  # a quote's or a heading's


_inline_markdown = MarkdownIt("commonmark")


def plain_text(block: str) -> str:
    """A paragraph's words without its Markdown ("**required**" -> "required",
    a link -> its words), for the summaries, which are plain text; without a
    quote's or a heading's mark."""
    rendered = _inline_markdown.renderInline(LINE_MARKS.sub("", block))
    return " ".join(html.unescape(TAGS.sub("", rendered)).split())


def is_decoration(block: str) -> bool:
    """Badges, a banner image, an HTML comment: nothing to read once the
    images (and the links around them) are gone."""
    rest = EMPTY_LINK.sub("", IMAGE.sub("", TAGS.sub("", block)))
    return not re.sub(r"[\W_]+", "", rest)


# The roadmap's own length in its introduction: "**Duration & expected weekly
# hours:** 24 Weeks | Aim for ~20 hours/week"; a label, then a few words.
ROADMAP_WEEKS = re.compile(
    rf"(?:duration|estimated time|timeframe|time needed|total time|length|duración|tiempo estimado)"
    rf"[^\n\d]{{0,40}}?~?(\d+)(?:\s*(?:[-–—]|to|a)\s*(\d+))?\s*{_WEEKS}", re.IGNORECASE,
)
WEEKLY_HOURS = re.compile(
    r"~?(\d+)(?:\s*[-–—]\s*(\d+))?\s*(?:hours?|hrs?|h|horas?)\s*(?:/|per|a|each|por|a la|cada)\s*(?:week|wk|semana)\b",
    re.IGNORECASE,
)


def roadmap_figures(text: str) -> tuple[int | None, int | None]:
    """The weeks and the weekly hours an introduction states (a range's upper
    end), each None when it states none or an impossible one."""
    weeks = stated(ROADMAP_WEEKS, [text], int)
    hours = stated(WEEKLY_HOURS, [text], int)
    return (weeks if weeks is not None and 1 <= weeks <= 32767 else None,
            hours if hours is not None and 1 <= hours <= 168 else None)


# "**Metrics to monitor:**" over "- **Job applications:** …": the numbers a
# learner counts for themselves, not things to tick off.
METRIC_HEADINGS = frozenset({
    "metrics", "metrics to monitor", "metrics to track", "metrics to watch", "tracked metrics", "metrics to count",
    "what to track", "what to count", "what to measure", "numbers to track", "numbers to watch",
    "métricas", "métricas a seguir", "qué medir", "qué contar",
})
# "## Sample weekly flow" holding "- **Monday:** …" items: the roadmap's schedule.
SCHEDULE_HEADING = re.compile(
    r"\b(?:weekly (?:flow|schedule|plan|routine)|sample (?:week|schedule|flow|day)|schedule|timetable"
    r"|study plan|daily plan|week by week|horario|plan semanal|semana tipo|calendario de estudio)\b",
    re.IGNORECASE,
)
DAYS = {
    "mon": "mon", "monday": "mon", "tue": "tue", "tues": "tue", "tuesday": "tue", "wed": "wed", "wednesday": "wed",
    "thu": "thu", "thur": "thu", "thurs": "thu", "thursday": "thu", "fri": "fri", "friday": "fri",
    "sat": "sat", "saturday": "sat", "sun": "sun", "sunday": "sun", "weekend": "weekend", "weekends": "weekend",
    "weekdays": "weekdays", "daily": "daily", "every day": "daily",
    "lunes": "mon", "martes": "tue", "miércoles": "wed", "miercoles": "wed", "jueves": "thu", "viernes": "fri",
    "sábado": "sat", "sabado": "sat", "domingo": "sun", "fin de semana": "weekend", "entre semana": "weekdays",
    "cada día": "daily", "a diario": "daily",
}
DAY_PREFIX = re.compile(
    r"^(" + "|".join(sorted(map(re.escape, DAYS), key=len, reverse=True)) + r")\b\.?\s*(?:[:—–-]\s*)?(.*)$",
    re.IGNORECASE | re.DOTALL,
)
WEEK_NUMBER = re.compile(r"\b(?:week|semana)\s*(\d{1,4})\b", re.IGNORECASE)


def to_number(text: str) -> Decimal | str:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the patterns only match digits
        return text


def take_hours(text: str) -> tuple[str, Decimal | str | None]:
    """"Topic (2h)" or "Topic — 2 h" -> ("Topic", Decimal("2"))."""
    for pattern in (HOURS_IN_BRACKETS, HOURS_AFTER_DASH):
        match = pattern.search(text)
        if match:
            return (text[: match.start()] + text[match.end():]).strip(), to_number(match.group(1))
    return text.strip(), None


def take_weeks(text: str) -> tuple[str, int | None]:
    """"Foundations (Weeks 1-4)" -> ("Foundations", 4); "(3 weeks)", "— 3 weeks" too."""
    match = WEEK_RANGE.search(text)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        rest = (text[: match.start()] + text[match.end():]).strip()
        return rest, (last - first + 1 if last >= first else None)
    for pattern in (WEEKS_IN_BRACKETS, WEEKS_AFTER_DASH):
        match = pattern.search(text)
        if match:
            return (text[: match.start()] + text[match.end():]).strip(), int(match.group(1))
    return text.strip(), None


def stated(pattern: re.Pattern, blocks: list[str], number):
    """The figure the first of `blocks` that `pattern` finds states (a range's upper end), or None."""
    for block in blocks:
        match = pattern.search(block)
        if match:
            return number(match.group(match.lastindex))
    return None


def facts(text: str) -> str:
    """"(6 Weeks | ~120 hours)" -> "(6 Weeks) (~120 hours)", which take_weeks
    and take_hours read; brackets holding anything else stay as written."""
    def split(match: re.Match) -> str:
        parts = [f"({part.strip()})" for part in re.split(r"[|;·,]", match.group(1))]
        if all(take_weeks(part)[1] is not None or take_hours(part)[1] is not None for part in parts):
            return " ".join(parts)
        return match.group(0)

    return FACTS_IN_BRACKETS.sub(split, text)


def heading_name(heading: str) -> str:
    """A heading as the tables above spell it: lower case, without leading
    symbols (an emoji), a trailing colon or doubled spaces."""
    return " ".join(re.sub(r"^[^\w]+", "", heading.lower().replace("’", "'")).strip(" :").split())


def guidance_kind(name: str) -> str | None:
    """The guidance list a `##` heading names: "Tips", or one that holds
    such a name ("Quick wins & leverage moves" -> quick wins)."""
    if name in GUIDANCE_HEADINGS:
        return GUIDANCE_HEADINGS[name]
    words = " " + re.sub(r"[^\w']+", " ", name) + " "
    return next((kind for phrase, kind in GUIDANCE_HEADINGS.items() if len(phrase.split()) > 1
                 and f" {phrase} " in words), None)


def kind_of(heading: str) -> str:
    """Where the items under `heading` go in a step: "topics" unless it names
    resources, projects or checkpoints."""
    return next((kind for kind, pattern in KIND_HEADINGS if pattern.search(heading)), "topics")


def step_like(heading: str) -> bool:
    return bool(STEP_LIKE.match(heading)) or take_weeks(facts(heading))[1] is not None
