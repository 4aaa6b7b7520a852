"""OAuth facts shared by the SaaS modules, the matcher and the views: how much data a scope reaches (a risk tier
per platform), and which apps outside the catalogue are worth a reviewer's look for their scopes alone."""
