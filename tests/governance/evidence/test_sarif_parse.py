"""The SARIF reader on its own: rule by index, default levels, base ids, artifact indexes (pure)."""

from __future__ import annotations

import json

from governance.evidence.sarif_import import tree_path
from governance.evidence.sarif_parse import parse_sarif


def test_rule_index_level_defaults_and_locations() -> None:
    log = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "SpotBugs",
                        "version": "4.8.6",
                        "rules": [
                            {"id": "NP_NULL", "defaultConfiguration": {"level": "error"}},
                            {"id": "DM"},
                        ],
                    }
                },
                "originalUriBaseIds": {"SRC": {"uri": "file:///ci/work/repo/"}},
                "artifacts": [{"location": {"uri": "src/B.java"}}],
                "results": [
                    {
                        "ruleIndex": 0,
                        "message": {"text": "null"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": "src/A.java", "uriBaseId": "SRC"},
                                    "region": {"startLine": 7, "endLine": 9},
                                }
                            }
                        ],
                    },
                    {
                        "ruleId": "DM",
                        "message": {"text": "encoding"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"index": 0},
                                    "region": {"startLine": 2},
                                }
                            }
                        ],
                    },
                    {"ruleId": "DM", "level": "note", "message": {"text": "whole project"}},
                ],
            }
        ],
    }
    first, second, third = parse_sarif(json.dumps(log).encode(), filename="spotbugs.sarif")
    assert (first.rule, first.severity, first.uri, first.line, first.end_line, first.tool_version) == (
        "NP_NULL",
        "major",
        "file:///ci/work/repo/src/A.java",
        7,
        9,
        "4.8.6",
    )
    assert (second.severity, second.uri, second.line) == (
        "minor",
        "src/B.java",
        2,
    )  # SARIF's default: warning
    assert (third.severity, third.uri, third.line) == ("info", "", 0)
    paths = {"src/A.java", "A.java", "src/B.java"}
    assert tree_path(first.uri, paths) == "src/A.java"  # the longest tree path the URI ends with
    assert tree_path("./src/B.java", paths) == "src/B.java"
    assert tree_path("https://example.org/src/A.java", paths) is None
    assert tree_path("src/../../etc/passwd", paths) is None
