"""Concurrent writers on the embedded SQLite database: they wait for each other, and of several
editors holding the same version exactly one wins; the others are told, nothing is overwritten."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from gandang.ledger import services
from gandang.ledger.models import Plan
from gandang.org.models import Unit, User
office = User.objects.create_user("office", role="office")
unit = Unit.objects.create(name="市发展改革委")
plan = Plan.objects.create(year=2023, name="要点")
services.item_create(actor=office, fields={"plan": plan, "code": "1", "title": "原标题", "lead_unit": unit,
                     "no_fixed_date": True})
"""

EDIT = """
import sys
from gandang.core.errors import StaleEdit
from gandang.ledger import services
from gandang.ledger.models import Item
from gandang.org.models import User
item = Item.objects.get(code="1")
try:
    services.item_update(actor=User.objects.get(username="office"), item=item, expected_version=1,
                         fields={"title": "修改者" + sys.argv[-1]})
    print("SAVED")
except StaleEdit:
    print("STALE")
"""


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="exercises the embedded SQLite database")
def test_concurrent_editors_on_sqlite(tmp_path):
    env = {**os.environ, "GANDANG_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "gandang.settings"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([sys.executable, "-c", _script(SETUP)], env=env, check=True)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _script(EDIT, str(i))],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(6)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    outs = [out.strip() for out, _err in results]
    errors = [err for _out, err in results if "Error" in err]
    assert not errors, errors
    assert sorted(outs) == ["SAVED"] + ["STALE"] * 5
    read = "from gandang.ledger.models import Item; i = Item.objects.get(); print(i.title, i.version)"
    final = subprocess.run(
        [sys.executable, "-c", _script(read)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert final[0].startswith("修改者") and final[1] == "2"


def _script(code: str, arg: str = "") -> str:
    return (
        f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r}); sys.argv.append({arg!r});"
        "import django; django.setup();" + "exec(" + repr(code) + ")"
    )
