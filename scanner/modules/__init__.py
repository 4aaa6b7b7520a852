"""Discovery modules: one per kind of source, each yielding observations and nothing about AI."""
