"""Create the "Editors" group and the global default retrospective prompts.

Both steps are idempotent: running them on a database that already has the
group or prompts changes nothing the operator has edited since.
"""

from django.db import migrations

EDITOR_MODELS = ["roadmap", "step", "item", "pace plan", "guidance", "metric definition", "retrospective prompt", "tag"]

DEFAULT_PROMPTS = [
    "What went well in the last couple of weeks?",
    "What was hard, and how did you get past it — or how will you?",
    "What one thing will you do differently in the weeks ahead?",
    "How does what you are learning now serve the goal you started with?",
    "Whom did you learn with, ask for help, or help yourself?",
]


def create_editors_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure the
    # roadmaps ones exist now so the group can be given them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [
        f"{action}_{model.replace(' ', '')}"
        for model in EDITOR_MODELS
        for action in ("add", "change", "delete", "view")
    ]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="roadmaps", codename__in=codenames))


def create_default_prompts(apps, schema_editor):
    Prompt = apps.get_model("roadmaps", "RetrospectivePrompt")
    if Prompt.objects.filter(roadmap__isnull=True).exists():
        return
    Prompt.objects.bulk_create(
        Prompt(roadmap=None, position=position, text=text) for position, text in enumerate(DEFAULT_PROMPTS, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roadmaps", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_editors_group, migrations.RunPython.noop),
        migrations.RunPython(create_default_prompts, migrations.RunPython.noop),
    ]
