from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError

from people import services
from people.models import Invitation, PersonSkill, Site, Skill, User


class PersonSkillInline(admin.TabularInline):
    model = PersonSkill
    extra = 0
    autocomplete_fields = ["skill"]
    fields = ["skill", "direction", "level"]


@admin.register(User)
class PersonAdmin(UserAdmin):
    list_display = ["username", "display_name", "email", "role", "department", "site", "is_active", "last_active"]
    list_filter = ["role", "is_active", "is_staff", "site", "department"]
    search_fields = ["username", "display_name", "first_name", "last_name", "email", "job_title", "department"]
    list_select_related = ["site"]
    autocomplete_fields = ["site"]
    inlines = [PersonSkillInline]
    readonly_fields = ["last_login", "date_joined", "last_active", "activity_score"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Watercooler role", {"fields": ["role"]}),
        (
            "Profile",
            {
                "fields": [
                    "display_name",
                    "job_title",
                    "department",
                    "site",
                    "location",
                    "time_zone",
                    "languages",
                    "bio",
                    "interests",
                    "photo",
                    "photo_thumb",
                ]
            },
        ),
        ("Activity", {"fields": ["last_active", "activity_score"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("Watercooler", {"fields": ["email", "display_name", "role"]}),
    ]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "time_zone"]
    search_fields = ["name", "country"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "depth", "uri"]
    list_filter = ["depth"]
    search_fields = ["name", "alt_labels", "uri", "slug"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["depth"]
    fields = ["name", "slug", "parent", "depth", "alt_labels", "description", "uri"]

    def save_model(self, request, obj, form, change):
        # Moving a skill changes the depth of everything under it.
        services.save_skill(skill=obj)


@admin.register(PersonSkill)
class PersonSkillAdmin(admin.ModelAdmin):
    list_display = ["person", "skill", "direction", "level", "created"]
    list_filter = ["direction", "level"]
    search_fields = ["person__username", "person__display_name", "skill__name"]
    list_select_related = ["person", "skill"]
    autocomplete_fields = ["person", "skill"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "space", "invited_by", "created", "accepted_at"]
    list_filter = ["role", "accepted_at"]
    search_fields = ["email", "invited_by__username"]
    list_select_related = ["space", "invited_by"]
    readonly_fields = ["email", "role", "space", "token", "invited_by", "created", "accepted_at"]
    actions = ["resend"]

    def has_add_permission(self, request):
        # Invitations are made at /people/invite/ so that the e-mail goes out with them.
        return False

    @admin.action(description="Send the selected invitations again")
    def resend(self, request, queryset):
        sent = 0
        for invitation in queryset:
            try:
                services.resend_invitation(invitation=invitation)
                sent += 1
            except ValidationError as exc:
                self.message_user(request, f"{invitation.email}: {' '.join(exc.messages)}", messages.WARNING)
        self.message_user(request, f"{sent} invitation(s) sent again.")
