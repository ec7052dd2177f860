"""Real source and test files (Python, Java, JavaScript) carrying requirement markers, for git repos."""

from __future__ import annotations

SERVICE_PY = '''"""Budget booking.

Requirement: BUD-0005 is mentioned in a docstring of production code: not a marker.
"""


def book(entry):  # REQ: BUD-0001
    return entry


# REQ: BUD-0002, BUD-0099
def balance(account):
    return 0
'''

APPROVAL_JAVA = """package budget;

public class Approval {
    // REQ: BUD-0003
    public boolean approve(long id) {
        return id > 0;
    }
}
"""

APP_JS = """/* REQ: BUD-0001 */
export function book(entry) {
  return entry;
}
"""

TEST_PY = '''import pytest

from budget.service import balance, book


@pytest.mark.requirement("BUD-0001")
def test_booking_returns_the_entry():
    assert book(1) == 1


def test_unknown_account_has_zero_balance():
    """Balances start at zero.

    Requirement: BUD-0002
    """
    assert balance("x") == 0


@pytest.mark.requirement("BUD-0001", "BUD-0404")
def test_booking_twice():
    assert book(2) == 2
'''

APPROVAL_TEST_JAVA = """package budget;

import org.junit.jupiter.api.Test;

class ApprovalTest {
    // REQ: BUD-0003
    @Test
    void approvesPositiveIds() {
        assert new Approval().approve(1);
    }

    /**
     * @requirement BUD-0004
     */
    @Test
    void refusesZero() {
        assert !new Approval().approve(0);
    }
}
"""

APP_TEST_JS = """import { book } from "./app.js";

// Requirement: BUD-0001
it("books an entry", () => {
  expect(book(3)).toBe(3);
});
"""

README = "# Budget\n\nDelivers BUD-0005 (plain prose, not a marker).\n"

FILES = {
    "src/budget/service.py": SERVICE_PY,
    "src/budget/Approval.java": APPROVAL_JAVA,
    "web/app.js": APP_JS,
    "tests/test_service.py": TEST_PY,
    "src/test/java/budget/ApprovalTest.java": APPROVAL_TEST_JAVA,
    "web/app.test.js": APP_TEST_JS,
    "README.md": README,
}
