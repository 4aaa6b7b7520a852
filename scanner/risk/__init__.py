"""The AI risk register: one row per AI service in use and per unknown AI finding, merged with the owner's."""
