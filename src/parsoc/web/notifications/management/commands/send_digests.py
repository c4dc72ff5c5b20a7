"""``django-admin send_digests``: mail each person their daily digest (run once a day from cron)."""

from django.core.management.base import BaseCommand

from parsoc.web.notifications.services import send_digests


class Command(BaseCommand):
    help = "Mail each person the notices they chose to get in a daily digest (at most one a day)."

    def handle(self, *args, **options):
        done = send_digests()
        self.stdout.write(f"digests: {done['people']} sent ({done['notices']} notices), "
                          f"{done['skipped']} already sent today")
