"""The Azure module as a plugin: `shadowai scan azure`."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("azure", "scanner.modules.azure.command:azure_command",
                    "Read every Azure subscription the app registration can see: Cognitive Services / AI Services "
                    "accounts by kind (OpenAI, AIServices, Speech…) with their model deployments (model, version, "
                    "SKU, capacity), AI Foundry projects, Machine Learning workspaces and AI Foundry hubs with their "
                    "online and serverless endpoints, AI Search and the other AI resource types of the catalogue; "
                    "then tokens and calls per deployment (Azure Monitor) and cost per resource (Cost Management) "
                    "over the last --days."),
    ]
