"""Photos stored before photos were re-encoded kept the uploader's bytes and file extension
(a PNG named ``p.html`` was served as a page). Put each through ``photos.reencode`` under a new
name; remove any we cannot read. Nothing to undo."""

from django.db import migrations


def rewrite(apps, schema_editor):
    from parsoc.web.accounts.photos import rewrite_stored

    rewrite_stored(apps.get_model("accounts", "User").objects.using(schema_editor.connection.alias))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_login_throttle_counts_attempts"),
    ]

    operations = [
        migrations.RunPython(rewrite, migrations.RunPython.noop),
    ]
