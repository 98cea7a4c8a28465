"""As little Django as can answer a request: no apps, no middleware, the bench's PostgreSQL database
(DATABASE_URL, kept open between requests as Gandang's settings keep it)."""

import os

import dj_database_url

SECRET_KEY = "burst-bare-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "burst_bare.urls"
DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
USE_TZ = True
TIME_ZONE = "Asia/Shanghai"
