"""Copy the comments of the two old models (``decisions.Comment`` on proposals and
``budgeting.Comment`` on budget projects) into the one discussion model, keeping authors,
tags, replies and times, and point accepted amendments (``ProposalVersion.amendment``) at the
copies. The old models are removed by the next migrations of their apps."""

from django.db import migrations


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def copy(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    OldProposalComment = apps.get_model("decisions", "Comment")
    OldProjectComment = apps.get_model("budgeting", "Comment")
    ProposalVersion = apps.get_model("decisions", "ProposalVersion")

    new_ids = {}
    if OldProposalComment.objects.exists():
        proposal_type = _content_type(apps, "decisions", "proposal")
        # parents were always written before their replies: id order keeps them first
        for old in OldProposalComment.objects.select_related("proposal").order_by("id").iterator():
            new = Comment.objects.create(
                council_id=old.proposal.council_id, target_type=proposal_type, target_id=old.proposal_id,
                parent_id=new_ids.get(old.parent_id), author_id=old.author_id, tag=old.tag, body=old.body,
            )
            Comment.objects.filter(pk=new.pk).update(created_at=old.created_at)  # auto_now_add
            new_ids[old.pk] = new.pk
        for version in ProposalVersion.objects.filter(amendment__isnull=False).iterator():
            ProposalVersion.objects.filter(pk=version.pk).update(amendment_comment_id=new_ids.get(version.amendment_id))

    if OldProjectComment.objects.exists():
        project_type = _content_type(apps, "budgeting", "project")
        for old in OldProjectComment.objects.select_related("project__process").order_by("id").iterator():
            new = Comment.objects.create(
                council_id=old.project.process.council_id, target_type=project_type, target_id=old.project_id,
                author_id=old.author_id, body=old.body,
            )
            Comment.objects.filter(pk=new.pk).update(created_at=old.created_at)


def copy_back(apps, schema_editor):
    """Going back: the copies of old comments return to their models (new kinds are dropped)."""
    Comment = apps.get_model("comments", "Comment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldProposalComment = apps.get_model("decisions", "Comment")
    OldProjectComment = apps.get_model("budgeting", "Comment")
    ProposalVersion = apps.get_model("decisions", "ProposalVersion")
    old_ids = {}
    for ct in ContentType.objects.filter(app_label__in=["decisions", "budgeting"], model__in=["proposal", "project"]):
        for c in Comment.objects.filter(target_type=ct).order_by("id").iterator():
            if ct.model == "proposal":
                old = OldProposalComment.objects.create(proposal_id=c.target_id, author_id=c.author_id, tag=c.tag,
                                                        body=c.body, parent_id=old_ids.get(c.parent_id))
                OldProposalComment.objects.filter(pk=old.pk).update(created_at=c.created_at)
                old_ids[c.pk] = old.pk
            elif c.author_id is not None:
                old = OldProjectComment.objects.create(project_id=c.target_id, author_id=c.author_id, body=c.body)
                OldProjectComment.objects.filter(pk=old.pk).update(created_at=c.created_at)
    for version in ProposalVersion.objects.filter(amendment_comment__isnull=False).iterator():
        ProposalVersion.objects.filter(pk=version.pk).update(amendment_id=old_ids.get(version.amendment_comment_id))


class Migration(migrations.Migration):

    dependencies = [
        ("comments", "0001_discussions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("decisions", "0005_amendment_as_discussion_comment"),
        ("budgeting", "0004_bounded_numbers"),
    ]

    operations = [migrations.RunPython(copy, copy_back)]
