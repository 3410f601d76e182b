from django.urls import path

from coaching import views

app_name = "coaching"

urlpatterns = [
    path("coaching/", views.overview, name="overview"),
    path("coaching/trajecten/<int:pk>/boeken/", views.book, name="book"),
    path("coaching/sessies/<int:pk>/", views.session_detail, name="session-detail"),
    path("coaching/sessies/<int:pk>/annuleren/", views.session_cancel, name="session-cancel"),
    path("coaching/beschikbaarheid/", views.availability, name="availability"),
]
