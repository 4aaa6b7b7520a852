"""Turn observations into findings using indexes compiled from the catalogue."""
