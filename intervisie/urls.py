from django.urls import include, path

from intervisie import views

app_name = "intervisie"

members = [
    path("", views.my_groups, name="my-groups"),
    path("peilingen/<int:pk>/", views.poll_vote, name="poll-vote"),
    path("sessies/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessies/<int:pk>/afmelden/", views.session_excuse, name="session-excuse"),
    path("sessies/<int:pk>/casus/", views.session_volunteer, name="session-volunteer"),
]

trainer = [
    path("", views.trainer_overview, name="trainer-overview"),
    path("groepen/<int:pk>/", views.cohort_groups, name="cohort-groups"),
    path("groepen/<int:pk>/indeling/", views.groups_accept, name="groups-accept"),
    path("leden/<int:pk>/verplaatsen/", views.member_move, name="member-move"),
    path("groep/<int:pk>/", views.group_manage, name="group-manage"),
    path("groep/<int:pk>/peiling/", views.poll_create, name="poll-create"),
    path("peilingen/<int:pk>/", views.poll_manage, name="poll-manage"),
    path("peilingen/<int:pk>/kiezen/", views.poll_pick, name="poll-pick"),
    path("peilingen/<int:pk>/sluiten/", views.poll_close, name="poll-close"),
    path("sessies/<int:pk>/voorbereiden/", views.session_prepare, name="session-prepare"),
    path("sessies/<int:pk>/verslag/", views.session_record, name="session-record"),
    path("methoden/nieuw/", views.method_create, name="method-create"),
]

urlpatterns = [
    path("intervisie/", include(members)),
    path("intervisie/trainer/", include(trainer)),
]
