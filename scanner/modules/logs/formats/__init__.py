"""Log formats. Each knows how to recognise its lines and how to read one line into host evidence."""
