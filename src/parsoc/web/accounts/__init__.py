"""People: sign-up with email confirmation, login with throttling, profiles, API tokens."""
