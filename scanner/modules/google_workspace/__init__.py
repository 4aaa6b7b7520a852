"""`shadowai scan google`: third-party OAuth apps that Google Workspace users authorised."""
