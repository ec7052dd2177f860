"""What each format promises, checked on the fixed world: SARIF valid and readable by another
tool, PDF with Chinese text and embedded fonts, spreadsheets formula-safe, JSON by its schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sarif.loader import load_sarif_file

from reports.documents import write_report
from reports.documents.machine import SCHEMA_FILE
from reports.render import jsondoc, sarif
from reports.render.tables import Sheet, csv_chunks, xlsx_bytes
from tests.reports.world import CHINESE, FORMULA, WAIVED, portfolio_report, scan_report

OFFICIAL_SARIF_SCHEMA = Path(__file__).parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"


def _bytes(report: object, fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    write_report(report, fmt, out, lang=kw.pop("lang", "en"), **kw)  # type: ignore[arg-type]
    return out.getvalue()


def test_shipped_sarif_schema_is_the_official_one() -> None:
    shipped = Path(sarif.__file__).parents[1] / "schemas" / sarif.SCHEMA_FILE
    if OFFICIAL_SARIF_SCHEMA.exists():
        assert shipped.read_bytes() == OFFICIAL_SARIF_SCHEMA.read_bytes()


@pytest.mark.parametrize("make", [scan_report, portfolio_report])
def test_sarif_is_valid_and_read_back_by_sarif_tools(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = make()
    data = _bytes(report, "sarif")
    log = json.loads(data)
    assert sarif.problems(log) == []
    run = log["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["bandit:B105"]["help"]["text"]  # help text from the scanner's declared rule
    assert set(rules) == {r.rule for r in report.findings}
    assert run["properties"]["verdicts"]["BUD"]["conditions"][1]["passed"] is False
    by_fp = {r["partialFingerprints"][sarif.FINGERPRINT_KEY]: r for r in run["results"]}
    assert len(by_fp) == report.findings.count
    waived = by_fp[WAIVED.fingerprint]
    assert waived["suppressions"][0]["kind"] == "external"
    assert waived["suppressions"][0]["justification"] == WAIVED.waiver_reason
    assert sum("suppressions" in r for r in run["results"]) == 1
    path = tmp_path / "report.sarif"
    path.write_bytes(data)
    consumer = load_sarif_file(str(path))
    records = consumer.get_records()
    assert len(records) == report.findings.count
    assert {(r["Code"], r["Location"]) for r in records} == {(f.rule, f.path) for f in report.findings}
    assert consumer.get_distinct_tool_names() == ["Govern"]


def test_sarif_schema_check_catches_a_broken_log() -> None:
    log = json.loads(_bytes(scan_report(), "sarif"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert sarif.problems(log)


def test_pdf_has_chinese_text_and_embeds_its_fonts() -> None:
    reader = PdfReader(io.BytesIO(_bytes(portfolio_report(), "pdf", lang="zh-CN")))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "总体报告" in text and "门禁条件" in text and "测试数据，不是真实口令" in text
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"].get("/Font", {}).values()
    ]
    descendants = [f["/DescendantFonts"][0].get_object() if "/DescendantFonts" in f else f for f in fonts]
    assert any("CJK" in str(f["/BaseFont"]) for f in descendants)
    assert all(
        "/FontFile2" in f["/FontDescriptor"] or "/FontFile3" in f["/FontDescriptor"] for f in descendants
    )


def test_pdf_in_english_has_the_english_texts() -> None:
    reader = PdfReader(io.BytesIO(_bytes(scan_report(), "pdf")))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Scan report" in text and "Gate conditions" not in text  # the scan page titles it "Verdict"
    assert "new.blocker" in text and CHINESE not in text  # the waived finding is not among the top


def test_csv_neutralises_formulas_and_keeps_chinese() -> None:
    rows = list(csv.reader(io.StringIO(_bytes(scan_report(), "csv").decode("utf-8-sig"))))
    messages = [row[9] for row in rows[1:]]
    assert "'" + FORMULA in messages and FORMULA not in messages
    assert CHINESE in messages


def test_xlsx_reads_back_with_every_sheet_and_no_formula() -> None:
    workbook = load_workbook(io.BytesIO(_bytes(scan_report(), "xlsx")))
    assert workbook.sheetnames == ["Findings", "Rules", "Gate conditions", "Waivers"]
    findings = workbook["Findings"]
    cells = [cell for row in findings.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'" + FORMULA in [cell.value for cell in cells]
    assert findings.max_row == 1 + scan_report().findings.count
    assert [c.value for c in workbook["Gate conditions"]["H"]][1:] == [True, False]


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_table_cell_is_neutralised(payload: str) -> None:
    sheet = Sheet("t", ["h"], [[payload]])
    assert (
        list(csv.reader(io.StringIO(b"".join(csv_chunks(sheet)).decode("utf-8-sig"))))[1][0] == "'" + payload
    )
    value = load_workbook(io.BytesIO(xlsx_bytes([Sheet("t", ["h"], [[payload]])])))["t"]["A2"]
    # XML keeps no bare CR: the file carries it as Excel's escape, which openpyxl leaves as is
    assert value.value.replace("_x000D_", "\r") == "'" + payload and value.data_type == "s"


def test_xlsx_streams_a_generator_once() -> None:
    seen = []

    def rows():  # type: ignore[no-untyped-def]
        for index in range(5000):
            seen.append(index)
            yield [index, f"row {index}"]

    workbook = load_workbook(io.BytesIO(xlsx_bytes([Sheet("big", ["n", "text"], rows())])), read_only=True)
    assert len(seen) == 5000
    assert sum(1 for _ in workbook["big"].iter_rows()) == 5001


@pytest.mark.parametrize("make", [scan_report, portfolio_report])
def test_json_follows_its_schema(make) -> None:  # type: ignore[no-untyped-def]
    document = json.loads(_bytes(make(), "json"))
    assert jsondoc.problems(document, SCHEMA_FILE) == []
    assert document["findings_count"] == len(document["findings"])
    document["kind"] = "everything"
    assert jsondoc.problems(document, SCHEMA_FILE)


def test_html_is_standalone() -> None:
    html = _bytes(portfolio_report(), "html", lang="zh-CN").decode("utf-8")
    assert "<svg" in html and "<script" not in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "").replace("evil.example", "")
    assert "src=" not in html and "<link" not in html
    assert 'lang="zh-CN"' in html and "总体报告" in html


def test_unknown_csv_table_is_refused() -> None:
    from governance.errors import InvalidInput

    with pytest.raises(InvalidInput, match="unknown table"):
        _bytes(scan_report(), "csv", table="matrix")


def test_a_sheet_longer_than_excel_allows_goes_on_in_another(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from reports.render import tables

    monkeypatch.setattr(tables, "MAX_ROWS", 4)
    rows = ([i] for i in range(7))
    workbook = load_workbook(io.BytesIO(xlsx_bytes([Sheet("Findings", ["n"], rows, count=7)])))
    assert workbook.sheetnames == ["Findings", "Findings (2)", "Findings (3)"]
    assert [[c.value for c in ws["A"]] for ws in workbook.worksheets] == [
        ["n", 0, 1, 2],
        ["n", 3, 4, 5],
        ["n", 6],
    ]


def test_an_empty_table_keeps_its_header_and_a_blank_row_keeps_its_place() -> None:
    workbook = load_workbook(
        io.BytesIO(xlsx_bytes([Sheet("e", ["a", "b"], []), Sheet("g", ["a"], [[None], [1]])]))
    )
    assert [[c.value for c in row] for row in workbook["e"].iter_rows()] == [["a", "b"]]
    assert [c.value for c in workbook["g"]["A"]] == ["a", None, 1]


def test_a_header_that_repeats_a_name_is_refused() -> None:
    with pytest.raises(ValueError, match="repeats a column name"):
        xlsx_bytes([Sheet("t", ["a", "a"], [[1, 2]])])


@pytest.mark.parametrize("typed", ["pdf", "PDF", "Pdf"])
def test_documents_and_scorecards_take_a_format_in_any_case(typed: str) -> None:
    from reports.documents import format_of as document_format
    from reports.scorecards.scorecard import format_of as scorecard_format

    assert document_format(typed) == "pdf" and scorecard_format(typed) == "pdf"


def test_an_unknown_format_names_the_choices() -> None:
    from governance.errors import InvalidInput
    from reports.scorecards.scorecard import format_of

    with pytest.raises(InvalidInput, match="unknown format 'docx': choose one of"):
        format_of("docx")
