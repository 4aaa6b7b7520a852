"""Maven and Gradle: pom.xml, build.gradle(.kts) and the version catalogue."""

import pytest

POM = """<project>
  <dependencies>
    <!-- <dependency><groupId>com.anthropic</groupId><artifactId>anthropic-java</artifactId></dependency> -->
    <dependency>
      <groupId>com.openai</groupId>
      <artifactId>openai-java</artifactId>
      <version>${openai.version}</version>
    </dependency>
  </dependencies>
</project>
"""


@pytest.mark.parametrize("path, text, expected", [
    ("pom.xml", POM, [("openai-api", 6)]),
    ("build.gradle", "dependencies {\n  // implementation 'com.openai:openai-java:0.1'\n"
                     "  implementation 'com.openai:openai-java:0.8.0'\n}\n", [("openai-api", 3)]),
    ("build.gradle.kts", 'dependencies {\n    implementation("com.openai:openai-java:0.8.0")\n}\n', [("openai-api", 2)]),
    ("build.gradle", "dependencies {\n  implementation group: 'com.openai', name: 'openai-java', version: '1'\n}\n",
     [("openai-api", 2)]),
    ("gradle/libs.versions.toml", '[versions]\noai = "0.8"\n[libraries]\nopenai = { module = "com.openai:openai-java", '
                                  'version.ref = "oai" }\n', [("openai-api", 4)]),
])
def test_jvm_manifests(detect, path, text, expected):
    assert detect(path, text) == expected


def test_a_maven_package_of_another_group_is_not_matched(detect):
    assert detect("pom.xml", POM.replace("com.openai", "com.example")) == []
