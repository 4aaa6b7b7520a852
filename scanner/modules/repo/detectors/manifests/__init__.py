"""Manifests and lock files, one module per ecosystem; each yields PackageUse with the line it is on."""
