from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="named_on",
            field=models.DateField(blank=True, null=True, verbose_name="列入通报点名日期"),
        ),
    ]
