from django.urls import path

from evaluations import views
from portal import converters  # noqa: F401 (registers <token:>)

app_name = "evaluations"

urlpatterns = [
    path("evaluatie/<token:token>/", views.answer, name="answer"),
    path("evaluatie-verstuurd/", views.thanks, name="thanks"),
    path("evaluaties/uitvoeringen/", views.cohorts, name="cohorts"),
    path("evaluaties/uitvoeringen/<int:pk>/", views.cohort, name="cohort"),
    path("evaluaties/programma/", views.programme, name="programme"),
    path("evaluaties/coaching/", views.coaching, name="coaching"),
    path("evaluaties/hr/", views.hr, name="hr"),
]
