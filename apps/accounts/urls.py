from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts import store_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", views.profile, name="profile"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("stores/new/", store_views.store_create, name="store-create"),
    path("store/<slug:handle>/settings/", store_views.store_settings, name="store-settings"),
    path("store/<slug:handle>/settings/staff/", views.staff_list, name="staff-list"),
    path("store/<slug:handle>/settings/staff/invite/", views.staff_invite, name="staff-invite"),
    path(
        "store/<slug:handle>/settings/staff/<int:membership_id>/role/",
        views.staff_change_role,
        name="staff-role",
    ),
    path(
        "store/<slug:handle>/settings/staff/<int:membership_id>/remove/",
        views.staff_remove,
        name="staff-remove",
    ),
    path(
        "store/<slug:handle>/settings/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("store/<slug:handle>/settings/api-keys/", views.api_key_list, name="api-key-list"),
    path(
        "store/<slug:handle>/settings/api-keys/<int:api_key_id>/revoke/",
        views.api_key_revoke,
        name="api-key-revoke",
    ),
]
