"""Inference images in Dockerfiles, compose files, Kubernetes manifests and Helm values."""

import pytest

K8S = """apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
        - name: llm
          image: "vllm/vllm-openai:v0.6.0"
        - name: web
          image: nginx:1.27
"""


@pytest.mark.parametrize("path, text, expected", [
    ("Dockerfile", "FROM --platform=linux/amd64 ollama/ollama:0.5 AS base\nFROM base\n", [("ollama", 1)]),
    ("docker/Dockerfile.gpu", "FROM ghcr.io/huggingface/text-generation-inference:2.0\n", [("huggingface-tgi", 1)]),
    ("Dockerfile", "FROM python:3.12\n# FROM ollama/ollama\n", []),
    ("docker-compose.yml", "services:\n  llm:\n    image: ollama/ollama:latest  # local models\n", [("ollama", 3)]),
    ("k8s/deploy.yaml", K8S, [("vllm", 8)]),
    ("values.yaml", "image:\n  repository: ollama/ollama\n  tag: 0.5\n", [("ollama", 2)]),
])
def test_container_images(detect, path, text, expected):
    assert [f for f in detect(path, text) if f[0] != "unknown"] == expected
