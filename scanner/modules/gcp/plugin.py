"""The GCP module as a plugin: `shadowai scan gcp`."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("gcp", "scanner.modules.gcp.command:gcp_command",
                    "Read the Google Cloud projects the credentials can see: enabled AI APIs (Service Usage), Vertex "
                    "AI endpoints with their deployed models, models, tuning jobs and notebooks per region, "
                    "Workbench instances, and 30 days of AI API usage (Cloud Monitoring)."),
    ]
