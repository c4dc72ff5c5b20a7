"""Errors a user can cause, shared by every domain.

A core function raises :class:`InputError` (a ``ValueError``) when its input is wrong; the
shells turn it into a form error, a 4xx JSON answer, or one line and exit status 2 on the
command line. Anything else that escapes is a bug.
"""


class InputError(ValueError):
    """The input is wrong; the message says what and where, in words a user can act on.

    ``field`` names the input it is about (a form field, a JSON key, an option), when there is
    one: a page puts the message on that field of its form and the API names it in its answer,
    so neither has to guess it from the message's words. The message still starts with the
    field's name (``"title: a poll needs a title"``) where a person reading one line needs it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
