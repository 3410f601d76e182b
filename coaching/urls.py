from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("coaching/", views.overview, name="overview"),
    path("coaching/trajecten/", views.trajectories, name="trajectories"),
    path("coaching/trajecten/nieuw/", views.start, name="start"),
    path("coaching/trajecten/<int:pk>/", views.trajectory_detail, name="trajectory"),
    path("coaching/trajecten/<int:pk>/boeken/", views.book, name="book"),
    path("coaching/trajecten/<int:pk>/leervraag/", views.leervraag, name="leervraag"),
    path("coaching/trajecten/<int:pk>/doelen/", views.goal_add, name="goal-add"),
    path("coaching/trajecten/<int:pk>/plannen/", views.plan, name="plan"),
    path("coaching/trajecten/<int:pk>/uitbreiden/", views.extend, name="extend"),
    path("coaching/trajecten/<int:pk>/status/", views.transition, name="transition"),
    path("coaching/doelen/<int:pk>/voortgang/", views.goal_progress, name="goal-progress"),
    path("coaching/sessies/<int:pk>/", views.session_detail, name="session-detail"),
    path("coaching/sessies/<int:pk>/annuleren/", views.session_cancel, name="session-cancel"),
    path("coaching/beschikbaarheid/", views.availability, name="availability"),
    path(
        "coaching/beschikbaarheid/<int:pk>/intrekken/",
        views.slot_withdraw,
        name="slot-withdraw",
    ),
]
