"""Import statements per language, as CodeReference(kind="import") with the matcher's language key."""
