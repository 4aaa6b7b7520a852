"""The AI-service catalogue: signature files loaded, validated and versioned."""

from scanner.catalogue.loader import Catalogue, builtin_signatures_dir, load_catalogue
from scanner.catalogue.model import Service

__all__ = ["Catalogue", "Service", "builtin_signatures_dir", "load_catalogue"]
