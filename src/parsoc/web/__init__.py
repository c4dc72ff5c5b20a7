"""The Django shell around parsoc's pure core: settings, and one app per domain."""
