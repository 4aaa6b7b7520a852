"""Terraform and CloudFormation resources for AI services."""

import json

import pytest

CLOUDFORMATION = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Endpoint:
    Type: AWS::SageMaker::Endpoint
  # Old:
  #   Type: AWS::Bedrock::Agent
  Bucket:
    Type: AWS::S3::Bucket
"""


@pytest.mark.parametrize("path, text, expected", [
    ("infra/main.tf", 'resource "aws_bedrock_guardrail" "g" {\n}\n\nresource "azurerm_cognitive_deployment" "d" {}\n',
     [("aws-bedrock", 1), ("azure-openai", 4)]),
    ("infra/main.tf", '# resource "aws_bedrock_guardrail" "g" {}\nresource "aws_s3_bucket" "b" {}\n', []),
    ("infra/main.tf.json", json.dumps({"resource": {"google_vertex_ai_endpoint": {"e": {}}}}),
     [("google-vertex-ai", 1)]),
    ("template.yaml", CLOUDFORMATION, [("aws-sagemaker", 4)]),
    ("template.json", json.dumps({"Resources": {"A": {"Type": "AWS::Bedrock::Agent"}}}), [("aws-bedrock", 1)]),
])
def test_iac_resources(detect, path, text, expected):
    assert detect(path, text) == expected
