"""The embedded SQLite database: Django's SQLite backend with writers queued in order
(``base``, the ``ENGINE``) and a private database file in WAL mode (``files``)."""
