"""Use cases: each runs one command end to end (plan, apply, rollback, cut), calling the adapters for
every side effect and the pure core for every decision."""
