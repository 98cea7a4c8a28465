"""The promotion levels and outlets a reform office starts with; the office edits them in 配置管理."""

from django.db import migrations

LEVELS = [
    ("city", "市级", 1),
    ("province", "省级", 2),
    ("ministry", "国家部委", 3),
    ("central", "中央改革办", 4),
]
OUTLETS = [
    ("city", "市委改革办《改革动态》", 10),
    ("city", "“敢当”经验专栏（市级媒体）", 20),
    ("province", "省委改革办《改革情况交流》", 30),
    ("province", "省委改革办督察通报表扬", 40),
    ("province", "《山东改革》", 50),
    ("ministry", "国家部委简报刊发", 60),
    ("ministry", "国家级现场会典型发言", 70),
    ("ministry", "中组部《组工通讯》", 80),
    ("central", "《地方改革案例》（报中央改革办）", 90),
    ("central", "《山东改革专报》（报中央改革办）", 100),
]


def forwards(apps, schema_editor):
    Level = apps.get_model("achievements", "PromotionLevel")
    Outlet = apps.get_model("achievements", "Outlet")
    levels = {}
    for key, name, rank in LEVELS:
        levels[key], _ = Level.objects.get_or_create(key=key, defaults={"name": name, "rank": rank})
    for key, name, order in OUTLETS:
        Outlet.objects.get_or_create(name=name, defaults={"level": levels[key], "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("achievements", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
