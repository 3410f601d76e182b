from django.urls import path

from intervisie import views

app_name = "intervisie"

urlpatterns = [
    path("intervisie/", views.my_groups, name="my-groups"),
    path("intervisie/peilingen/<int:pk>/", views.poll_vote, name="poll-vote"),
    path("intervisie/sessies/<int:pk>/", views.session_detail, name="session-detail"),
    path("intervisie/sessies/<int:pk>/afmelden/", views.session_excuse, name="session-excuse"),
    path("intervisie/sessies/<int:pk>/casus/", views.session_volunteer, name="session-volunteer"),
    path("intervisie/trainer/", views.trainer_overview, name="trainer-overview"),
    path("intervisie/trainer/groepen/<int:pk>/", views.cohort_groups, name="cohort-groups"),
    path(
        "intervisie/trainer/groepen/<int:pk>/indeling/", views.groups_accept, name="groups-accept"
    ),
    path("intervisie/trainer/leden/<int:pk>/verplaatsen/", views.member_move, name="member-move"),
    path("intervisie/trainer/groep/<int:pk>/", views.group_manage, name="group-manage"),
    path("intervisie/trainer/groep/<int:pk>/peiling/", views.poll_create, name="poll-create"),
    path("intervisie/trainer/peilingen/<int:pk>/", views.poll_manage, name="poll-manage"),
    path("intervisie/trainer/peilingen/<int:pk>/kiezen/", views.poll_pick, name="poll-pick"),
    path("intervisie/trainer/peilingen/<int:pk>/sluiten/", views.poll_close, name="poll-close"),
    path(
        "intervisie/trainer/sessies/<int:pk>/voorbereiden/",
        views.session_prepare,
        name="session-prepare",
    ),
    path(
        "intervisie/trainer/sessies/<int:pk>/verslag/", views.session_record, name="session-record"
    ),
    path("intervisie/trainer/methoden/nieuw/", views.method_create, name="method-create"),
]
