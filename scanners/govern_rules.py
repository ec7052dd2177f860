"""Rule documents of the checks Govern writes itself (SQL and repository), in both languages."""

from __future__ import annotations

from collections.abc import Iterable

from scanners.rules import RuleDoc, rule_doc

SQL_RULES: tuple[RuleDoc, ...] = (
    rule_doc(
        "sql:select-star",
        "minor",
        (
            "SELECT * in SQL",
            "SELECT * breaks when columns are added and reads more data than needed.",
            "List the columns the query needs.",
        ),
        ("SQL 中使用 SELECT *", "SELECT * 在新增列时出错，并读取多余数据。", "列出查询真正需要的列。"),
    ),
    rule_doc(
        "sql:destructive-ddl",
        "critical",
        (
            "Destructive DDL (DROP, TRUNCATE)",
            "Dropping or truncating loses data that cannot be brought back by a later migration.",
            "Migrate data first and have the destructive step approved; prefer renaming or archiving.",
        ),
        (
            "破坏性 DDL（DROP、TRUNCATE）",
            "删除或清空表会丢失之后的迁移无法恢复的数据。",
            "先迁移数据并经审批后再执行破坏性步骤；优先改名或归档。",
        ),
    ),
    rule_doc(
        "sql:table-naming",
        "minor",
        (
            "Table name breaks the naming convention",
            "Consistent names make the schema readable across vendors.",
            "Use lower_snake_case table names.",
        ),
        ("表名不符合命名规范", "统一的命名使不同供应商的数据库结构易读。", "表名使用小写下划线格式。"),
    ),
    rule_doc(
        "sql:column-naming",
        "minor",
        (
            "Column name breaks the naming convention",
            "Consistent names make the schema readable across vendors.",
            "Use lower_snake_case column names.",
        ),
        ("列名不符合命名规范", "统一的命名使不同供应商的数据库结构易读。", "列名使用小写下划线格式。"),
    ),
    rule_doc(
        "sql:no-primary-key",
        "major",
        (
            "Table without a primary key",
            "Rows without identity cannot be updated or replicated safely.",
            "Add a primary key column.",
        ),
        ("表没有主键", "没有标识的行无法被安全地更新或复制。", "增加主键列。"),
    ),
    rule_doc(
        "sql:sensitive-column",
        "critical",
        (
            "Sensitive column (ID card, bank account) without protection",
            "Personal and financial data must be protected by law and policy.",
            "Encrypt or mask the column and record it in the data dictionary.",
        ),
        (
            "敏感字段（身份证号、银行账号）未加保护",
            "个人和金融数据必须依法依规加以保护。",
            "对该列加密或脱敏，并登记到数据字典。",
        ),
    ),
    rule_doc(
        "sql:parse-error",
        "major",
        (
            "SQL that does not parse",
            "A script the parser cannot read cannot be checked and may fail when deployed.",
            "Fix the syntax error at the reported line.",
        ),
        ("SQL 无法解析", "无法解析的脚本无法检查，部署时也可能失败。", "修正所报告行的语法错误。"),
    ),
)

_REPOSITORY_RULES: tuple[RuleDoc, ...] = (
    rule_doc(
        "repository:invalid-openapi",
        "major",
        (
            "API contract is not valid OpenAPI",
            "Clients are built from the contract; a broken one misleads them.",
            "Make the file valid YAML/JSON with a top-level 'openapi' key.",
        ),
        (
            "API 契约不是有效的 OpenAPI",
            "调用方依据契约开发，错误的契约会误导他们。",
            "使文件成为带顶层 openapi 键的有效 YAML/JSON。",
        ),
    ),
    rule_doc(
        "repository:import-cycle",
        "major",
        (
            "Import cycle",
            "Modules importing each other cannot be understood, tested or replaced alone.",
            "Move the shared part into a module both import, or pass a callback.",
        ),
        (
            "循环导入",
            "相互导入的模块无法被单独理解、测试或替换。",
            "把共用部分移到双方都导入的模块，或改用回调。",
        ),
    ),
    rule_doc(
        "repository:duplicate-code",
        "minor",
        (
            "Duplicated code",
            "A fix made in one copy is missed in the other.",
            "Extract the common code into one function.",
        ),
        ("重复代码", "在一处修复的问题会在另一处遗漏。", "把公共代码提取为一个函数。"),
    ),
    rule_doc(
        "repository:cross-module-duplicate",
        "minor",
        (
            "Code also in another module",
            "Code copied between modules, above all between vendors, is fixed in one place and"
            " left broken in the other, and may be another party's code used without licence.",
            "Move the shared code into a component both modules depend on, or remove the copy.",
        ),
        (
            "代码与其他模块重复",
            "模块之间（尤其是不同厂商之间）复制的代码，一处修复后另一处仍有缺陷，且可能未经许可使用他方代码。",
            "把共用代码移入两个模块共同依赖的组件，或删除副本。",
        ),
    ),
)


def repository_rules(documents: Iterable[str]) -> tuple[RuleDoc, ...]:
    """The repository checks, with one ``missing-<name>`` rule per required document."""
    missing = tuple(
        rule_doc(
            f"repository:missing-{name}",
            "major",
            (
                f"Required document missing: {name}",
                f"The organisation requires a {name} document in every repository it accepts.",
                f"Add the {name} document at one of the paths the profile looks for.",
            ),
            (
                f"缺少必需文档：{name}",
                f"组织要求其接收的每个仓库都包含 {name} 文档。",
                f"在配置所查找的路径之一添加 {name} 文档。",
            ),
        )
        for name in sorted(set(documents))
    )
    return _REPOSITORY_RULES + missing
