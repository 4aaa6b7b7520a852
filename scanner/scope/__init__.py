"""Scopes: which findings belong to an AI management system's scope, and the scope draft built from them."""
