"""The AWS module as a plugin: `shadowai scan aws`."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("aws", "scanner.modules.aws.command:aws_command",
                    "Read AWS accounts for AI resources: Bedrock (custom and imported models, customisation and "
                    "batch jobs, provisioned throughput, inference profiles, guardrails, invocation logging), Bedrock "
                    "Agents, AgentCore, SageMaker, Comprehend, Rekognition, Textract, Transcribe, Translate, Polly, "
                    "Lex V2, Kendra and Q Business; Bedrock model invocations per principal and model from "
                    "CloudTrail; AI spend from Cost Explorer."),
    ]
