from django.db import migrations

TEMPLATES = [
    (
        "How-to guide",
        "Steps to get one task done, with what you need first.",
        "## Goal\n\nWhat this guide helps you do, in one sentence.\n\n## Before you start\n\n- [ ] Access you need\n"
        "- [ ] Tools to install\n\n## Steps\n\n1. First step.\n2. Second step.\n3. Check that it worked.\n\n"
        "## If something goes wrong\n\n| Symptom | What to do |\n|---|---|\n| | |\n\n## See also\n\n- [[Related page]]\n",
    ),
    (
        "Meeting notes",
        "Who was there, what was decided, who does what next.",
        "**Date:** \n**Present:** \n\n## Agenda\n\n1. \n\n## Notes\n\n## Decisions\n\n- \n\n## Actions\n\n"
        "- [ ] @person — action — due date\n",
    ),
    (
        "Onboarding checklist",
        "A newcomer's first weeks, week by week.",
        "Welcome! Work through this list with your buddy.\n\n## Week 1\n\n- [ ] Meet your team\n"
        "- [ ] Set up your laptop and accounts\n- [ ] Read [[How we work]]\n\n## Week 2\n\n- [ ] Shadow a colleague\n"
        "- [ ] Ship a first small change\n\n## Month 1\n\n- [ ] Agree your learning goals with your manager\n"
        "- [ ] Find a mentor\n\n## People to know\n\n| Who | Ask them about |\n|---|---|\n| | |\n",
    ),
    (
        "Decision record",
        "One decision, its context and its consequences (an ADR).",
        "**Status:** proposed · accepted · superseded\n**Date:** \n**Deciders:** \n\n## Context\n\n"
        "What is the issue that motivates this decision?\n\n## Options considered\n\n1. \n2. \n\n## Decision\n\n"
        "What we will do, and why.\n\n## Consequences\n\nWhat becomes easier or harder because of it.\n",
    ),
]


def add(apps, schema_editor):
    PageTemplate = apps.get_model("wiki", "PageTemplate")
    for name, description, text in TEMPLATES:
        PageTemplate.objects.get_or_create(name=name, defaults={"description": description, "text": text})


def remove(apps, schema_editor):
    PageTemplate = apps.get_model("wiki", "PageTemplate")
    PageTemplate.objects.filter(name__in=[t[0] for t in TEMPLATES], created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("wiki", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
