from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the user chose another language (the language cookie set by the switcher).

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: an office PC
    with an English browser still gets the Chinese product its colleagues see.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in self.supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()  # a server thread must not carry this user's language to the next
        response.headers.setdefault("Content-Language", lang)
        return response
