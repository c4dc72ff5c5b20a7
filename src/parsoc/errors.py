"""Errors a user can cause, shared by every domain.

A core function raises :class:`InputError` (a ``ValueError``) when its input is wrong; the
shells turn it into a form error, a 4xx JSON answer, or one line and exit status 2 on the
command line. Anything else that escapes is a bug.
"""


class InputError(ValueError):
    """The input is wrong; the message says what and where, in words a user can act on."""
