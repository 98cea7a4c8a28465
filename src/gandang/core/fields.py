"""Model fields of the product."""

from django.db import models

from gandang.core import clock


class StampField(models.DateTimeField):
    """A DateTimeField whose auto_now / auto_now_add take the product's clock (`clock.now`), so a
    pinned demo calendar stamps live actions on its own day."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)
