"""Proposal comments now live in the discussions app (``comments.Comment``; copied there by
``comments.0002``): the old model goes, and an amendment points at the copied comment."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0005_amendment_as_discussion_comment"),
        ("comments", "0002_copy_proposal_and_project_comments"),
    ]

    operations = [
        migrations.RemoveField(model_name="proposalversion", name="amendment"),
        migrations.RenameField(model_name="proposalversion", old_name="amendment_comment", new_name="amendment"),
        migrations.DeleteModel(name="Comment"),
    ]
