"""Project comments now live in the discussions app (``comments.Comment``; copied there by
``comments.0002``): the old model goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("budgeting", "0004_bounded_numbers"),
        ("comments", "0002_copy_proposal_and_project_comments"),
    ]

    operations = [
        migrations.DeleteModel(name="Comment"),
    ]
