"""The DNS zone module as a plugin: its `scan dns-zone` command."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("dns-zone", "scanner.modules.dns_zone.command:dns_zone_command",
                    "Read an organisation's own DNS zones for the AI services they reveal: domain-verification TXT "
                    "records at each apex and at the verification names the catalogue lists (ChatGPT Enterprise, "
                    "Claude, Cursor, Mistral…), CNAMEs of the zone's names that point at AI vendors "
                    "(chat.example.com -> contoso.openai.azure.com), and MX and SPF includes of AI vendors."),
    ]
