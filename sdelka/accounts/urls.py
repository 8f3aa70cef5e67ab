from django.urls import path

from sdelka.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/head/", views.team_set_head, name="team_set_head"),
]
