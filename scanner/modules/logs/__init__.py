"""DNS and web-proxy log discovery: `shadowai scan logs`."""
