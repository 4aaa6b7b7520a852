"""`shadowai scan dns-zone`: an organisation's own DNS zones — domain-verification TXT records, CNAMEs, MX and
SPF includes that name AI services — read with dnspython."""
