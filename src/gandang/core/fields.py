"""Model fields of the product."""

from django import forms
from django.core.exceptions import FieldError
from django.core.validators import MaxLengthValidator, validate_email
from django.db import models
from django.db.models.lookups import Exact

from gandang.core import clock, crypto, masks


class StampField(models.DateTimeField):
    """A DateTimeField whose auto_now / auto_now_add take the product's clock (`clock.now`), so a
    pinned demo calendar stamps live actions on its own day."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)


class _EmptyOnlyExact(Exact):
    """`field=""`: whether there is a value at all, the one question ciphertext can answer."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted (a random nonce per value): it cannot be "
                f"looked up by value, only compared with the empty string"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.Field):
    """Text kept encrypted in its column (SM4-GCM, gandang.core.crypto) and read back as plain text.

    `kind` ("phone", "email" or "text") says how the value is masked for those who may not read it
    (gandang.core.masks), and which form field takes it. `max_length` bounds the plain text; the column
    is a text column, long enough for the ciphertext.

    The database holds only ciphertext, so it cannot compare values: a lookup other than `isnull`
    or `=""` raises FieldError instead of silently matching nothing.
    """

    description = "Text encrypted at rest (SM4-GCM)"

    def __init__(self, *args, kind: str = "text", **kwargs):
        if kind not in masks.MASKS:
            raise ValueError(f"kind must be one of {sorted(masks.MASKS)}, not {kind!r}")
        self.kind = kind
        super().__init__(*args, **kwargs)
        if kind == "email":
            self.validators.append(validate_email)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.kind != "text":
            kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def from_db_value(self, value, expression, connection):
        return None if value is None else crypto.decrypt(value)

    def get_prep_value(self, value):
        return self.to_python(super().get_prep_value(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        return None if value is None else crypto.encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None

    def get_transform(self, lookup_name):
        return None

    def formfield(self, **kwargs):
        form_class = forms.EmailField if self.kind == "email" else forms.CharField
        return super().formfield(**{"form_class": form_class, "max_length": self.max_length, **kwargs})

    def masked(self, value: str | None) -> str:
        """The value as shown to someone who may not read it: 138****5678, z***@example.com."""
        return masks.MASKS[self.kind](value or "")

    def audit_value(self, value: str | None) -> str:
        """The value as the audit history keeps it: masked, with a keyed digest so that a change the
        mask hides is still a change (see crypto.fingerprint); never the plain text."""
        return f"{self.masked(value)} [{crypto.fingerprint(value)}]" if value else ""
