"""Clients for outside systems: auth, paging, throttling and retries live here, once per system."""
