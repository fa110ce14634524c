# The store's currency and country are checked against the ISO lists (Babel, django-countries)
# instead of a letter pattern; the values already stored are kept as they are.
from django.db import migrations, models

import apps.core.money


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="store",
            name="currency",
            field=models.CharField(
                default="EUR", max_length=3, validators=[apps.core.money.validate_currency]
            ),
        ),
        migrations.AlterField(
            model_name="store",
            name="country",
            field=models.CharField(
                default="DE", max_length=2, validators=[apps.core.money.validate_country]
            ),
        ),
    ]
