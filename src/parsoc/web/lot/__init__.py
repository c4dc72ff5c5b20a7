"""Selection by lot in a council: pools of volunteers, quotas, LEXIMIN probabilities, verifiable draws."""
