"""Documents for people: scope drafts, the HTML inventory report, rendered from the templates in reports/."""
