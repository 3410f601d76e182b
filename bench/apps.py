from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`: data at scale and two reference pages. It sits above every app and
    nothing imports it; its pages are served only by the bench's own URLconf."""

    name = "bench"
    verbose_name = "Benchmark"
