from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations


def name_the_site(apps, schema_editor):
    # allauth signs its e-mails ("[example.com] Password reset") with django.contrib.sites' name.
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(id=settings.SITE_ID, defaults={"name": "Watercooler", "domain": domain})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial"), ("sites", "0002_alter_domain_unique")]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
