"""Web app for balanced job complexes: tasks, rating rounds, composing jobs (core: parsoc.work)."""
