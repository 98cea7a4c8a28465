from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    notify_email = forms.BooleanField(label=_("通过邮件接收通知"), required=False)
    notify_webhook = forms.BooleanField(label=_("推送到工作群（企业微信、钉钉等）"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("notify_email") and not data.get("email"):
            self.add_error("email", _("选择邮件通知时请填写电子邮箱"))
        return data
