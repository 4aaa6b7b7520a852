"""`shadowai scan slack`: approved apps and app requests (Enterprise Grid) and the integration log of a Slack
workspace or org, as OAuth grants matched against the catalogue."""
