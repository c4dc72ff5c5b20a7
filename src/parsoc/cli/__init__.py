"""The ``parsoc`` command line.

One module per domain. A module that defines ``NAME`` and ``app`` (a ``typer.Typer``) is
mounted as ``parsoc NAME ...``; a module may also define ``COMMANDS`` (a dict of name to
function) for top-level commands such as ``parsoc demo``. Raise
:class:`parsoc.errors.InputError` for anything the user got wrong: it becomes one line on
stderr and exit status 2.
"""
