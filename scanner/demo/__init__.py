"""`shadowai demo`: a small, realistic environment built in a temporary folder, scanned end to end."""
