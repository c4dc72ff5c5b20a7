"""Decisions: consensus with stand-asides and blocks, fallback rules, consent, majorities,
weighted say, delegated votes, polls, secret ballots and a tamper-evident record.

A pure core (no Django): one idea per module, named in the domain's words.

- :mod:`~parsoc.decisions.stances`      stance kinds, versions (a member may change until close)
- :mod:`~parsoc.decisions.rules`        the decision rules and their parameters
- :mod:`~parsoc.decisions.say`          weighted say by affected groups
- :mod:`~parsoc.decisions.outcome`      ``decide(rule, rounds, members, say) -> Outcome``
- :mod:`~parsoc.decisions.delegation`   delegated votes: who votes for whom
- :mod:`~parsoc.decisions.polls`        approval, score and dot-vote tallies
- :mod:`~parsoc.decisions.ranked`       the interface to ranked choice and STV (parsoc.choice)
- :mod:`~parsoc.decisions.secret_ballot` unlinkable ballots with receipts
- :mod:`~parsoc.decisions.record`       the hash-chained event log, its export and verification
"""
