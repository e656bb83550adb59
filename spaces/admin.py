from django.contrib import admin, messages

from spaces import services
from spaces.models import Membership, Space


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "space"
    extra = 0
    raw_id_fields = ("user", "invited_by")
    fields = ("user", "role", "state", "invited_by", "created")


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "visibility", "member_count", "created_by", "created")
    list_filter = ("kind", "visibility")
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("created_by",)
    readonly_fields = ("member_count",)
    list_select_related = ("created_by",)
    date_hierarchy = "created"
    inlines = [MembershipInline]
    actions = ["recount"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Memberships edited here bypass the services, so the stored count is put right afterwards.
        services.recount_members(space=form.instance)

    @admin.action(description="Recount members of the selected spaces")
    def recount(self, request, queryset):
        for space in queryset:
            services.recount_members(space=space)
        self.message_user(request, f"Recounted {queryset.count()} spaces.", messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "space", "role", "state", "invited_by", "created")
    list_filter = ("state", "role", "space__kind")
    search_fields = ("user__username", "user__display_name", "user__email", "space__name", "space__slug")
    raw_id_fields = ("user", "space", "invited_by")
    list_select_related = ("user", "space", "invited_by")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.recount_members(space=obj.space)

    def delete_model(self, request, obj):
        space = obj.space
        super().delete_model(request, obj)
        services.recount_members(space=space)

    def delete_queryset(self, request, queryset):
        spaces = list(Space.objects.filter(pk__in=queryset.values("space_id")))
        super().delete_queryset(request, queryset)
        for space in spaces:
            services.recount_members(space=space)
