"""Document numbers: per kind and year, consecutive, never repeated or skipped, even concurrently."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from gandang.documents import services
from gandang.documents.models import DocumentKind

ROOT = Path(__file__).resolve().parents[2]


def test_format_uses_the_configured_prefix(db, settings):
    settings.GANDANG_DOCUMENT_PREFIXES = {"reminder": "泰改提"}
    assert services.number_format(kind="reminder", year=2023, number=5) == "泰改提〔2023〕5号"
    assert services.number_format(kind="supervision", year=2023, number=1) == "改督〔2023〕1号"


def test_prefixes_come_from_the_environment(db, settings, monkeypatch):
    from gandang.documents import conf

    del settings.GANDANG_DOCUMENT_PREFIXES
    monkeypatch.setenv("GANDANG_DOCUMENT_PREFIXES", "reminder=甲改提，bulletin=甲改通")
    assert conf.number_prefixes()["reminder"] == "甲改提"
    assert conf.number_prefixes()["bulletin"] == "甲改通"
    monkeypatch.setenv("GANDANG_DOCUMENT_PREFIXES", "reminder")
    with pytest.raises(Exception, match="GANDANG_DOCUMENT_PREFIXES"):
        conf.number_prefixes()


@pytest.mark.django_db
def test_numbers_run_per_kind_and_year():
    take = services.number_next
    assert [take(kind=DocumentKind.REMINDER, year=2023) for _ in range(3)] == [1, 2, 3]
    assert take(kind=DocumentKind.SUPERVISION, year=2023) == 1
    assert take(kind=DocumentKind.REMINDER, year=2024) == 1
    assert services.number_issue(kind=DocumentKind.REMINDER, year=2023) == "改提〔2023〕4号"


@pytest.mark.django_db
def test_a_number_taken_in_a_failed_issue_is_issued_again():
    assert services.number_next(kind=DocumentKind.REMINDER, year=2023) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert services.number_next(kind=DocumentKind.REMINDER, year=2023) == 2
        raise RuntimeError("saving the letter failed")
    assert services.number_next(kind=DocumentKind.REMINDER, year=2023) == 2


TAKE = """
from gandang.documents import services
print(",".join(str(services.number_next(kind="reminder", year=2023)) for _ in range(5)))
"""


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="exercises the embedded SQLite database")
def test_concurrent_issuers_get_distinct_consecutive_numbers(tmp_path):
    env = {**os.environ, "GANDANG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gandang.settings"}
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _script(TAKE)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    errors = [err for _out, err in results if "Error" in err]
    assert not errors, errors
    numbers = [int(n) for out, _err in results for n in out.strip().split(",")]
    assert sorted(numbers) == list(range(1, 31))


def _script(code: str) -> str:
    return (
        f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r});"
        "import django; django.setup();" + "exec(" + repr(code) + ")"
    )
