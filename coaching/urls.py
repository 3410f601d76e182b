from django.urls import include, path

from coaching import views

app_name = "coaching"

trajectories = [
    path("", views.trajectories, name="trajectories"),
    path("nieuw/", views.start, name="start"),
    path("<int:pk>/", views.trajectory_detail, name="trajectory"),
    path("<int:pk>/boeken/", views.book, name="book"),
    path("<int:pk>/leervraag/", views.trajectory_action, {"action": "leervraag"}, name="leervraag"),
    path("<int:pk>/doelen/", views.trajectory_action, {"action": "goal-add"}, name="goal-add"),
    path("<int:pk>/plannen/", views.trajectory_action, {"action": "plan"}, name="plan"),
    path("<int:pk>/uitbreiden/", views.trajectory_action, {"action": "extend"}, name="extend"),
    path("<int:pk>/status/", views.trajectory_action, {"action": "transition"}, name="transition"),
]

urlpatterns = [
    path("coaching/", views.overview, name="overview"),
    path("coaching/trajecten/", include(trajectories)),
    path("coaching/doelen/<int:pk>/voortgang/", views.goal_progress, name="goal-progress"),
    path("coaching/sessies/<int:pk>/", views.session_detail, name="session-detail"),
    path("coaching/sessies/<int:pk>/annuleren/", views.session_cancel, name="session-cancel"),
    path("coaching/beschikbaarheid/", views.availability, name="availability"),
    path("coaching/beschikbaarheid/<int:pk>/intrekken/", views.slot_withdraw, name="slot-withdraw"),
]
