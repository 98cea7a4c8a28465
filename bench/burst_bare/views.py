from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse

TABLE = "bench_burst_bare"  # made by bench/burst_bench.py with raw SQL


def insert(request: HttpRequest) -> HttpResponse:
    """One row per POST: the client's number and its text; the answer is the new row's id."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {TABLE} (client, text) VALUES (%s, %s) RETURNING id",
            [int(request.POST["client"]), request.POST["text"]],
        )
        (pk,) = cur.fetchone()
    return JsonResponse({"ok": True, "id": pk})
