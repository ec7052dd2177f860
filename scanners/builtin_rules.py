"""The rule documents of Govern's built-in scanners.

Where a tool documents its own rules (pylint's message store, bandit's plugins and
blacklists, detect-secrets' plugin types) the documents are read from the installed tool,
so they cannot drift from what it reports; where Govern writes the rule itself (radon and
lizard thresholds, SQL and repository checks) the text is written here, in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from scanners.rules import RuleDoc, rule_doc
from scanners.severity import Severity

PYLINT_SEVERITY: dict[str, Severity] = {
    "F": "blocker",
    "E": "critical",
    "W": "major",
    "R": "minor",
    "C": "minor",
    "I": "info",
}
_PYLINT_CATEGORY = {
    "F": "fatal",
    "E": "error",
    "W": "warning",
    "R": "refactor",
    "C": "convention",
    "I": "info",
}


def plugins_of(args: Iterable[str]) -> tuple[str, ...]:
    """The extensions ``--load-plugins=a,b`` arguments load, sorted (the rules they add count)."""
    found: set[str] = set()
    for arg in args:
        if arg.startswith("--load-plugins="):
            found.update(name.strip() for name in arg.partition("=")[2].split(",") if name.strip())
    return tuple(sorted(found))


@cache
def _pylint_messages(plugins: tuple[str, ...]) -> tuple[Any, ...]:
    """pylint's message definitions with its default checkers and ``plugins``, by id."""
    from pylint.lint import PyLinter  # heavy import, only when the catalogue is asked for

    linter = PyLinter()
    linter.load_default_plugins()
    linter.load_plugin_modules(list(plugins))
    return tuple(sorted(linter.msgs_store.messages, key=lambda m: m.msgid))


def pylint_symbols(plugins: tuple[str, ...] = ()) -> dict[str, str]:
    """pylint symbol (current or former name) -> message id (``unused-import`` -> ``W0611``)."""
    symbols: dict[str, str] = {}
    for message in _pylint_messages(plugins):
        symbols[message.symbol] = message.msgid
        for _, old_symbol in message.old_names:
            symbols.setdefault(old_symbol, message.msgid)
    return symbols


@cache
def pylint_rules(plugins: tuple[str, ...] = ()) -> tuple[RuleDoc, ...]:
    """Every message of pylint, its default checkers and ``plugins``, by id (``W0611``)."""
    docs = []
    for message in _pylint_messages(plugins):
        category = _PYLINT_CATEGORY.get(message.msgid[0], "info")
        url = f"https://pylint.readthedocs.io/en/stable/user_guide/messages/{category}/{message.symbol}.html"
        docs.append(
            rule_doc(
                f"pylint:{message.msgid}",
                PYLINT_SEVERITY.get(message.msgid[0], "info"),
                (
                    f"{message.symbol}: {message.msg}",
                    " ".join(message.description.split()),
                    f"Change the code as pylint's page for {message.symbol} shows ({url}); "
                    f"disable it on one line only with a comment saying why.",
                ),
                (
                    None,  # pylint documents its messages in English only
                    None,
                    f"按 pylint 对 {message.symbol} 的说明修改代码（{url}）；"
                    f"确需例外时仅在该行禁用并注明原因。",
                ),
            )
        )
    return tuple(docs)


def _bandit_doc(test_id: str, name: str, doc: str | None) -> RuleDoc:
    text = " ".join((doc or name).split()).replace("**", "")
    text = text.removeprefix(f"{test_id}: ")
    first = text.split(". ")[0][:200]
    return rule_doc(
        f"bandit:{test_id}",
        "major",
        (name.replace("_", " "), first or name, f"See bandit's documentation of {test_id} ({name})."),
        (None, None, f"参见 bandit 对 {test_id}（{name}）的说明。"),
    )


@cache
def bandit_rules() -> tuple[RuleDoc, ...]:
    """bandit's plugin tests and blacklist entries, by test id (``B105``)."""
    from bandit.core import extension_loader

    manager = extension_loader.MANAGER
    found: dict[str, RuleDoc] = {}
    for plugin in manager.plugins:
        test_id = plugin.plugin._test_id
        found[test_id] = _bandit_doc(test_id, plugin.name, plugin.plugin.__doc__)
    for test_id, entry in manager.blacklist_by_id.items():
        found.setdefault(test_id, _bandit_doc(test_id, entry["name"], entry.get("message")))
    return tuple(found[key] for key in sorted(found))


def slug(secret_type: str) -> str:
    """``"AWS Access Key"`` -> ``"aws-access-key"``: a stable rule id."""
    return re.sub(r"[^a-z0-9]+", "-", secret_type.lower()).strip("-")


def secrets_rules(types: Iterable[str]) -> tuple[RuleDoc, ...]:
    """One rule per detect-secrets secret type (``secrets:aws-access-key``)."""
    return tuple(
        rule_doc(
            f"secrets:{slug(kind)}",
            "critical",
            (
                f"Hard-coded secret: {kind}",
                "A credential in the source is readable by everyone who can read the repository "
                "and stays in its history after it is removed.",
                "Remove the value, rotate the credential, and read it from the environment "
                "or a secrets store at run time.",
            ),
            (
                f"硬编码密钥：{kind}",
                "源代码中的凭据对所有能读取仓库的人可见，删除后仍留在提交历史中。",
                "删除该值并轮换凭据，运行时从环境变量或密钥管理系统读取。",
            ),
        )
        for kind in sorted(set(types))
    )


def radon_rules() -> tuple[RuleDoc, ...]:
    """Cyclomatic complexity ranks C-F and maintainability ranks B-C."""
    cc_severity: dict[str, Severity] = {"C": "minor", "D": "major", "E": "critical", "F": "critical"}
    docs = [
        rule_doc(
            f"radon:CC-{rank}",
            severity,
            (
                f"Cyclomatic complexity rank {rank}",
                "A function with many paths is hard to test completely and easy to break.",
                "Split the function into smaller ones, or replace branches with a table or polymorphism.",
            ),
            (
                f"圈复杂度等级 {rank}",
                "路径众多的函数难以完整测试，修改时容易出错。",
                "将函数拆分为更小的函数，或用查表、多态替代分支。",
            ),
        )
        for rank, severity in cc_severity.items()
    ]
    docs += [
        rule_doc(
            f"radon:MI-{rank}",
            "major",
            (
                f"Maintainability index rank {rank}",
                "A low maintainability index (size, complexity, few comments) predicts costly changes.",
                "Shorten and simplify the file's functions; move unrelated code to its own module.",
            ),
            (
                f"可维护性指数等级 {rank}",
                "可维护性指数低（规模大、复杂、注释少）意味着修改成本高。",
                "缩短并简化文件中的函数；把无关代码移到独立模块。",
            ),
        )
        for rank in ("B", "C")
    ]
    return tuple(docs)


def lizard_rules() -> tuple[RuleDoc, ...]:
    """Function limits checked by lizard: complexity, length, parameter count."""
    return (
        rule_doc(
            "lizard:ccn",
            "major",
            (
                "Function too complex",
                "Complex functions are hard to test and review.",
                "Split the function; each part should do one thing.",
            ),
            ("函数过于复杂", "复杂的函数难以测试和评审。", "拆分函数，每部分只做一件事。"),
        ),
        rule_doc(
            "lizard:length",
            "minor",
            (
                "Function too long",
                "Long functions hide their structure from a reader.",
                "Extract well-named helper functions.",
            ),
            ("函数过长", "过长的函数使读者难以看清其结构。", "提取命名清晰的辅助函数。"),
        ),
        rule_doc(
            "lizard:parameters",
            "minor",
            (
                "Too many parameters",
                "Many parameters make calls error-prone.",
                "Group related parameters into a value object.",
            ),
            ("参数过多", "参数过多使调用容易出错。", "把相关参数组合成一个值对象。"),
        ),
    )
