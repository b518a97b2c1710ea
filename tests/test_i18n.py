"""Waymark in Spanish: the language chosen (browser, footer, account), and a
Spanish catalogue that is complete and compiled."""

from __future__ import annotations

import ast
import io
import tokenize
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def _html_lang(response) -> str:
    page = response.content.decode()
    start = page.index("<html lang=\"") + len("<html lang=\"")
    return page[start : page.index('"', start)]


# --- The browser's language ------------------------------------------------------


def test_it_serves_the_sign_in_page_in_spanish_to_a_spanish_browser(client):
    response = client.get(reverse("account_login"), **SPANISH)
    assert response.status_code == 200
    assert _html_lang(response) == "es"
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    page = response.content.decode()
    assert "<title>Iniciar sesión · Waymark</title>" in page
    assert "Retoma tus hojas de ruta donde las dejaste." in page
    assert "Mantener la sesión iniciada" in page  # a form label from Python
    assert "¿Olvidaste tu contraseña?" in page  # allauth's own text, in our voice ("tú")
    assert "¿Ha olvidado su contraseña?" not in page
    assert "Idioma" in page  # the footer's switcher
    assert "Pick up your roadmaps" not in page and "Keep me signed in" not in page


def test_it_serves_english_to_an_english_browser_and_by_default(client):
    for headers in (ENGLISH, {}, {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}):
        response = client.get(reverse("account_login"), **headers)
        assert _html_lang(response) == "en", headers
        assert "Pick up your roadmaps where you left off." in response.content.decode()


# --- The footer's switcher -------------------------------------------------------


def test_it_offers_a_switcher_that_posts_with_csrf_and_the_current_page(client):
    page = client.get(reverse("roadmaps:catalogue") + "?q=python").content.decode()
    form = page[page.index('<form class="language-switcher') : ]
    form = form[: form.index("</form>")]
    assert f'action="{reverse("set_language")}"' in form and 'method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'name="next" value="/roadmaps/?q=python"' in form
    assert '<option value="es" lang="es">Español</option>' in form
    assert '<option value="en" lang="en" selected>English</option>' in form
    assert 'type="submit"' in form  # no JavaScript needed


def test_it_switches_language_and_goes_back_without_javascript(client):
    back = reverse("roadmaps:catalogue")
    response = client.post(reverse("set_language"), {"language": "es", "next": back}, **ENGLISH)
    assert response.status_code == 302 and response["Location"] == back
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    # The choice beats the browser's English from then on.
    assert _html_lang(client.get(back, **ENGLISH)) == "es"
    client.post(reverse("set_language"), {"language": "en", "next": back}, **SPANISH)
    assert _html_lang(client.get(back, **SPANISH)) == "en"


def test_it_refuses_an_unknown_language_and_an_outside_next(client):
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_it_refuses_a_get_to_the_switcher(client):
    response = client.get(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_it_needs_the_csrf_token_to_switch(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_it_saves_the_footer_choice_to_a_signed_in_account(client):
    user = make_user("lang@example.com")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"


def test_it_leaves_the_account_alone_when_the_choice_is_refused(client):
    user = make_user("lang@example.com", language="es")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es"


# --- The account's language --------------------------------------------------------


def test_it_lets_the_saved_language_win_over_the_browser(client):
    user = make_user("lang@example.com", language="es")
    client.force_login(user)
    response = client.get(reverse("accounts:settings"), **ENGLISH)
    assert _html_lang(response) == "es"
    assert response["Content-Language"] == "es"


def test_it_lets_the_saved_language_win_over_the_footer_cookie(client):
    user = make_user("lang@example.com", language="en")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert _html_lang(client.get(reverse("accounts:settings"), **SPANISH)) == "en"


def test_it_follows_the_browser_while_no_language_is_saved(client):
    user = make_user("lang@example.com")
    assert user.language == ""
    client.force_login(user)
    assert _html_lang(client.get(reverse("accounts:settings"), **SPANISH)) == "es"
    assert _html_lang(client.get(reverse("accounts:settings"), **ENGLISH)) == "en"


def test_it_saves_the_language_in_account_settings(client):
    user = make_user("lang@example.com")
    client.force_login(user)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert 'name="language"' in page and "Follow my browser" in page
    data = {"display_name": "", "time_zone": "UTC", "weekly_hours_goal": "10", "digest_weekday": "0",
            "handle": "", "language": "es"}
    response = client.post(reverse("accounts:settings"), data, **ENGLISH)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "es"
    assert _html_lang(client.get(response["Location"], **ENGLISH)) == "es"
    client.post(reverse("accounts:settings"), {**data, "language": ""})
    user.refresh_from_db()
    assert user.language == ""


def test_it_refuses_an_unknown_language_in_account_settings(client):
    user = make_user("lang@example.com", language="es")
    client.force_login(user)
    data = {"display_name": "", "time_zone": "UTC", "weekly_hours_goal": "10", "digest_weekday": "0",
            "handle": "", "language": "fr"}
    response = client.post(reverse("accounts:settings"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["language"]
    user.refresh_from_db()
    assert user.language == "es"


def test_it_does_not_read_the_session_of_a_request_without_one(client):
    # A calendar client or a first visit sends no cookie: the language comes
    # from Accept-Language alone and the response does not vary on cookies.
    response = client.get(reverse("healthz"))
    assert "Cookie" not in response.get("Vary", "")


# --- The catalogue ---------------------------------------------------------------


def test_the_spanish_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE / "django.po"))
    assert catalogue.metadata["Language"] == "es"
    assert not catalogue.metadata_is_fuzzy
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 0


def test_the_spanish_catalogue_keeps_every_placeholder():
    catalogue = polib.pofile(str(CATALOGUE / "django.po"))
    for entry in catalogue.translated_entries():
        for source, translation in _pairs(entry):
            for placeholder in _placeholders(source):
                assert placeholder in translation, (entry.msgid, placeholder)


def test_the_compiled_catalogue_matches_the_po():
    def messages(catalogue) -> dict:
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            for entry in catalogue
            if not entry.obsolete
        }

    po = messages(polib.pofile(str(CATALOGUE / "django.po")))
    mo = messages(polib.mofile(str(CATALOGUE / "django.mo")))
    assert po == mo, "run: manage.py compilemessages -l es --ignore=.venv --ignore=node_modules"


def _pairs(entry):
    if entry.msgid_plural:
        return [(entry.msgid, entry.msgstr_plural[0]), (entry.msgid_plural, entry.msgstr_plural[1])]
    return [(entry.msgid, entry.msgstr)]


def _placeholders(text: str) -> set[str]:
    import re

    return set(re.findall(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}", text))


# --- Emails in the recipient's language ------------------------------------------


def test_it_sends_a_nudge_in_the_members_language_not_the_senders(client, settings):
    from django.core import mail

    from tests.groups_helpers import add_member, make_group

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    organiser = make_user("org@example.com", display_name="Olga")
    member = add_member(make_group(organiser, name="Club Rust"), make_user("mem@example.com", language="es"))
    client.force_login(organiser)
    response = client.post(
        reverse("groups:nudge", args=[member.group_id, member.pk]), {"message": "¡Ánimo!"}, follow=True, **ENGLISH
    )
    assert "Nudge sent to" in response.content.decode()  # the page: the organiser's English
    [message] = mail.outbox
    assert message.subject == "Olga te ha dado un empujón en Club Rust"
    assert "te ha dado un empujón" in message.body and "sent you a nudge" not in message.body
    assert '<html lang="es">' in message.alternatives[0][0]


def test_it_sends_the_retrospective_reminder_in_each_learners_language(settings):
    from datetime import timedelta

    from django.core import mail
    from django.core.management import call_command

    from progress.schedule import local_today
    from tests.factories import make_roadmap
    from tests.progress_helpers import make_enrolment

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for email, language in (("es@example.com", "es"), ("en@example.com", ""), ("set-en@example.com", "en")):
        user = make_user(email, language=language)
        make_enrolment(user, make_roadmap(), start_date=local_today(user.time_zone) - timedelta(weeks=5))
    call_command("send_retrospective_reminders", stdout=StringIO())
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["es@example.com"].subject.startswith("Hora de mirar atrás: ")
    assert sent["es@example.com"].subject.endswith(", semanas 3–4")
    assert "Tómate diez minutos para mirar atrás" in sent["es@example.com"].body
    assert '<html lang="es">' in sent["es@example.com"].alternatives[0][0]
    for english in ("en@example.com", "set-en@example.com"):
        assert sent[english].subject.startswith("Time to look back: ")
        assert "Take ten minutes to look back" in sent[english].body


def test_it_signs_in_in_spanish_and_then_follows_the_account(client):
    from allauth.account.models import EmailAddress

    user = make_user("ana@example.com", password="a-long-test-password")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    wrong = client.post(reverse("account_login"), {"login": user.email, "password": "nope"}, **SPANISH)
    assert "La dirección de correo o la contraseña no son correctas." in wrong.content.decode()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-test-password"}, follow=True, **SPANISH
    )
    assert "Has iniciado sesión como" in response.content.decode()
    # Saving English in the account wins over the Spanish browser from then on.
    user.language = "en"
    user.save(update_fields=["language"])
    assert _html_lang(client.get(reverse("accounts:settings"), **SPANISH)) == "en"


# --- What makemessages would extract, without gettext installed -------------------
# `makemessages` needs GNU gettext, which neither `make run` nor CI installs.
# This reads the same sources the same way (Django's own templatize for
# templates, the tokenizer for Python, xgettext's keywords for Django) and
# finds the same messages: on this tree, exactly the .po's entries.

KEYWORDS = {  # name: (context argument, msgid argument)
    "_": (None, 0), "gettext": (None, 0), "gettext_lazy": (None, 0), "gettext_noop": (None, 0),
    "ngettext": (None, 0), "ngettext_lazy": (None, 0),
    "pgettext": (0, 1), "pgettext_lazy": (0, 1), "npgettext": (0, 1), "npgettext_lazy": (0, 1),
}
NOT_SCANNED = {"node_modules", "staticfiles"}  # as `makemessages --ignore`; dot-folders too, as Django does


def _calls(source: str, origin: Path):
    try:
        tokens = [
            token for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
        ]
    except (tokenize.TokenError, SyntaxError) as error:
        raise AssertionError(f"{origin}: cannot be read for messages ({error})") from error
    for index, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS or tokens[index + 1].string != "(":
            continue
        arguments, parts = [], []
        for argument_token in tokens[index + 2 :]:
            if argument_token.type == tokenize.STRING:
                prefix = argument_token.string[: argument_token.string.index(argument_token.string[-1])]
                parts.append(None if "f" in prefix.lower() else ast.literal_eval(argument_token.string))
            elif argument_token.string in (",", ")"):
                literal = parts and all(isinstance(part, str) for part in parts)
                arguments.append("".join(parts) if literal else None)
                parts = []
                if argument_token.string == ")":
                    break
            else:
                parts.append(None)  # not a plain string literal: xgettext skips it too
        yield token.string, arguments


def _extracted_messages() -> set[tuple[str | None, str]]:
    from django.utils.translation.template import templatize

    base = Path(settings.BASE_DIR)
    found = set()
    for path in sorted(base.rglob("*")):
        parts = path.relative_to(base).parts
        if any(part.startswith(".") or part in NOT_SCANNED for part in parts) or not path.is_file():
            continue
        if path.suffix == ".py":
            source = path.read_text()
        elif path.suffix in (".html", ".txt"):
            # templatize writes each message on one line: indentation means
            # nothing here and would only trip the tokenizer.
            source = "\n".join(line.strip() for line in templatize(path.read_text(), origin=str(path)).splitlines())
        else:
            continue
        for name, arguments in _calls(source, path):
            context_at, msgid_at = KEYWORDS[name]
            if len(arguments) > msgid_at and arguments[msgid_at] is not None:
                found.add((arguments[context_at] if context_at is not None else None, arguments[msgid_at]))
    return found


def test_the_spanish_catalogue_has_every_marked_string():
    catalogue = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(CATALOGUE / "django.po"))
                 if not entry.obsolete}
    missing = sorted(_extracted_messages() - catalogue, key=str)
    assert missing == [], (
        "run: manage.py makemessages -l es --ignore=node_modules --ignore=staticfiles, translate, "
        "then manage.py compilemessages -l es --ignore=.venv --ignore=node_modules"
    )


def test_the_extractor_finds_template_and_python_messages(tmp_path):
    # The test above is only as good as the extractor: it must see what
    # makemessages sees, including blocktranslate with a count and a context.
    source = tmp_path / "page.html"
    source.write_text(
        '{% load i18n %}<p>\n    {% translate "Hello" %}</p>{% blocktranslate count n=x %}{{ n }} day'
        '{% plural %}{{ n }} days{% endblocktranslate %}{% translate "May" context "month" %}'
    )
    from django.utils.translation.template import templatize

    text = "\n".join(line.strip() for line in templatize(source.read_text(), origin=str(source)).splitlines())
    found = {(name, tuple(arguments[:2])) for name, arguments in _calls(text, source)}
    assert ("gettext", ("Hello",)) in found
    assert ("ngettext", ("%(n)s day", "%(n)s days")) in found
    assert ("pgettext", ("month", "May")) in found
    python = 'label = _("Time " "zone")\nhelp = gettext_lazy(f"not {x}")\n'
    assert list(_calls(python, tmp_path / "x.py")) == [("_", ["Time zone"]), ("gettext_lazy", [None])]


def test_it_sends_allauth_emails_in_the_language_of_the_page(client, settings):
    from allauth.account.models import EmailAddress
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = make_user("ana@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(reverse("account_reset_password"), {"email": user.email}, **SPANISH)
    [message] = mail.outbox
    assert message.subject.endswith("Restablece tu contraseña de Waymark")
    assert message.body.startswith("Hola, te escribimos desde Waymark:")
    assert "Elige una contraseña nueva con este enlace:" in message.body


def test_the_retrospective_facts_read_the_same_in_english_and_with_a_decimal_comma_in_spanish():
    from django.template.loader import render_to_string
    from django.utils import translation

    facts = {
        "hours_logged": "12.5", "hours_planned": "20.0", "hours_per_week": "10.0", "computed_on": "2026-12-02",
        "items_completed": 3, "items_skipped": 0, "projects_count": 0, "daily_streak": 2, "weekly_streak": 1,
        "pace": {"status": "behind", "label": "Behind", "hours_off": "2.5"},
        "repairs": [{"made_on": "2026-11-20", "label": "Moved the finish date", "hours_per_week": "7.5",
                     "finish": "2027-03-01"}],
    }
    with translation.override("en"):
        english = render_to_string("retrospectives/includes/facts.html", {"facts": facts})
    with translation.override("es"):
        spanish = render_to_string("retrospectives/includes/facts.html", {"facts": facts})
    assert "12.5 <span" in english and "of 20.0 planned" in english and "Planned: 10.0 h a week" in english
    assert "7.5 h a week, finish 1 Mar 2027" in english and "2 days" in english and "Behind" in english
    assert '<time datetime="2026-11-20">20 Nov 2026</time>' in english
    assert 'Figures as of <time datetime="2026-12-02">2 Dec 2026</time>.' in english
    assert "12,5 <span" in spanish and "de 20,0 planificadas" in spanish
    assert "Planificado: 10,0 h a la semana" in spanish
    assert "7,5 h a la semana" in spanish and "2 días" in spanish and "Con retraso" in spanish
    assert "1 mar 2027" in spanish and '<time datetime="2026-12-02">2 dic 2026</time>' in spanish
    assert "Se movió la fecha de fin" in spanish  # a label kept in English in the snapshot
