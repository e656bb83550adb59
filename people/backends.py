"""Back-office permissions that follow the Watercooler role."""

from django.contrib.auth.backends import BaseBackend


class RolePermissionBackend(BaseBackend):
    """People with the administrator role hold every model permission, as superusers do.

    The role is what the app checks everywhere else (core.access.is_site_admin); without this an
    administrator would see the "Back office" link and then find every page refused. Staff status is
    still what lets someone into the back office at all.
    """

    def authenticate(self, request, **credentials):
        return None

    def _is_admin(self, user_obj) -> bool:
        return bool(user_obj.is_active and getattr(user_obj, "role", "") == "admin")

    def has_perm(self, user_obj, perm, obj=None):
        return self._is_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return self._is_admin(user_obj)
