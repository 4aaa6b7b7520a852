"""`shadowai scan aws`: AI resources, Bedrock model invocations and AI spend across an AWS organisation's accounts
and regions."""
